-- One row per bucket: which kinds of event notification destination it has.
with source as (

    {{ soc2.cloudquery_source('aws_s3_bucket_notification_configurations',
        natural_key=['bucket_arn']) }}

),

renamed as (

    select
        account_id,
        bucket_arn,
        {{ soc2.json_is_set('event_bridge_configuration') }} as has_event_bridge,
        {{ soc2.json_is_present('lambda_function_configurations') }} as has_lambda_destinations,
        {{ soc2.json_is_present('queue_configurations') }} as has_queue_destinations,
        {{ soc2.json_is_present('topic_configurations') }} as has_topic_destinations,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
