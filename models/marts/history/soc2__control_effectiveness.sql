-- Operating effectiveness of each control over the audit period (vars
-- soc2_period_start, soc2_period_end): days in scope (from the period start,
-- or the control's first evaluation when it was added later, to the period
-- end or the evaluation date), days recorded and decided, the share of
-- decided days on which it passed, days with no evaluation at all (gaps,
-- reported and never filled) and days on which a risk exception was in force.
with control_days as (

    select * from {{ ref('soc2__control_daily_status') }}

),

catalog as (

    select * from {{ ref('soc2__control_catalog') }}

),

period as (

    select * from {{ ref('soc2__audit_period') }}

),

first_evaluations as (

    select
        control_id,
        min(evaluation_date) as first_evaluated_on
    from control_days
    group by control_id

),

scopes as (

    select
        catalog.control_id,
        catalog.control_title,
        catalog.control_type,
        catalog.trust_category,
        catalog.criteria,
        catalog.severity,
        period.period_start,
        period.period_end,
        first_evaluations.first_evaluated_on,
        case
            when first_evaluations.first_evaluated_on is not null
                then greatest(period.period_start, first_evaluations.first_evaluated_on)
        end as scope_start,
        period.last_evaluable_date as scope_end
    from catalog
    cross join period
    left join first_evaluations
        on catalog.control_id = first_evaluations.control_id

),

days_in_scope as (

    select
        scopes.control_id,
        count(*) as days_recorded,
        sum(case when control_days.is_evaluated_day then 1 else 0 end) as days_evaluated,
        sum(case when control_days.is_passing_day then 1 else 0 end) as days_passed,
        sum(case when control_days.daily_status = 'fail' then 1 else 0 end) as days_failed,
        sum(case when control_days.daily_status = 'excepted' then 1 else 0 end) as days_excepted,
        sum(case when control_days.daily_status = 'not_applicable' then 1 else 0 end)
            as days_not_applicable,
        sum(case when control_days.daily_status = 'not_evaluated' then 1 else 0 end)
            as days_not_evaluated,
        sum(case when control_days.daily_status = 'manual' then 1 else 0 end) as days_manual,
        sum(case when control_days.exceptions_in_force > 0 then 1 else 0 end) as days_with_exceptions
    from scopes
    inner join control_days
        on
            scopes.control_id = control_days.control_id
            and control_days.evaluation_date between scopes.scope_start and scopes.scope_end
    group by scopes.control_id

),

counted as (

    select
        scopes.*,
        {{ soc2.days_in_scope('scopes.scope_start', 'scopes.scope_end') }} as days_in_scope,
        coalesce(days_in_scope.days_recorded, 0) as days_recorded,
        coalesce(days_in_scope.days_evaluated, 0) as days_evaluated,
        coalesce(days_in_scope.days_passed, 0) as days_passed,
        coalesce(days_in_scope.days_failed, 0) as days_failed,
        coalesce(days_in_scope.days_excepted, 0) as days_excepted,
        coalesce(days_in_scope.days_not_applicable, 0) as days_not_applicable,
        coalesce(days_in_scope.days_not_evaluated, 0) as days_not_evaluated,
        coalesce(days_in_scope.days_manual, 0) as days_manual,
        coalesce(days_in_scope.days_with_exceptions, 0) as days_with_exceptions
    from scopes
    left join days_in_scope
        on scopes.control_id = days_in_scope.control_id

),

final as (

    select
        period_start,
        period_end,
        control_id,
        control_title,
        control_type,
        trust_category,
        criteria,
        severity,
        first_evaluated_on,
        scope_start,
        scope_end,
        days_in_scope,
        days_recorded,
        days_evaluated,
        days_passed,
        days_failed,
        days_excepted,
        days_not_applicable,
        days_not_evaluated,
        days_manual,
        case
            when days_evaluated > 0
                then cast(days_passed as {{ soc2.sql_type('double') }}) / days_evaluated
        end as pass_share,
        days_in_scope - days_recorded as gap_days,
        days_with_exceptions,
        {{ soc2.operating_status(
                'days_evaluated', 'days_failed', 'days_in_scope - days_recorded', 'days_recorded') }}
            as operating_status
    from counted

)

select * from final
