-- One row per lifecycle rule of a bucket: whether it is on, and whether it
-- expires objects and noncurrent versions.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_lifecycles',
        natural_key=['bucket_arn', 'id']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        id as rule_id,
        status as rule_status,
        coalesce(status = 'Enabled', false) as is_enabled,
        {{ soc2.json_is_present('expiration') }} as has_expiration,
        {{ soc2.json_is_present('noncurrent_version_expiration') }} as has_noncurrent_version_expiration,
        {{ soc2.json_is_present('transitions') }} as has_transitions,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
