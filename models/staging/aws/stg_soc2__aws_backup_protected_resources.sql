-- One row per entity of CloudQuery's aws_backup_protected_resources, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_backup_protected_resources',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        last_backup_time,
        last_backup_vault_arn,
        last_recovery_point_arn,
        resource_arn,
        resource_name,
        resource_type,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
