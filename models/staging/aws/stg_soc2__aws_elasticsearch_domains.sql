-- One row per OpenSearch / Elasticsearch domain with its log publishing options.
with source as (

    {{ soc2.cloudquery_source('aws_elasticsearch_domains',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as domain_arn,
        domain_name,
        elasticsearch_version as engine_version,
        lower({{ soc2.json_text('log_publishing_options', ['AUDIT_LOGS', 'Enabled']) }}) as audit_logs_enabled,
        nullif({{ soc2.json_text(
            'log_publishing_options', ['AUDIT_LOGS', 'CloudWatchLogsLogGroupArn']) }}, '') as audit_logs_group_arn,
        lower({{ soc2.json_text(
            'log_publishing_options', ['ES_APPLICATION_LOGS', 'Enabled']) }}) as application_logs_enabled,
        nullif({{ soc2.json_text(
            'log_publishing_options',
            ['ES_APPLICATION_LOGS', 'CloudWatchLogsLogGroupArn']) }}, '') as application_logs_group_arn,
        lower({{ soc2.json_text(
            'log_publishing_options', ['SEARCH_SLOW_LOGS', 'Enabled']) }}) as search_slow_logs_enabled,
        nullif({{ soc2.json_text(
            'log_publishing_options',
            ['SEARCH_SLOW_LOGS', 'CloudWatchLogsLogGroupArn']) }}, '') as search_slow_logs_group_arn,
        lower({{ soc2.json_text(
            'log_publishing_options', ['INDEX_SLOW_LOGS', 'Enabled']) }}) as index_slow_logs_enabled,
        nullif({{ soc2.json_text(
            'log_publishing_options',
            ['INDEX_SLOW_LOGS', 'CloudWatchLogsLogGroupArn']) }}, '') as index_slow_logs_group_arn,
        access_policies,
        vpc_options,
        encryption_at_rest_options,
        node_to_node_encryption_options,
        domain_endpoint_options,
        elasticsearch_cluster_config,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
