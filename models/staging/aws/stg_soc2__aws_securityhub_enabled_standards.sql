-- One row per Security Hub standard subscription.
with source as (

    {{ soc2.cloudquery_source('aws_securityhub_enabled_standards',
        natural_key=['account_id', 'region', 'standards_arn', 'standards_subscription_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        standards_arn,
        standards_subscription_arn,
        upper(standards_status) as standards_status,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
