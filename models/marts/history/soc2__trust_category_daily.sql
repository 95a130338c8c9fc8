-- One row per evaluation date and trust category: how many controls and
-- criteria were evaluated that day and how many passed; the pass-rate trend
-- of the evidence pack and the dashboards.
with control_days as (

    select * from {{ ref('soc2__control_daily_status') }}

),

criteria_days as (

    select * from {{ ref('soc2__criteria_daily_status') }}

),

controls as (

    select
        evaluation_date,
        trust_category,
        sum(case when is_evaluated_day then 1 else 0 end) as controls_evaluated,
        sum(case when is_passing_day then 1 else 0 end) as controls_passing
    from control_days
    group by evaluation_date, trust_category

),

criteria as (

    select
        evaluation_date,
        trust_category,
        sum(case when criterion_status in ('pass', 'fail') then 1 else 0 end) as criteria_evaluated,
        sum(case when criterion_status = 'pass' then 1 else 0 end) as criteria_passing
    from criteria_days
    group by evaluation_date, trust_category

),

final as (

    select
        criteria.evaluation_date,
        criteria.trust_category,
        coalesce(controls.controls_evaluated, 0) as controls_evaluated,
        coalesce(controls.controls_passing, 0) as controls_passing,
        case
            when controls.controls_evaluated > 0
                then cast(controls.controls_passing as {{ soc2.sql_type('double') }}) / controls.controls_evaluated
        end as control_pass_rate,
        criteria.criteria_evaluated,
        criteria.criteria_passing,
        case
            when criteria.criteria_evaluated > 0
                then cast(criteria.criteria_passing as {{ soc2.sql_type('double') }}) / criteria.criteria_evaluated
        end as criteria_pass_rate
    from criteria
    left join controls
        on
            criteria.evaluation_date = controls.evaluation_date
            and criteria.trust_category = controls.trust_category

)

select * from final
