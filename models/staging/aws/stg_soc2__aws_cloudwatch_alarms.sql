-- One row per CloudWatch alarm. The list of alarm actions is kept as a JSON
-- array, which every engine reads with the same macros.
with source as (

    {{ soc2.cloudquery_source('aws_cloudwatch_alarms',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        coalesce(arn, alarm_arn) as alarm_arn,
        alarm_name,
        metric_name,
        namespace as metric_namespace,
        coalesce(actions_enabled, false) as is_actions_enabled,
        {{ soc2.text_array_to_json('alarm_actions') }} as alarm_actions,
        state_value,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
