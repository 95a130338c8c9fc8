-- One row per Security Hub hub (account and region where it is enabled).
with source as (

    {{ soc2.cloudquery_source('aws_securityhub_hubs',
        natural_key=['account_id', 'region', 'hub_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        hub_arn,
        subscribed_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
