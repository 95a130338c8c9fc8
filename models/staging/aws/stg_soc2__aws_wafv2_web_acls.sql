-- One row per WAFv2 web ACL: logging destinations, metrics and rules.
with source as (

    {{ soc2.cloudquery_source('aws_wafv2_web_acls',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as web_acl_arn,
        id as web_acl_id,
        name as web_acl_name,
        {{ soc2.json_text('logging_configuration', ['LogDestinationConfigs']) }} as log_destination_configs,
        lower({{ soc2.json_text('visibility_config', ['CloudWatchMetricsEnabled']) }}) as metrics_enabled,
        rules,
        {{ soc2.text_array_to_json('resources_for_web_acl') }} as resources_for_web_acl,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
