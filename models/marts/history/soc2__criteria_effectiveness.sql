-- Operating effectiveness of each Trust Services Criterion over the audit
-- period, from its status on each evaluation date (the rule of
-- soc2__criteria_summary applied per day): days in scope (from the period
-- start, or the first day a control mapped to it was evaluated), days
-- recorded and decided, the share of decided days on which it passed, and
-- days with no evaluation at all (gaps, reported and never filled).
with criteria as (

    select * from {{ ref('soc2__trust_services_criteria') }}

),

criteria_days as (

    select * from {{ ref('soc2__criteria_daily_status') }}
    where control_count > 0

),

period as (

    select * from {{ ref('soc2__audit_period') }}

),

first_evaluations as (

    select
        criterion_id,
        min(evaluation_date) as first_evaluated_on
    from criteria_days
    group by criterion_id

),

scopes as (

    select
        criteria.criterion_id,
        criteria.trust_category,
        criteria.criterion_group,
        criteria.criterion_title,
        criteria.automation,
        criteria.sort_order,
        period.period_start,
        period.period_end,
        first_evaluations.first_evaluated_on,
        case
            when first_evaluations.first_evaluated_on is not null
                then greatest(period.period_start, first_evaluations.first_evaluated_on)
        end as scope_start,
        period.last_evaluable_date as scope_end
    from criteria
    cross join period
    left join first_evaluations
        on criteria.criterion_id = first_evaluations.criterion_id

),

days_in_scope as (

    select
        scopes.criterion_id,
        count(*) as days_recorded,
        sum(case when criteria_days.criterion_status in ('pass', 'fail') then 1 else 0 end)
            as days_evaluated,
        sum(case when criteria_days.criterion_status = 'pass' then 1 else 0 end) as days_passed,
        sum(case when criteria_days.criterion_status = 'fail' then 1 else 0 end) as days_failed,
        sum(case when criteria_days.criterion_status = 'not_evaluated' then 1 else 0 end)
            as days_not_evaluated,
        sum(case when criteria_days.criterion_status = 'manual' then 1 else 0 end) as days_manual
    from scopes
    inner join criteria_days
        on
            scopes.criterion_id = criteria_days.criterion_id
            and criteria_days.evaluation_date between scopes.scope_start and scopes.scope_end
    group by scopes.criterion_id

),

counted as (

    select
        scopes.*,
        {{ soc2.days_in_scope('scopes.scope_start', 'scopes.scope_end') }} as days_in_scope,
        coalesce(days_in_scope.days_recorded, 0) as days_recorded,
        coalesce(days_in_scope.days_evaluated, 0) as days_evaluated,
        coalesce(days_in_scope.days_passed, 0) as days_passed,
        coalesce(days_in_scope.days_failed, 0) as days_failed,
        coalesce(days_in_scope.days_not_evaluated, 0) as days_not_evaluated,
        coalesce(days_in_scope.days_manual, 0) as days_manual
    from scopes
    left join days_in_scope
        on scopes.criterion_id = days_in_scope.criterion_id

),

final as (

    select
        period_start,
        period_end,
        criterion_id,
        trust_category,
        criterion_group,
        criterion_title,
        automation,
        sort_order,
        first_evaluated_on,
        scope_start,
        scope_end,
        days_in_scope,
        days_recorded,
        days_evaluated,
        days_passed,
        days_failed,
        days_not_evaluated,
        days_manual,
        case
            when days_evaluated > 0
                then cast(days_passed as {{ soc2.sql_type('double') }}) / days_evaluated
        end as pass_share,
        days_in_scope - days_recorded as gap_days,
        case
            when first_evaluated_on is null then 'no_control'
            else {{ soc2.operating_status(
                'days_evaluated', 'days_failed', 'days_in_scope - days_recorded', 'days_recorded') }}
        end as operating_status
    from counted

)

select * from final
