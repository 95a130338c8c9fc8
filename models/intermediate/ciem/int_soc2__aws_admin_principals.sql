-- Principals that are admin-equivalent: granted every action on every
-- resource, with no Deny, boundary or SCP taking any of it away (a grant that
-- holds only under its own condition, such as MFA, still counts). Recognised before any
-- per-action work so that their permissions are never expanded.
with permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}

),

final as (

    select
        principal_arn,
        decision,
        decision_reason,
        granted_by
    from permissions
    where
        action_key = '*'
        and resource_scope = 'all'
        {#- a grant that only holds under its own condition (e.g. MFA) still makes
            an admin; a Deny, boundary or SCP that takes anything away does not #}
        and decision_reason in ('allowed', 'allowed only under a condition')

)

select * from final
