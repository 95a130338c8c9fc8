-- One row per entity of CloudQuery's aws_glue_datacatalog_encryption_settings, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_glue_datacatalog_encryption_settings',
        natural_key=['account_id', 'region']) }}

),

renamed as (

    select
        account_id,
        region,
        encryption_at_rest,
        connection_password_encryption,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
