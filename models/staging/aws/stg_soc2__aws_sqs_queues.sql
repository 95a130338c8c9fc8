-- One row per entity of CloudQuery's aws_sqs_queues, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_sqs_queues',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        url,
        policy,
        redrive_policy,
        kms_master_key_id,
        sqs_managed_sse_enabled,
        message_retention_period,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
