-- One row per API Gateway REST API stage with its stage-wide execution logging level.
with source as (

    {{ soc2.cloudquery_source('aws_apigateway_rest_api_stages',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as stage_arn,
        rest_api_arn,
        stage_name,
        upper({{ soc2.json_text(
            soc2.json_value_at_key('method_settings', "'*/*'"), ['LoggingLevel']) }}) as default_logging_level,
        method_settings,
        cache_cluster_enabled,
        web_acl_arn,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
