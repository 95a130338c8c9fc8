-- CloudWatch and CloudWatch Logs controls. Per log group: KMS encryption and
-- a retention of at least var soc2_log_group_min_retention_days (never
-- expiring passes). Per alarm: actions enabled with at least one alarm
-- action. Per account and class of CloudTrail event (the CIS metric filter
-- alarms, aws_mf_alarm_<class>): the monitoring chain of
-- int_soc2__aws_cloudwatch_alarm_chain is complete.
{% call soc2.control_family() %}
{%- set min_retention_days = var('soc2_log_group_min_retention_days') %}
with log_groups as (

    select * from {{ ref('stg_soc2__aws_cloudwatchlogs_log_groups') }}

),

alarms as (

    select * from {{ ref('stg_soc2__aws_cloudwatch_alarms') }}

),

alarm_chain as (

    select * from {{ ref('int_soc2__aws_cloudwatch_alarm_chain') }}

),

log_group_encrypted as (

    select
        'aws_cloudwatch_log_group_encrypted' as control_id,
        account_id,
        region,
        'aws_cloudwatch_log_group' as resource_type,
        log_group_arn as resource_id,
        case when kms_key_id is not null then 'pass' else 'fail' end as status,
        case
            when kms_key_id is not null
                then 'log group ' || log_group_name || ' is encrypted with KMS key ' || kms_key_id
            else
                'log group ' || log_group_name || ' is encrypted only with the service key; '
                || 'associate a customer managed KMS key with it'
        end as reason,
        'kms_key_id=' || coalesce(kms_key_id, 'none') as evidence,
        source_relation,
        synced_at
    from log_groups

),

log_group_retention as (

    select
        'aws_log_group_retention' as control_id,
        account_id,
        region,
        'aws_cloudwatch_log_group' as resource_type,
        log_group_arn as resource_id,
        case
            when retention_in_days is null then 'pass'
            when retention_in_days >= {{ min_retention_days }} then 'pass'
            else 'fail'
        end as status,
        case
            when retention_in_days is null
                then 'log group ' || log_group_name || ' never expires its events'
            when retention_in_days >= {{ min_retention_days }}
                then
                    'log group ' || log_group_name || ' keeps events for '
                    || cast(retention_in_days as {{ dbt.type_string() }})
                    || ' days, at least the {{ min_retention_days }} required'
            else
                'log group ' || log_group_name || ' keeps events for only '
                || cast(retention_in_days as {{ dbt.type_string() }})
                || ' days; set a retention of at least {{ min_retention_days }} days '
                || '(var soc2_log_group_min_retention_days) or archive the events elsewhere'
        end as reason,
        'retention_in_days=' || coalesce(cast(retention_in_days as {{ dbt.type_string() }}), 'never expire')
        || '; minimum={{ min_retention_days }}' as evidence,
        source_relation,
        synced_at
    from log_groups

),

alarm_action_counts as (

    select
        alarms.alarm_arn,
        count(alarm_action_rows.action_index) as alarm_action_count
    from alarms
    left join (
        select
            alarms.alarm_arn,
            action_index
        from alarms
        {{ soc2.unnest_lateral(
            soc2.json_as_array('alarms.alarm_actions'),
            'alarm_action', 'action_index') }}
    ) as alarm_action_rows
        on alarms.alarm_arn = alarm_action_rows.alarm_arn
    group by alarms.alarm_arn

),

alarm_actions_configured as (

    select
        'aws_cloudwatch_alarm_actions' as control_id,
        alarms.account_id,
        alarms.region,
        'aws_cloudwatch_alarm' as resource_type,
        alarms.alarm_arn as resource_id,
        case
            when not alarms.is_actions_enabled then 'fail'
            when alarm_action_counts.alarm_action_count = 0 then 'fail'
            else 'pass'
        end as status,
        case
            when not alarms.is_actions_enabled
                then
                    'alarm ' || alarms.alarm_name || ' has its actions disabled; enable them so '
                    || 'that entering ALARM notifies someone'
            when alarm_action_counts.alarm_action_count = 0
                then
                    'alarm ' || alarms.alarm_name || ' has no action for the ALARM state; add one '
                    || '(for example an SNS topic)'
            else
                'alarm ' || alarms.alarm_name || ' has actions enabled and '
                || cast(alarm_action_counts.alarm_action_count as {{ dbt.type_string() }})
                || ' action(s) for the ALARM state'
        end as reason,
        'actions_enabled=' || cast(alarms.is_actions_enabled as {{ dbt.type_string() }})
        || '; alarm_actions=' || cast(alarm_action_counts.alarm_action_count as {{ dbt.type_string() }})
            as evidence,
        alarms.source_relation,
        alarms.synced_at
    from alarms
    inner join alarm_action_counts
        on alarms.alarm_arn = alarm_action_counts.alarm_arn

),

metric_filter_alarms as (

    select
        'aws_mf_alarm_' || alarm_class as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case when chain_stage = 5 then 'pass' else 'fail' end as status,
        case chain_stage
            when 0
                then
                    'no multi-region trail that is logging read and write management events '
                    || 'delivers to CloudWatch Logs, so no metric filter can alarm on '
                    || class_label
            when 1
                then
                    'no metric filter on log group ' || log_group_name || ' (trail ' || trail_name
                    || ') matches ' || class_label || '; add one whose pattern covers: ' || class_terms
            when 2
                then
                    'metric filter ' || filter_name || ' (' || class_label || ') feeds metric '
                    || coalesce(metric_namespace, '?') || '/' || coalesce(metric_name, '?')
                    || ', which no alarm watches; create an alarm on it'
            when 3
                then
                    'alarm ' || alarm_name || ' on ' || class_label
                    || ' has no enabled action that notifies an SNS topic; add one'
            when 4
                then
                    'alarm ' || alarm_name || ' on ' || class_label || ' notifies SNS topic '
                    || topic_arn || ', which has no confirmed subscription; subscribe someone'
            else
                'trail ' || trail_name || ' -> log group ' || log_group_name || ' -> metric filter '
                || filter_name || ' -> alarm ' || alarm_name || ' -> SNS topic ' || topic_arn
                || ' with a confirmed subscription (the pattern is matched on its text)'
        end as reason,
        'chain_stage=' || cast(chain_stage as {{ dbt.type_string() }})
        || '; trail=' || coalesce(trail_name, 'none')
        || '; filter=' || coalesce(filter_name, 'none')
        || '; alarm=' || coalesce(alarm_name, 'none')
        || '; topic=' || coalesce(topic_arn, 'none') as evidence,
        source_relation,
        synced_at
    from alarm_chain

),

final as (

    select * from log_group_encrypted
    union all
    select * from log_group_retention
    union all
    select * from alarm_actions_configured
    union all
    select * from metric_filter_alarms

)

select * from final
{% endcall %}
