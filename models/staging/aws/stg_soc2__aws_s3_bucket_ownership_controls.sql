-- One row per bucket with ownership controls: its Object Ownership setting.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_ownership_controls',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        object_ownership,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
