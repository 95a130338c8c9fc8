-- One row per ECS task definition revision.
with source as (

    {{ soc2.cloudquery_source('aws_ecs_task_definitions',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as task_definition_arn,
        family as task_family,
        revision,
        status as task_definition_status,
        container_definitions,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
