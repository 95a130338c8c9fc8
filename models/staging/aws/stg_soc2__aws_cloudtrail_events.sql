-- One row per CloudTrail management event of the 90-day event history.
with source as (

    {{ soc2.cloudquery_source('aws_cloudtrail_events',
        natural_key=['event_id', 'event_time']) }}

),

renamed as (

    select
        account_id,
        region,
        event_id,
        event_time,
        event_name,
        event_source,
        username,
        {{ soc2.json_text('cloud_trail_event', ['userIdentity', 'arn']) }} as principal_arn,
        {{ soc2.json_text('cloud_trail_event', ['errorCode']) }} as error_code,
        {{ soc2.json_text('cloud_trail_event', ['sourceIPAddress']) }} as source_ip_address,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
