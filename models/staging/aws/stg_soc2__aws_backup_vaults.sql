-- One row per entity of CloudQuery's aws_backup_vaults, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_backup_vaults',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        access_policy,
        notifications,
        tags,
        backup_vault_arn,
        backup_vault_name,
        creation_date,
        creator_request_id,
        encryption_key_arn,
        lock_date,
        locked,
        max_retention_days,
        min_retention_days,
        number_of_recovery_points,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
