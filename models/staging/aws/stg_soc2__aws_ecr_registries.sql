-- One row per entity of CloudQuery's aws_ecr_registries, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ecr_registries',
        natural_key=['account_id', 'region', 'registry_id']) }}

),

renamed as (

    select
        account_id,
        region,
        registry_id,
        replication_configuration,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
