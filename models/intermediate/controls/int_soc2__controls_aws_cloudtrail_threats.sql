-- Threat patterns in CloudTrail's event history, one row per account: no
-- principal used a large share of the actions of a privilege-escalation,
-- enumeration or LLM-jacking pattern (macro soc2.cloudtrail_threat_rules)
-- within the lookback window. Partly decidable: CloudQuery syncs the 90-day
-- management-event history of the synced regions only (no data events), and
-- the patterns are heuristics.
{%- set rules = soc2.cloudtrail_threat_rules() %}
{%- set thresholds = var('soc2_cloudtrail_threat_thresholds') %}
{%- set lookback = var('soc2_cloudtrail_threat_lookback_days') %}
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

events as (

    select * from {{ ref('stg_soc2__aws_cloudtrail_events') }}

),

rule_actions as (

    {%- for rule_name, actions in rules | dictsort %}
    {%- set outer = loop %}
    {%- for action in actions %}
    select
        cast('{{ rule_name }}' as {{ dbt.type_string() }}) as rule_name,
        cast('{{ action }}' as {{ dbt.type_string() }}) as event_name,
        {{ actions | length }} as rule_size,
        {{ thresholds.get(rule_name, 1) }} as min_share
    {%- if not (loop.last and outer.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}

),

recent_events as (

    select *
    from events
    where
        event_time <= {{ soc2.as_of_timestamp() }}
        and {{ soc2.days_before_as_of('event_time') }} <= {{ lookback }}

),

principal_rule_use as (

    select
        recent_events.account_id,
        recent_events.principal_arn,
        rule_actions.rule_name,
        max(rule_actions.rule_size) as rule_size,
        max(rule_actions.min_share) as min_share,
        count(distinct recent_events.event_name) as distinct_actions
    from recent_events
    inner join rule_actions
        on recent_events.event_name = rule_actions.event_name
    where recent_events.principal_arn is not null
    group by recent_events.account_id, recent_events.principal_arn, rule_actions.rule_name

),

flagged_principals as (

    select
        account_id,
        principal_arn || ' (' || rule_name || ': ' || cast(distinct_actions as {{ dbt.type_string() }})
        || ' of ' || cast(rule_size as {{ dbt.type_string() }}) || ' actions)' as finding
    from principal_rule_use
    where distinct_actions >= min_share * rule_size

),

account_events as (

    select
        accounts.account_id,
        count(events.event_id) as synced_events,
        max(events.source_relation) as source_relation,
        max(events.synced_at) as synced_at
    from accounts
    left join events
        on accounts.account_id = events.account_id
    group by accounts.account_id

),

account_findings as (

    select
        account_events.account_id,
        account_events.synced_events,
        {{ soc2.string_agg_distinct('flagged_principals.finding', '; ') }} as findings,
        account_events.source_relation,
        account_events.synced_at
    from account_events
    left join flagged_principals
        on account_events.account_id = flagged_principals.account_id
    group by
        account_events.account_id,
        account_events.synced_events,
        account_events.source_relation,
        account_events.synced_at

),

cloudtrail_threat_detection as (

    select
        'aws_cloudtrail_threat_detection' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case
            when synced_events = 0 then 'not_evaluated'
            when findings is not null then 'fail'
            else 'pass'
        end as status,
        case
            when synced_events = 0
                then 'aws_cloudtrail_events has no event for this account (its event history was not synced)'
            when findings is not null
                then 'principals whose recent activity matches a threat pattern: ' || findings
                || '; investigate these sessions (the patterns are heuristics; only management events '
                || 'of the synced regions were seen)'
            else 'no principal''s activity in the last {{ lookback }} days matches a privilege-escalation, '
                || 'enumeration or LLM-jacking pattern (only management events of the 90-day history of the '
                || 'synced regions are seen; data events are not)'
        end as reason,
        'events_synced=' || cast(synced_events as {{ dbt.type_string() }})
        || '; lookback_days={{ lookback }}' as evidence,
        coalesce(source_relation, 'aws_cloudtrail_events') as source_relation,
        synced_at
    from account_findings

),

final as (

    select * from cloudtrail_threat_detection

)

select * from final
{% endcall %}
