-- One row per ACL grant of a bucket (grantee and permission).
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_grants',
        natural_key=['bucket_arn', 'grantee_type', 'grantee_id', 'permission']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        grantee_type,
        grantee_id,
        {{ soc2.json_text('grantee', ['URI']) }} as grantee_uri,
        permission,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
