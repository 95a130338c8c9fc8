-- One row per entity of CloudQuery's aws_firehose_delivery_streams, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_firehose_delivery_streams',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        delivery_stream_name,
        delivery_stream_encryption_configuration,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
