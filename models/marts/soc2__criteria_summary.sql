-- One row per Trust Services Criterion: its controls and their overall
-- statuses, and a status for the criterion (fail if any control fails; then
-- not_evaluated, manual, pass; no_control when nothing maps to it).
with criteria as (

    select * from {{ ref('soc2__trust_services_criteria') }}

),

control_criteria as (

    select * from {{ ref('soc2__control_criteria') }}

),

control_summary as (

    select * from {{ ref('soc2__control_summary') }}

),

per_criterion as (

    select
        control_criteria.criterion_id,
        count(*) as control_count,
        sum(case when control_summary.control_type = 'automated' then 1 else 0 end)
            as automated_control_count,
        sum(case when control_summary.overall_status = 'pass' then 1 else 0 end)
            as passing_control_count,
        sum(case when control_summary.overall_status = 'fail' then 1 else 0 end)
            as failing_control_count,
        sum(case when control_summary.overall_status = 'not_evaluated' then 1 else 0 end)
            as not_evaluated_control_count,
        sum(case when control_summary.overall_status = 'manual' then 1 else 0 end)
            as manual_control_count,
        sum(control_summary.pass_count) as resource_pass_count,
        sum(control_summary.fail_count) as resource_fail_count
    from control_criteria
    inner join control_summary
        on control_criteria.control_id = control_summary.control_id
    group by control_criteria.criterion_id

),

final as (

    select
        criteria.criterion_id,
        criteria.trust_category,
        criteria.criterion_group,
        criteria.criterion_title,
        criteria.automation,
        criteria.sort_order,
        coalesce(per_criterion.control_count, 0) as control_count,
        coalesce(per_criterion.automated_control_count, 0) as automated_control_count,
        coalesce(per_criterion.passing_control_count, 0) as passing_control_count,
        coalesce(per_criterion.failing_control_count, 0) as failing_control_count,
        coalesce(per_criterion.not_evaluated_control_count, 0) as not_evaluated_control_count,
        coalesce(per_criterion.manual_control_count, 0) as manual_control_count,
        coalesce(per_criterion.resource_pass_count, 0) as resource_pass_count,
        coalesce(per_criterion.resource_fail_count, 0) as resource_fail_count,
        case
            when per_criterion.criterion_id is null then 'no_control'
            when per_criterion.failing_control_count > 0 then 'fail'
            when per_criterion.not_evaluated_control_count > 0 then 'not_evaluated'
            when per_criterion.manual_control_count > 0 then 'manual'
            else 'pass'
        end as criterion_status
    from criteria
    left join per_criterion
        on criteria.criterion_id = per_criterion.criterion_id

)

select * from final
