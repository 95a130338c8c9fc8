-- Lambda function settings, one row per control and function: attached to a
-- VPC, a function-level (reserved) concurrency limit, and a dead-letter
-- queue or an on-failure destination for asynchronous invocations.
{% call soc2.control_family() %}
with lambda_functions as (

    select * from {{ ref('stg_soc2__aws_lambda_functions') }}

),

event_invoke_configs as (

    select * from {{ ref('stg_soc2__aws_lambda_function_event_invoke_configs') }}

),

function_settings as (

    select
        account_id,
        region,
        arn,
        coalesce({{ soc2.json_text('configuration', ['FunctionName']) }}, arn) as function_name,
        nullif({{ soc2.json_text('configuration', ['VpcConfig', 'VpcId']) }}, '') as vpc_id,
        {{ soc2.json_text('concurrency', ['ReservedConcurrentExecutions']) }} as reserved_concurrency,
        nullif({{ soc2.json_text('configuration', ['DeadLetterConfig', 'TargetArn']) }}, '') as dead_letter_target,
        source_relation,
        synced_at
    from lambda_functions

),

on_failure_destinations as (

    select
        function_arn,
        max(nullif({{ soc2.json_text('destination_config', ['OnFailure', 'Destination']) }}, '')) as on_failure_destination
    from event_invoke_configs
    group by function_arn

),

lambda_in_vpc as (

    select
        'aws_lambda_in_vpc' as control_id,
        account_id,
        region,
        'aws_lambda_function' as resource_type,
        arn as resource_id,
        case when vpc_id is null then 'fail' else 'pass' end as status,
        case
            when vpc_id is null
                then 'function ' || function_name
                || ' is not attached to a VPC; attach it to private subnets and security groups of a VPC (VpcConfig)'
            else 'the function is attached to VPC ' || vpc_id
        end as reason,
        'VpcId=' || coalesce(vpc_id, 'none') as evidence,
        source_relation,
        synced_at
    from function_settings

),

lambda_concurrency_limit as (

    select
        'aws_lambda_concurrency_limit' as control_id,
        account_id,
        region,
        'aws_lambda_function' as resource_type,
        arn as resource_id,
        case when reserved_concurrency is null then 'fail' else 'pass' end as status,
        case
            when reserved_concurrency is null
                then 'function ' || function_name
                || ' has no function-level concurrency limit and can take the whole account pool; set reserved concurrency (put-function-concurrency)'
            else 'the function has a reserved concurrency of ' || reserved_concurrency
        end as reason,
        'ReservedConcurrentExecutions=' || coalesce(reserved_concurrency, 'none') as evidence,
        source_relation,
        synced_at
    from function_settings

),

lambda_dlq as (

    select
        'aws_lambda_dlq' as control_id,
        function_settings.account_id,
        function_settings.region,
        'aws_lambda_function' as resource_type,
        function_settings.arn as resource_id,
        case
            when function_settings.dead_letter_target is not null
                or on_failure_destinations.on_failure_destination is not null then 'pass'
            else 'fail'
        end as status,
        case
            when function_settings.dead_letter_target is not null
                then 'failed asynchronous invocations go to the dead-letter queue ' || function_settings.dead_letter_target
            when on_failure_destinations.on_failure_destination is not null
                then 'failed asynchronous invocations go to the on-failure destination '
                || on_failure_destinations.on_failure_destination
            else 'function ' || function_settings.function_name
                || ' has neither a dead-letter queue nor an on-failure destination, so failed asynchronous events are dropped; configure one (SQS or SNS)'
        end as reason,
        'DeadLetterConfig.TargetArn=' || coalesce(function_settings.dead_letter_target, 'none')
        || '; OnFailure.Destination=' || coalesce(on_failure_destinations.on_failure_destination, 'none') as evidence,
        function_settings.source_relation,
        function_settings.synced_at
    from function_settings
    left join on_failure_destinations
        on function_settings.arn = on_failure_destinations.function_arn

),

final as (

    select * from lambda_in_vpc
    union all
    select * from lambda_concurrency_limit
    union all
    select * from lambda_dlq

)

select * from final
{% endcall %}
