-- One row per trail: its classic and advanced event selectors, as synced.
with source as (

    {{ soc2.cloudquery_source('aws_cloudtrail_trail_event_selectors',
        natural_key=['trail_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        trail_arn,
        event_selectors,
        advanced_event_selectors,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
