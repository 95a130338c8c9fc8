-- One row per bucket: versioning and MFA delete state.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_versionings',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        status as versioning_status,
        mfa_delete as mfa_delete_status,
        status = 'Enabled' as is_versioning_enabled,
        mfa_delete = 'Enabled' as is_mfa_delete_enabled,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
