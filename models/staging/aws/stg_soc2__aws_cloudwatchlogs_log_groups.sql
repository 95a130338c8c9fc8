-- One row per CloudWatch Logs log group.
with source as (

    {{ soc2.cloudquery_source('aws_cloudwatchlogs_log_groups',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as log_group_arn,
        log_group_name,
        nullif(kms_key_id, '') as kms_key_id,
        retention_in_days,
        log_group_class,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
