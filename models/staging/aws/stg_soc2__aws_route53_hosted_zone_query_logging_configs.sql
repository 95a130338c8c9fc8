-- One row per Route 53 query logging configuration.
with source as (

    {{ soc2.cloudquery_source('aws_route53_hosted_zone_query_logging_configs',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        arn as query_logging_config_arn,
        hosted_zone_arn,
        hosted_zone_id,
        cloud_watch_logs_log_group_arn as log_group_arn,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
