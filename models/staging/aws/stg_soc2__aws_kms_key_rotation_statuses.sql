-- One row per entity of CloudQuery's aws_kms_key_rotation_statuses, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_kms_key_rotation_statuses',
        natural_key=['key_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        key_arn,
        key_rotation_enabled,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
