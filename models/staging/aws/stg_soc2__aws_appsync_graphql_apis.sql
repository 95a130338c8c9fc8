-- One row per AppSync GraphQL API with its field-level log level.
with source as (

    {{ soc2.cloudquery_source('aws_appsync_graphql_apis',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as api_arn,
        name as api_name,
        upper(coalesce(
            {{ soc2.json_text('log_config', ['FieldLogLevel']) }},
            {{ soc2.json_text('log_config', ['fieldLogLevel']) }}
        )) as field_log_level,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
