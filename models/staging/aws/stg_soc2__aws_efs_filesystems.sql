-- One row per entity of CloudQuery's aws_efs_filesystems, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_efs_filesystems',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        file_system_id,
        encrypted,
        kms_key_id,
        backup_policy_status,
        file_system_policy,
        availability_zone_name,
        life_cycle_state,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
