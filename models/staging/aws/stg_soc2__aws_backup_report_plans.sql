-- One row per entity of CloudQuery's aws_backup_report_plans, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_backup_report_plans',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        report_plan_name,
        deployment_status,
        report_setting,
        last_successful_execution_time,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
