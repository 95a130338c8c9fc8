-- One row per CloudFront distribution with its standard and real-time logging settings.
with source as (

    {{ soc2.cloudquery_source('aws_cloudfront_distributions',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        arn as distribution_arn,
        id as distribution_id,
        domain_name,
        lower({{ soc2.json_text('distribution_config', ['Logging', 'Enabled']) }}) as standard_logging_enabled,
        nullif({{ soc2.json_text(
            'distribution_config', ['Logging', 'Bucket']) }}, '') as standard_logging_bucket,
        nullif({{ soc2.json_text(
            'distribution_config',
            ['DefaultCacheBehavior', 'RealtimeLogConfigArn']) }}, '') as default_realtime_log_config_arn,
        distribution_config,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
