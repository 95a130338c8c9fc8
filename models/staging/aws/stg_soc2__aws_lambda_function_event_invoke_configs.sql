-- One row per entity of CloudQuery's aws_lambda_function_event_invoke_configs, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_lambda_function_event_invoke_configs',
        natural_key=['function_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        function_arn,
        destination_config,
        maximum_retry_attempts,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
