-- One row per entity of CloudQuery's aws_dynamodb_tables, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_dynamodb_tables',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        table_name,
        table_status,
        sse_description,
        billing_mode_summary,
        deletion_protection_enabled,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
