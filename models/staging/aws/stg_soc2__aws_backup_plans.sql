-- One row per entity of CloudQuery's aws_backup_plans, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_backup_plans',
        natural_key=['arn', 'version_id']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        advanced_backup_settings,
        backup_plan,
        backup_plan_arn,
        backup_plan_id,
        creation_date,
        creator_request_id,
        deletion_date,
        last_execution_date,
        version_id,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
