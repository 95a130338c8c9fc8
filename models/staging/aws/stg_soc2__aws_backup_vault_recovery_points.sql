-- One row per entity of CloudQuery's aws_backup_vault_recovery_points, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_backup_vault_recovery_points',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        vault_arn,
        arn,
        tags,
        backup_size_in_bytes,
        backup_vault_arn,
        backup_vault_name,
        calculated_lifecycle,
        completion_date,
        composite_member_identifier,
        created_by,
        creation_date,
        encryption_key_arn,
        iam_role_arn,
        is_encrypted,
        is_parent,
        last_restore_time,
        lifecycle,
        parent_recovery_point_arn,
        recovery_point_arn,
        resource_arn,
        resource_name,
        resource_type,
        source_backup_vault_arn,
        status,
        status_message,
        vault_type,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
