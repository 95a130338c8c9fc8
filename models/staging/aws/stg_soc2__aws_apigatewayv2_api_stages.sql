-- One row per API Gateway v2 (HTTP or WebSocket) stage with its access log destination.
with source as (

    {{ soc2.cloudquery_source('aws_apigatewayv2_api_stages',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as stage_arn,
        api_arn,
        api_id,
        stage_name,
        nullif({{ soc2.json_text(
            'access_log_settings', ['DestinationArn']) }}, '') as access_log_destination_arn,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
