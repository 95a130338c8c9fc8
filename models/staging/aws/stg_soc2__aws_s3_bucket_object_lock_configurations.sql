-- One row per bucket with an Object Lock configuration, with its default retention.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_object_lock_configurations',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        object_lock_enabled as object_lock_status,
        coalesce(object_lock_enabled = 'Enabled', false) as is_object_lock_enabled,
        {{ soc2.json_text(adapter.quote('rule'), ['DefaultRetention', 'Mode']) }} as default_retention_mode,
        {{ soc2.json_text(adapter.quote('rule'), ['DefaultRetention', 'Days']) }} as default_retention_days,
        {{ soc2.json_text(adapter.quote('rule'), ['DefaultRetention', 'Years']) }} as default_retention_years,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
