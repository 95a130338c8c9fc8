-- One row per bucket with a replication configuration (its rules kept as JSON).
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_replications',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        {{ soc2.json_text('replication_configuration', ['Role']) }} as replication_role_arn,
        {{ soc2.json_value('replication_configuration', ['Rules']) }} as replication_rules,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
