-- One row per entity of CloudQuery's aws_backup_plan_selections, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_backup_plan_selections',
        natural_key=['plan_arn', 'plan_version_id']) }}

),

renamed as (

    select
        account_id,
        region,
        plan_arn,
        plan_version_id,
        backup_plan_id,
        backup_selection,
        creation_date,
        creator_request_id,
        selection_id,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
