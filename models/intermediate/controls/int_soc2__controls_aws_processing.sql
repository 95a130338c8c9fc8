-- Processing-integrity controls on messaging and streams: SQS queues send
-- messages that keep failing to a dead-letter queue (a queue that is itself
-- the dead-letter target of another queue of the account and region is not
-- applicable), and Kinesis data streams keep records at least
-- var soc2_kinesis_min_retention_hours hours.
{% call soc2.control_family() %}
{%- set kinesis_min_hours = var('soc2_kinesis_min_retention_hours', 168) | int -%}
with queues as (

    select * from {{ ref('stg_soc2__aws_sqs_queues') }}

),

streams as (

    select * from {{ ref('stg_soc2__aws_kinesis_streams') }}

),

queue_redrive as (

    select
        queues.*,
        {{ soc2.json_text('queues.redrive_policy', ['deadLetterTargetArn']) }} as dead_letter_target_arn
    from queues

),

dead_letter_targets as (

    select distinct
        account_id,
        region,
        dead_letter_target_arn
    from queue_redrive
    where dead_letter_target_arn is not null

),

sqs_dlq as (

    select
        'aws_sqs_dlq' as control_id,
        queue_redrive.account_id,
        queue_redrive.region,
        'aws_sqs_queue' as resource_type,
        queue_redrive.arn as resource_id,
        case
            when queue_redrive.dead_letter_target_arn is not null then 'pass'
            when dead_letter_targets.dead_letter_target_arn is not null then 'not_applicable'
            else 'fail'
        end as status,
        case
            when queue_redrive.dead_letter_target_arn is not null
                then 'the queue sends messages that keep failing to ' || queue_redrive.dead_letter_target_arn
            when dead_letter_targets.dead_letter_target_arn is not null
                then 'the queue is the dead-letter queue of another queue'
            else 'queue ' || queue_redrive.arn
                || ' has no redrive policy: messages that keep failing are retried until they expire; configure a dead-letter queue'
        end as reason,
        'deadLetterTargetArn=' || coalesce(queue_redrive.dead_letter_target_arn, 'none') as evidence,
        queue_redrive.source_relation,
        queue_redrive.synced_at
    from queue_redrive
    left join dead_letter_targets
        on queue_redrive.account_id = dead_letter_targets.account_id
        and queue_redrive.region = dead_letter_targets.region
        and queue_redrive.arn = dead_letter_targets.dead_letter_target_arn

),

kinesis_retention as (

    select
        'aws_kinesis_retention' as control_id,
        account_id,
        region,
        'aws_kinesis_stream' as resource_type,
        arn as resource_id,
        case
            when retention_period_hours is null then 'not_evaluated'
            when retention_period_hours >= {{ kinesis_min_hours }} then 'pass'
            else 'fail'
        end as status,
        case
            when retention_period_hours is null
                then 'the sync did not record retention_period_hours; sync it to evaluate the stream'
            when retention_period_hours >= {{ kinesis_min_hours }}
                then 'stream ' || stream_name || ' keeps records '
                || cast(retention_period_hours as {{ dbt.type_string() }}) || ' hours'
            else 'stream ' || stream_name || ' keeps records '
                || cast(retention_period_hours as {{ dbt.type_string() }})
                || ' hours, under {{ kinesis_min_hours }} (var soc2_kinesis_min_retention_hours); raise its retention period'
        end as reason,
        'RetentionPeriodHours=' || coalesce(cast(retention_period_hours as {{ dbt.type_string() }}), 'null') as evidence,
        source_relation,
        synced_at
    from streams

),

final as (

    select * from sqs_dlq
    union all
    select * from kinesis_retention

)

select * from final
{% endcall %}
