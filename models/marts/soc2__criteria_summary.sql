-- One row per Trust Services Criterion: its controls, how much of its
-- evidence is automated and how much attestation, and a status for the
-- criterion by the one rule of soc2.criterion_status (DECISIONS 75): a partly
-- automated criterion passes only when its automated controls pass and its
-- attestation is current.
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
        sum(case when control_summary.control_type = 'manual' then 1 else 0 end)
            as attestation_control_count,
        sum(case when control_summary.overall_status = 'pass' then 1 else 0 end)
            as passing_control_count,
        sum(case when control_summary.overall_status = 'fail' then 1 else 0 end)
            as failing_control_count,
        sum(case when control_summary.overall_status = 'not_evaluated' then 1 else 0 end)
            as not_evaluated_control_count,
        sum(case when control_summary.overall_status = 'manual' then 1 else 0 end)
            as manual_control_count,
        sum(case
            when control_summary.control_type = 'automated' and control_summary.overall_status = 'fail'
                then 1 else 0
        end) as automated_failing_count,
        sum(case
            when control_summary.control_type = 'automated'
                and control_summary.overall_status = 'not_evaluated' then 1 else 0
        end) as automated_not_evaluated_count,
        sum(case
            when control_summary.control_type = 'manual' and control_summary.overall_status = 'pass'
                then 1 else 0
        end) as current_attestation_count,
        sum(case
            when control_summary.control_type = 'manual' and control_summary.overall_status = 'fail'
                then 1 else 0
        end) as expired_attestation_count,
        sum(control_summary.pass_count) as resource_pass_count,
        sum(control_summary.fail_count) as resource_fail_count
    from control_criteria
    inner join control_summary
        on control_criteria.control_id = control_summary.control_id
    group by control_criteria.criterion_id

),

counted as (

    select
        criteria.criterion_id,
        criteria.trust_category,
        criteria.criterion_group,
        criteria.criterion_title,
        criteria.automation,
        criteria.sort_order,
        coalesce(per_criterion.control_count, 0) as control_count,
        coalesce(per_criterion.automated_control_count, 0) as automated_control_count,
        coalesce(per_criterion.attestation_control_count, 0) as attestation_control_count,
        coalesce(per_criterion.passing_control_count, 0) as passing_control_count,
        coalesce(per_criterion.failing_control_count, 0) as failing_control_count,
        coalesce(per_criterion.not_evaluated_control_count, 0) as not_evaluated_control_count,
        coalesce(per_criterion.manual_control_count, 0) as manual_control_count,
        coalesce(per_criterion.automated_failing_count, 0) as automated_failing_count,
        coalesce(per_criterion.automated_not_evaluated_count, 0) as automated_not_evaluated_count,
        coalesce(per_criterion.current_attestation_count, 0) as current_attestation_count,
        coalesce(per_criterion.expired_attestation_count, 0) as expired_attestation_count,
        coalesce(per_criterion.resource_pass_count, 0) as resource_pass_count,
        coalesce(per_criterion.resource_fail_count, 0) as resource_fail_count
    from criteria
    left join per_criterion
        on criteria.criterion_id = per_criterion.criterion_id

),

final as (

    select
        criterion_id,
        trust_category,
        criterion_group,
        criterion_title,
        automation,
        sort_order,
        control_count,
        automated_control_count,
        attestation_control_count,
        {{ soc2.criterion_evidence_basis('automated_control_count', 'attestation_control_count') }}
            as evidence_basis,
        passing_control_count,
        failing_control_count,
        not_evaluated_control_count,
        manual_control_count,
        current_attestation_count,
        expired_attestation_count,
        attestation_control_count - current_attestation_count - expired_attestation_count
            as missing_attestation_count,
        resource_pass_count,
        resource_fail_count,
        {{ soc2.criterion_status(
            'automation', 'automated_control_count', 'automated_failing_count',
            'automated_not_evaluated_count', 'attestation_control_count',
            'current_attestation_count', 'expired_attestation_count') }} as criterion_status
    from counted

)

select * from final
