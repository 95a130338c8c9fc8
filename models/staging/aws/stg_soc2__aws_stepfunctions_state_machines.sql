-- One row per Step Functions state machine with its logging level.
with source as (

    {{ soc2.cloudquery_source('aws_stepfunctions_state_machines',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as state_machine_arn,
        name as state_machine_name,
        type as state_machine_type,
        upper(coalesce(
            {{ soc2.json_text('logging_configuration', ['Level']) }},
            {{ soc2.json_text('logging_configuration', ['level']) }}
        )) as logging_level,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
