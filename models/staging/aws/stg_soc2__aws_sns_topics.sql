-- One row per SNS topic (GetTopicAttributes).
with source as (

    {{ soc2.cloudquery_source('aws_sns_topics',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as topic_arn,
        nullif(kms_master_key_id, '') as kms_master_key_id,
        subscriptions_confirmed as confirmed_subscription_count,
        policy,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
