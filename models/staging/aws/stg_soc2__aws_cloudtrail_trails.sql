-- One row per trail and region it was synced from: a multi-region trail is
-- listed by every region it covers (home_region tells where it was made).
with source as (

    {{ soc2.cloudquery_source('aws_cloudtrail_trails',
        natural_key=['account_id', 'region', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        coalesce(arn, trail_arn) as trail_arn,
        name as trail_name,
        coalesce(home_region, region) as home_region,
        coalesce(is_multi_region_trail, false) as is_multi_region_trail,
        coalesce(is_organization_trail, false) as is_organization_trail,
        coalesce(include_global_service_events, false) as includes_global_service_events,
        coalesce(log_file_validation_enabled, false) as is_log_file_validation_enabled,
        nullif(kms_key_id, '') as kms_key_id,
        nullif(cloud_watch_logs_log_group_arn, '') as log_group_arn,
        coalesce(
            nullif(cloudwatch_logs_log_group_name, ''),
            {{ soc2.list_item('cloud_watch_logs_log_group_arn', ':', 7) }}
        ) as log_group_name,
        coalesce(has_custom_event_selectors, false) as has_custom_event_selectors,
        coalesce(has_insight_selectors, false) as has_insight_selectors,
        nullif(s3_bucket_name, '') as s3_bucket_name,
        {{ soc2.json_text('status', ['IsLogging']) }} = 'true' as is_logging,
        {{ soc2.json_text('status', ['LatestCloudWatchLogsDeliveryTime']) }}
            as latest_cloudwatch_delivery_text,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
