-- One row per bucket with a bucket policy.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_policies',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        coalesce({{ soc2.json_to_text('policy_json') }}, policy) as policy_document_text,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
