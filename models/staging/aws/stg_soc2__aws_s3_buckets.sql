-- One row per S3 bucket.
with source as (

    {{ soc2.cloudquery_source('aws_s3_buckets',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        arn as bucket_arn,
        name as bucket_name,
        region,
        policy_status,
        tags,
        creation_date as created_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
