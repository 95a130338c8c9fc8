-- One row per account: its account-level S3 Block Public Access settings.
with source as (

    {{ soc2.cloudquery_source('aws_s3_accounts',
        natural_key=['account_id']) }}

),

renamed as (

    select
        account_id,
        coalesce(config_exists, false) as is_config_set,
        block_public_acls,
        ignore_public_acls,
        block_public_policy,
        restrict_public_buckets,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
