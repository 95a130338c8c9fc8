-- One row per entity of CloudQuery's aws_cloudformation_stacks, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_cloudformation_stacks',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        stack_name,
        stack_status,
        enable_termination_protection,
        outputs,
        parameters,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
