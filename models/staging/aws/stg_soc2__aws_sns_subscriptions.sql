-- One row per SNS subscription. An unconfirmed subscription has the
-- placeholder `PendingConfirmation` instead of an ARN.
with source as (

    {{ soc2.cloudquery_source('aws_sns_subscriptions',
        natural_key=['arn', 'topic_arn', 'endpoint']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as subscription_arn,
        topic_arn,
        protocol,
        endpoint,
        coalesce(arn like 'arn:%', false)
        and not coalesce(pending_confirmation, false) as is_confirmed,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
