-- One row per CloudTrail trail as listed in each synced region.
with source as (

    {{ soc2.cloudquery_source('aws_cloudtrail_trails',
        natural_key=['account_id', 'region', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as trail_arn,
        name as trail_name,
        home_region,
        coalesce(is_multi_region_trail, false) as is_multi_region_trail,
        coalesce(is_organization_trail, false) as is_organization_trail,
        include_global_service_events,
        has_custom_event_selectors,
        log_file_validation_enabled,
        kms_key_id,
        s3_bucket_name,
        cloud_watch_logs_log_group_arn,
        lower({{ soc2.json_text('status', ['IsLogging']) }}) = 'true' as is_logging,
        status as trail_status,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
