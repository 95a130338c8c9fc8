-- One row per metric filter of a log group.
with source as (

    {{ soc2.cloudquery_source('aws_cloudwatchlogs_metric_filters',
        natural_key=['log_group_arn', 'filter_name']) }}

),

renamed as (

    select
        account_id,
        region,
        log_group_arn,
        log_group_name,
        filter_name,
        filter_pattern,
        metric_transformations,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
