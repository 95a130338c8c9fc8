-- One row per entity of CloudQuery's aws_kms_key_policies, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_kms_key_policies',
        natural_key=['key_arn', 'name']) }}

),

renamed as (

    select
        account_id,
        region,
        key_arn,
        name,
        policy,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
