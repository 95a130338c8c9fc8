-- One row per evaluation date and Trust Services Criterion: the controls
-- mapped to it that day (by the criteria each history row recorded) and the
-- criterion's status that day by the rule of soc2__criteria_summary
-- (soc2.criterion_status). Every criterion has a row on every evaluation
-- date, no_control when nothing mapped to it was evaluated.
with criteria as (

    select * from {{ ref('soc2__trust_services_criteria') }}

),

control_days as (

    select * from {{ ref('soc2__control_daily_status') }}

),

evaluation_dates as (

    select distinct evaluation_date from control_days

),

mapped as (

    select
        control_days.evaluation_date,
        criteria.criterion_id,
        control_days.control_type,
        control_days.daily_status
    from control_days
    inner join criteria
        on ';' || control_days.criteria || ';' like '%;' || criteria.criterion_id || ';%'

),

per_criterion_day as (

    select
        evaluation_date,
        criterion_id,
        count(*) as control_count,
        sum(case when control_type = 'automated' then 1 else 0 end) as automated_control_count,
        sum(case when control_type = 'manual' then 1 else 0 end) as attestation_control_count,
        sum(case when daily_status in ('pass', 'excepted', 'not_applicable') then 1 else 0 end)
            as passing_control_count,
        sum(case when daily_status = 'fail' then 1 else 0 end) as failing_control_count,
        sum(case when control_type = 'automated' and daily_status = 'fail' then 1 else 0 end)
            as automated_failing_count,
        sum(case when control_type = 'automated' and daily_status = 'not_evaluated' then 1 else 0 end)
            as automated_not_evaluated_count,
        sum(case when control_type = 'manual' and daily_status = 'pass' then 1 else 0 end)
            as current_attestation_count,
        sum(case when control_type = 'manual' and daily_status = 'fail' then 1 else 0 end)
            as expired_attestation_count
    from mapped
    group by evaluation_date, criterion_id

),

counted as (

    select
        evaluation_dates.evaluation_date,
        criteria.criterion_id,
        criteria.trust_category,
        criteria.criterion_title,
        criteria.automation,
        coalesce(per_criterion_day.control_count, 0) as control_count,
        coalesce(per_criterion_day.automated_control_count, 0) as automated_control_count,
        coalesce(per_criterion_day.attestation_control_count, 0) as attestation_control_count,
        coalesce(per_criterion_day.passing_control_count, 0) as passing_control_count,
        coalesce(per_criterion_day.failing_control_count, 0) as failing_control_count,
        coalesce(per_criterion_day.automated_failing_count, 0) as automated_failing_count,
        coalesce(per_criterion_day.automated_not_evaluated_count, 0) as automated_not_evaluated_count,
        coalesce(per_criterion_day.current_attestation_count, 0) as current_attestation_count,
        coalesce(per_criterion_day.expired_attestation_count, 0) as expired_attestation_count
    from evaluation_dates
    cross join criteria
    left join per_criterion_day
        on
            evaluation_dates.evaluation_date = per_criterion_day.evaluation_date
            and criteria.criterion_id = per_criterion_day.criterion_id

),

final as (

    select
        evaluation_date,
        criterion_id,
        trust_category,
        criterion_title,
        automation,
        control_count,
        automated_control_count,
        attestation_control_count,
        passing_control_count,
        failing_control_count,
        {{ soc2.criterion_status(
            'automation', 'automated_control_count', 'automated_failing_count',
            'automated_not_evaluated_count', 'attestation_control_count',
            'current_attestation_count', 'expired_attestation_count') }} as criterion_status
    from counted

)

select * from final
