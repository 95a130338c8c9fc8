-- One row per entity of CloudQuery's aws_cloudwatchlogs_resource_policies, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_cloudwatchlogs_resource_policies',
        natural_key=['account_id', 'region', 'policy_name']) }}

),

renamed as (

    select
        account_id,
        region,
        policy_name,
        policy_document,
        last_updated_time,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
