-- One row per entity of CloudQuery's aws_glue_security_configurations, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_glue_security_configurations',
        natural_key=['account_id', 'region', 'name']) }}

),

renamed as (

    select
        account_id,
        region,
        name,
        encryption_configuration,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
