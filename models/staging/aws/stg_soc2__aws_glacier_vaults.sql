-- One row per entity of CloudQuery's aws_glacier_vaults, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_glacier_vaults',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        vault_name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
