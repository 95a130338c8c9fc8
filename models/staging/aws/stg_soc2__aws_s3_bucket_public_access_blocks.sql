-- One row per bucket with a bucket-level public access block.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_public_access_blocks',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        lower({{ soc2.json_text('public_access_block_configuration', ['BlockPublicAcls']) }})
        = 'true' as block_public_acls,
        lower({{ soc2.json_text('public_access_block_configuration', ['IgnorePublicAcls']) }})
        = 'true' as ignore_public_acls,
        lower({{ soc2.json_text('public_access_block_configuration', ['BlockPublicPolicy']) }})
        = 'true' as block_public_policy,
        lower({{ soc2.json_text('public_access_block_configuration', ['RestrictPublicBuckets']) }})
        = 'true' as restrict_public_buckets,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
