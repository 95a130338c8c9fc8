-- One row per entity of CloudQuery's aws_kinesis_streams, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_kinesis_streams',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        stream_name,
        encryption_type,
        key_id,
        retention_period_hours,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
