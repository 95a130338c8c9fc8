-- One row per bucket: its server access logging configuration.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_loggings',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        {{ soc2.json_text('logging_enabled', ['TargetBucket']) }} as target_bucket,
        {{ soc2.json_text('logging_enabled', ['TargetPrefix']) }} as target_prefix,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
