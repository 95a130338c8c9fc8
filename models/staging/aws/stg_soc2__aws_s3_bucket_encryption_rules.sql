-- One row per bucket with default encryption configured.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_encryption_rules',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        {{ soc2.json_text('apply_server_side_encryption_by_default', ['SSEAlgorithm']) }}
            as sse_algorithm,
        {{ soc2.json_text('apply_server_side_encryption_by_default', ['KMSMasterKeyID']) }}
            as kms_master_key_id,
        bucket_key_enabled as is_bucket_key_enabled,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
