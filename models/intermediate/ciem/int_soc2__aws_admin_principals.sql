-- Principals that are admin-equivalent: granted every action on every
-- resource by an unconditional identity Allow, with no Deny, boundary or SCP
-- taking any of it away. A grant of '*' that holds only under a condition
-- (MFA, a source IP, a time not yet reached) is allowed_conditionally, not
-- proof of admin: such a principal is decided action by action like any
-- other (DECISIONS 21). Recognised before any per-action work so that their
-- permissions are never expanded.
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
        {#- 'allowed': unconditional, and nothing (Deny, boundary, SCP) takes
            any of it away; resource_scope 'all' already excludes a
            conditional grant #}
        and decision_reason = 'allowed'

)

select * from final
