{{ config(materialized='table') }}
-- One row per account and class of CloudTrail event that CIS asks to alarm
-- on (soc2.metric_filter_alarm_classes): how far the account's monitoring
-- chain for that class reaches, and the links of its most complete chain.
-- The chain: a multi-region trail that is logging read and write management
-- events -> its CloudWatch Logs log group -> a metric filter on that group
-- whose pattern matches the class -> an alarm on the filter's metric (same
-- region, metric name and namespace) with actions enabled -> an SNS topic
-- among the alarm's actions -> a confirmed subscription to that topic (a
-- confirmed aws_sns_subscriptions row, or the topic's SubscriptionsConfirmed).
-- chain_stage: 0 no such trail delivering to CloudWatch Logs, 1 no matching
-- metric filter, 2 no alarm on its metric, 3 no enabled SNS action, 4 no
-- confirmed subscription, 5 complete. A table: its SQL is long (Spark keeps
-- a view's text only up to about 32,700 characters).
{%- set classes = soc2.metric_filter_alarm_classes() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

trails as (

    select * from {{ ref('int_soc2__aws_cloudtrail_trails') }}

),

metric_filters as (

    select * from {{ ref('stg_soc2__aws_cloudwatchlogs_metric_filters') }}

),

alarms as (

    select * from {{ ref('stg_soc2__aws_cloudwatch_alarms') }}

),

subscriptions as (

    select * from {{ ref('stg_soc2__aws_sns_subscriptions') }}

),

topics as (

    select * from {{ ref('stg_soc2__aws_sns_topics') }}

),

alarm_classes as (

    {%- for class in classes %}
    select
        '{{ class.class }}' as alarm_class,
        '{{ class.label }}' as class_label,
        {{ class.terms | length }} as term_count,
        '{{ class.terms | join("; ") }}' as class_terms
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

class_terms as (

    {%- for class in classes %}
    {%- set class_loop = loop %}
    {%- for term in class.terms %}
    select '{{ class.class }}' as alarm_class, '{{ soc2.metric_filter_term_text(term) }}' as term_text
    {%- if not (class_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}

),

monitored_trails as (

    select *
    from trails
    where
        is_multi_region_trail
        and is_logging
        and records_management_events
        and log_group_name is not null

),

trail_filters as (

    select
        monitored_trails.account_id,
        monitored_trails.trail_name,
        monitored_trails.log_group_name,
        metric_filters.region,
        metric_filters.filter_name,
        metric_filters.metric_transformations,
        {{ soc2.metric_filter_pattern_text('metric_filters.filter_pattern') }} as pattern_text,
        metric_filters.source_relation,
        metric_filters.synced_at
    from monitored_trails
    inner join metric_filters
        on
            monitored_trails.account_id = metric_filters.account_id
            and monitored_trails.log_group_region = metric_filters.region
            and monitored_trails.log_group_name = metric_filters.log_group_name

),

filter_term_matches as (

    select
        trail_filters.account_id,
        trail_filters.region,
        trail_filters.log_group_name,
        trail_filters.filter_name,
        class_terms.alarm_class,
        count(*) as matched_terms
    from trail_filters
    inner join class_terms
        on {{ dbt.position('class_terms.term_text', 'trail_filters.pattern_text') }} > 0
    group by
        trail_filters.account_id,
        trail_filters.region,
        trail_filters.log_group_name,
        trail_filters.filter_name,
        class_terms.alarm_class

),

matching_filters as (

    select
        trail_filters.*,
        alarm_classes.alarm_class
    from filter_term_matches
    inner join alarm_classes
        on
            filter_term_matches.alarm_class = alarm_classes.alarm_class
            and filter_term_matches.matched_terms = alarm_classes.term_count
    inner join trail_filters
        on
            filter_term_matches.account_id = trail_filters.account_id
            and filter_term_matches.region = trail_filters.region
            and filter_term_matches.log_group_name = trail_filters.log_group_name
            and filter_term_matches.filter_name = trail_filters.filter_name

),

filter_metrics as (

    select
        matching_filters.account_id,
        matching_filters.region,
        matching_filters.alarm_class,
        matching_filters.trail_name,
        matching_filters.log_group_name,
        matching_filters.filter_name,
        {{ soc2.json_text('transformation', ['MetricName']) }} as metric_name,
        {{ soc2.json_text('transformation', ['MetricNamespace']) }} as metric_namespace,
        matching_filters.source_relation,
        matching_filters.synced_at
    from matching_filters
    {{ soc2.unnest_lateral(
        soc2.json_as_array('matching_filters.metric_transformations'),
        'transformation', 'transformation_index') }}

),

alarm_actions as (

    select
        alarms.alarm_arn,
        {{ soc2.json_element_text('alarm_action') }} as action_arn
    from alarms
    {{ soc2.unnest_lateral(
        soc2.json_as_array('alarms.alarm_actions'),
        'alarm_action', 'action_index') }}

),

alarm_topics as (

    select distinct
        alarms.alarm_arn,
        alarm_actions.action_arn as topic_arn
    from alarms
    inner join alarm_actions
        on alarms.alarm_arn = alarm_actions.alarm_arn
    where
        alarms.is_actions_enabled
        and alarm_actions.action_arn like 'arn:aws%:sns:%'

),

{#- a confirmed subscription row, or the topic's own count of them: either
    table is enough (the catalog lists them as alternatives) #}
confirmed_topics as (

    select topic_arn
    from subscriptions
    where is_confirmed
    union
    select topic_arn
    from topics
    where confirmed_subscription_count > 0

),

chain_links as (

    select
        filter_metrics.account_id,
        filter_metrics.alarm_class,
        filter_metrics.trail_name,
        filter_metrics.log_group_name,
        filter_metrics.filter_name,
        filter_metrics.metric_namespace,
        filter_metrics.metric_name,
        alarms.alarm_name,
        alarm_topics.topic_arn,
        case
            when alarms.alarm_arn is null then 2
            when alarm_topics.topic_arn is null then 3
            when confirmed_topics.topic_arn is null then 4
            else 5
        end as chain_stage,
        filter_metrics.source_relation,
        filter_metrics.synced_at
    from filter_metrics
    left join alarms
        on
            filter_metrics.account_id = alarms.account_id
            and filter_metrics.region = alarms.region
            and filter_metrics.metric_name = alarms.metric_name
            and filter_metrics.metric_namespace = alarms.metric_namespace
    left join alarm_topics
        on alarms.alarm_arn = alarm_topics.alarm_arn
    left join confirmed_topics
        on alarm_topics.topic_arn = confirmed_topics.topic_arn

),

trail_links as (

    select
        monitored_trails.account_id,
        alarm_classes.alarm_class,
        monitored_trails.trail_name,
        monitored_trails.log_group_name,
        cast(null as {{ dbt.type_string() }}) as filter_name,
        cast(null as {{ dbt.type_string() }}) as metric_namespace,
        cast(null as {{ dbt.type_string() }}) as metric_name,
        cast(null as {{ dbt.type_string() }}) as alarm_name,
        cast(null as {{ dbt.type_string() }}) as topic_arn,
        1 as chain_stage,
        monitored_trails.source_relation,
        monitored_trails.synced_at
    from monitored_trails
    cross join alarm_classes

),

ranked_links as (

    select
        *,
        row_number() over (
            partition by account_id, alarm_class
            order by
                chain_stage desc, trail_name, filter_name, alarm_name, topic_arn
        ) as link_rank
    from (
        select * from chain_links
        union all
        select * from trail_links
    ) as links

),

trail_relation as (

    select max(source_relation) as source_relation
    from {{ ref('stg_soc2__aws_cloudtrail_trails') }}

),

final as (

    select
        accounts.account_id,
        alarm_classes.alarm_class,
        alarm_classes.class_label,
        alarm_classes.class_terms,
        coalesce(ranked_links.chain_stage, 0) as chain_stage,
        ranked_links.trail_name,
        ranked_links.log_group_name,
        ranked_links.filter_name,
        ranked_links.metric_namespace,
        ranked_links.metric_name,
        ranked_links.alarm_name,
        ranked_links.topic_arn,
        coalesce(ranked_links.source_relation, trail_relation.source_relation, 'aws_cloudtrail_trails')
            as source_relation,
        ranked_links.synced_at
    from accounts
    cross join alarm_classes
    cross join trail_relation
    left join ranked_links
        on
            accounts.account_id = ranked_links.account_id
            and alarm_classes.alarm_class = ranked_links.alarm_class
            and ranked_links.link_rank = 1

)

select * from final
