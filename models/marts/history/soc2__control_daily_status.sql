-- One row per evaluation date and control: the day's counts of resources by
-- status, the control's status that day by the rule of soc2__control_summary,
-- and how many risk exceptions for it the register held in force that day.
with history as (

    select * from {{ ref('soc2__control_history') }}

),

exception_history as (

    select * from {{ ref('soc2__exception_history') }}

),

counts as (

    select
        evaluation_date,
        control_id,
        max(control_title) as control_title,
        max(control_type) as control_type,
        max(trust_category) as trust_category,
        max(criteria) as criteria,
        max(severity) as severity,
        count(*) as result_count,
        sum(case when status = 'pass' then 1 else 0 end) as pass_count,
        sum(case when status = 'fail' then 1 else 0 end) as fail_count,
        sum(case when status = 'excepted' then 1 else 0 end) as excepted_count,
        sum(case when status = 'not_applicable' then 1 else 0 end) as not_applicable_count,
        sum(case when status = 'not_evaluated' then 1 else 0 end) as not_evaluated_count,
        sum(case when status = 'manual' then 1 else 0 end) as manual_count
    from history
    group by evaluation_date, control_id

),

exceptions_in_force as (

    select
        evaluation_date,
        control_id,
        count(*) as exceptions_in_force
    from exception_history
    where is_in_force
    group by evaluation_date, control_id

),

with_status as (

    select
        counts.*,
        {{ soc2.control_overall_status(
            'counts.fail_count', 'counts.not_evaluated_count', 'counts.manual_count',
            'counts.excepted_count', 'counts.pass_count') }} as daily_status,
        coalesce(exceptions_in_force.exceptions_in_force, 0) as exceptions_in_force
    from counts
    left join exceptions_in_force
        on
            counts.evaluation_date = exceptions_in_force.evaluation_date
            and counts.control_id = exceptions_in_force.control_id

),

final as (

    select
        evaluation_date,
        control_id,
        control_title,
        control_type,
        trust_category,
        criteria,
        severity,
        result_count,
        pass_count,
        fail_count,
        excepted_count,
        not_applicable_count,
        not_evaluated_count,
        manual_count,
        daily_status,
        daily_status in ('pass', 'fail', 'excepted', 'not_applicable') as is_evaluated_day,
        daily_status in ('pass', 'excepted', 'not_applicable') as is_passing_day,
        exceptions_in_force
    from with_status

)

select * from final
