-- One row per principal and entitlement finding, with the evidence. The
-- findings are decided in int_soc2__aws_ciem_findings, which the entitlement
-- controls read too (no intermediate model reads a mart); this mart publishes
-- them as they are.
with findings as (

    select * from {{ ref('int_soc2__aws_ciem_findings') }}

),

final as (

    select
        finding_id,
        account_id,
        principal_arn,
        principal_type,
        principal_name,
        finding_type,
        method,
        severity,
        reason,
        evidence
    from findings

)

select * from final
