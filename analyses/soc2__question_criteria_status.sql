-- Metabase question (b): the Trust Services Criteria with their status, in
-- the order of the AICPA document: how many controls map to each, how they
-- stand, and the criterion's status (soc2.criterion_status, DECISIONS 75).
with criteria_summary as (

    select * from {{ ref('soc2__criteria_summary') }}

),

final as (

    select
        criterion_id,
        trust_category,
        criterion_group,
        criterion_title,
        automation,
        evidence_basis,
        control_count,
        passing_control_count,
        failing_control_count,
        not_evaluated_control_count,
        manual_control_count,
        current_attestation_count,
        expired_attestation_count,
        missing_attestation_count,
        criterion_status,
        sort_order
    from criteria_summary

)

select * from final
order by sort_order, criterion_id
