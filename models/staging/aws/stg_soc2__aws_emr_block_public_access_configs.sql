-- One row per entity of CloudQuery's aws_emr_block_public_access_configs, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_emr_block_public_access_configs',
        natural_key=['account_id', 'region']) }}

),

renamed as (

    select
        account_id,
        region,
        block_public_access_configuration,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
