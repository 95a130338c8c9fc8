-- One row per failure episode of a resource under a control: opened on the
-- first failing evaluation date, closed by the first later date on which it
-- passes, no longer applies, or has disappeared (the first evaluation date
-- after it was last seen on which the control was evaluated for its account
-- and had no row for it). not_evaluated, excepted and manual days neither
-- open nor close an episode. Open episodes count their days up to the
-- latest evaluation date (DECISIONS 105).
with history as (

    select * from {{ ref('soc2__control_history') }}

),

evaluation_dates as (

    select
        evaluation_date,
        lead(evaluation_date) over (order by evaluation_date) as next_evaluation_date
    from (select distinct evaluation_date from history) as dates

),

latest_evaluation as (

    select max(evaluation_date) as latest_evaluation_date from evaluation_dates

),

resource_days as (

    select
        history.control_id,
        history.account_id,
        history.region,
        history.resource_id,
        history.evaluation_date,
        history.status,
        history.resource_type,
        lead(history.evaluation_date) over (
            partition by history.control_id, history.account_id, history.region, history.resource_id
            order by history.evaluation_date
        ) as next_seen_on,
        evaluation_dates.next_evaluation_date
    from history
    inner join evaluation_dates
        on history.evaluation_date = evaluation_dates.evaluation_date

),

{#- The days a control could not be evaluated for an account at all (its
    table unavailable, its family switched off: one not_evaluated row for the
    account). A resource missing on such a day has not disappeared. #}
unevaluated_account_days as (

    select distinct
        control_id,
        account_id,
        evaluation_date
    from history
    where status = 'not_evaluated' and resource_type = 'aws_account'

),

{#- A resource not seen on the next evaluation date: the first later date,
    before it is seen again, on which the control was evaluated for its
    account. #}
disappearances as (

    select
        resource_days.control_id,
        resource_days.account_id,
        resource_days.region,
        resource_days.resource_id,
        resource_days.resource_type,
        min(later_dates.evaluation_date) as evaluation_date
    from resource_days
    inner join evaluation_dates as later_dates
        on
            later_dates.evaluation_date > resource_days.evaluation_date
            and (resource_days.next_seen_on is null or later_dates.evaluation_date < resource_days.next_seen_on)
    left join unevaluated_account_days
        on
            resource_days.control_id = unevaluated_account_days.control_id
            and resource_days.account_id = unevaluated_account_days.account_id
            and later_dates.evaluation_date = unevaluated_account_days.evaluation_date
    where
        resource_days.next_evaluation_date is not null
        and (resource_days.next_seen_on is null or resource_days.next_seen_on > resource_days.next_evaluation_date)
        and unevaluated_account_days.control_id is null
    group by
        resource_days.control_id,
        resource_days.account_id,
        resource_days.region,
        resource_days.resource_id,
        resource_days.resource_type,
        resource_days.evaluation_date

),

{#- The decisive events of each resource: a failing, passing or
    no-longer-applicable day, and the evaluation date on which it was first
    missing after being seen. #}
events as (

    select
        control_id, account_id, region, resource_id, resource_type, evaluation_date,
        case status when 'fail' then 'fail' when 'pass' then 'passed' else 'not_applicable' end
            as event_kind
    from resource_days
    where status in ('fail', 'pass', 'not_applicable')
    union all
    select
        control_id, account_id, region, resource_id, resource_type, evaluation_date,
        'resource_disappeared' as event_kind
    from disappearances

),

sequenced as (

    select
        *,
        lag(event_kind) over (
            partition by control_id, account_id, region, resource_id
            order by evaluation_date
        ) as previous_kind
    from events

),

numbered as (

    select
        *,
        sum(case when event_kind = 'fail' and coalesce(previous_kind, '') != 'fail' then 1 else 0 end)
            over (
                partition by control_id, account_id, region, resource_id
                order by evaluation_date
                rows between unbounded preceding and current row
            ) as episode_number
    from sequenced

),

episodes as (

    select
        control_id,
        account_id,
        region,
        resource_id,
        episode_number,
        max(resource_type) as resource_type,
        min(case when event_kind = 'fail' then evaluation_date end) as opened_on,
        max(case when event_kind = 'fail' then evaluation_date end) as last_failed_on,
        sum(case when event_kind = 'fail' then 1 else 0 end) as failing_days,
        min(case when event_kind != 'fail' and previous_kind = 'fail' then evaluation_date end)
            as closed_on,
        max(case when event_kind != 'fail' and previous_kind = 'fail' then event_kind end)
            as close_reason
    from numbered
    where episode_number > 0
    group by control_id, account_id, region, resource_id, episode_number

),

catalog as (

    select * from {{ ref('soc2__control_catalog') }}

),

final as (

    select
        episodes.control_id
        || '|' || coalesce(episodes.account_id, '-')
        || '|' || episodes.region
        || '|' || episodes.resource_id
        || '|' || {{ soc2.date_text('episodes.opened_on') }} as episode_id,
        episodes.control_id,
        catalog.control_title,
        catalog.trust_category,
        catalog.severity,
        episodes.account_id,
        episodes.region,
        episodes.resource_type,
        episodes.resource_id,
        episodes.episode_number,
        episodes.episode_number > 1 as is_reopened,
        episodes.opened_on,
        episodes.last_failed_on,
        episodes.closed_on,
        episodes.close_reason,
        episodes.closed_on is null as is_open,
        {{ soc2.days_between(
            'episodes.opened_on',
            'coalesce(episodes.closed_on, latest_evaluation.latest_evaluation_date)') }} as days_open,
        episodes.failing_days
    from episodes
    cross join latest_evaluation
    left join catalog
        on episodes.control_id = catalog.control_id

)

select * from final
