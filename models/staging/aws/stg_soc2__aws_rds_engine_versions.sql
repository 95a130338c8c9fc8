-- One row per entity of CloudQuery's aws_rds_engine_versions, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_rds_engine_versions',
        natural_key=['account_id', 'region', '_engine_version_hash']) }}

),

renamed as (

    select
        account_id,
        region,
        _engine_version_hash,
        engine,
        engine_version,
        status,
        db_parameter_group_family,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
