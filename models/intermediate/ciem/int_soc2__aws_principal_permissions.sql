{{ config(materialized='table') }}
-- Effective permissions: one row per principal and action it is granted by an
-- identity Allow (directly, inline or through a group), with the decision
-- after Deny statements anywhere, the permissions boundary and SCPs (which cap
-- but never grant). A grant of every action ("*") stays one row with
-- action_key '*' unless a boundary or SCP narrows it, in which case the
-- actions they allow are listed instead: admin-equivalent principals are not
-- expanded action by action. For principals granted every action, the few
-- hundred actions the findings look at (escalation methods, exfiltration,
-- credentials, permissions management) are decided one by one as well, so
-- that a Deny on some of them is seen - unless nothing (no Deny, boundary or
-- SCP) can take anything away, in which case the principal is plainly admin.
{%- set escalation_actions = soc2.iam_escalation_actions() %}
with principal_statements as (

    select * from {{ ref('int_soc2__aws_principal_statements') }}

),

statement_actions as (

    select * from {{ ref('int_soc2__aws_statement_actions') }}
    where match_kind != 'excluded'

),

not_action_exclusions as (

    select statement_id, action_key
    from {{ ref('int_soc2__aws_statement_actions') }}
    where match_kind = 'excluded'

),

principal_actions as (

    select
        principal_statements.*,
        statement_actions.action_key,
        statement_actions.match_kind
    from principal_statements
    inner join statement_actions
        on principal_statements.statement_id = statement_actions.statement_id

),

principal_caps as (

    select
        principal_arn,
        max(case when policy_role = 'boundary' then 1 else 0 end) = 1 as has_boundary,
        max(case when policy_role = 'scp' then 1 else 0 end) = 1 as has_scp,
        max(case when effect = 'Deny' and action_key != '*' then 1 else 0 end) = 1
            as has_action_specific_deny,
        max(case
            when policy_role = 'identity' and effect = 'Allow' and action_key = '*' then 1
            else 0
        end) = 1 as has_all_actions_grant,
        {#- plainly admin: an unconditional all-resource grant of '*' and nothing
            (Deny, boundary, SCP) that could take any of it away #}
        max(case
            when policy_role = 'identity' and effect = 'Allow' and action_key = '*'
                and match_kind = 'action' and not has_condition and resource_scope = 'all' then 1
            else 0
        end) = 1
        and max(case
            when effect = 'Deny' or policy_role in ('boundary', 'scp') then 1 else 0
        end) = 0 as is_plainly_admin
    from principal_actions
    group by principal_arn

),

relevant_actions as (

    select action_key from {{ ref('soc2__privilege_escalation_method_actions') }}
    union
    select action_key from {{ ref('soc2__iam_actions') }}
    where
        access_level = 'Permissions management'
        or action_key in (
            {{ soc2.sql_list(soc2.data_exfiltration_actions()) }},
            {{ soc2.sql_list(soc2.credentials_exposure_actions()) }},
            {%- for action_key, target_type, edge_kind in escalation_actions %}
            '{{ action_key }}',
            {%- endfor %}
            {%- for service, action_key in soc2.compute_service_launch_actions() %}
            '{{ action_key }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )

),

candidates as (

    {#- the actions an identity Allow names, plus - for principals granted
        every action - the actions a boundary or SCP allows #}
    select distinct principal_actions.principal_arn, principal_actions.action_key
    from principal_actions
    inner join principal_caps
        on principal_actions.principal_arn = principal_caps.principal_arn
    where
        principal_actions.effect = 'Allow'
        and (
            principal_actions.policy_role = 'identity'
            or (
                principal_caps.has_all_actions_grant
                and principal_actions.action_key != '*'
            )
        )
    union
    select principal_caps.principal_arn, relevant_actions.action_key
    from principal_caps
    cross join relevant_actions
    where principal_caps.has_all_actions_grant and not principal_caps.is_plainly_admin

),

candidate_matches as (

    {#- every statement row of the principal that names the candidate action
        or every action #}
    select candidates.principal_arn, candidates.action_key, principal_actions.statement_id,
        principal_actions.policy_role, principal_actions.effect,
        principal_actions.has_condition, principal_actions.resource_scope,
        principal_actions.policy_name, principal_actions.grant_path,
        principal_actions.action_key as matched_action_key,
        principal_actions.match_kind
    from candidates
    inner join principal_actions
        on candidates.principal_arn = principal_actions.principal_arn
        and candidates.action_key = principal_actions.action_key
    union all
    select candidates.principal_arn, candidates.action_key, principal_actions.statement_id,
        principal_actions.policy_role, principal_actions.effect,
        principal_actions.has_condition, principal_actions.resource_scope,
        principal_actions.policy_name, principal_actions.grant_path,
        principal_actions.action_key as matched_action_key,
        principal_actions.match_kind
    from candidates
    inner join principal_actions
        on candidates.principal_arn = principal_actions.principal_arn
        and principal_actions.action_key = '*'
        and candidates.action_key != '*'
    {#- a NotAction statement does not cover the actions it lists #}
    left join not_action_exclusions
        on principal_actions.statement_id = not_action_exclusions.statement_id
        and candidates.action_key = not_action_exclusions.action_key
    where not_action_exclusions.statement_id is null

),

flags as (

    select
        principal_arn,
        action_key,
        {%- set identity_allow = "policy_role = 'identity' and effect = 'Allow'" %}
        {%- set unconditional = "not has_condition" %}
        max(case when {{ identity_allow }} then 1 else 0 end) = 1 as has_allow,
        {#- for '*': granted only by NotAction statements, i.e. all but some #}
        max(case
            when {{ identity_allow }} and action_key = '*' and match_kind = 'action' then 1
            else 0
        end) = 0 and action_key = '*' as is_all_but_some,
        max(case when {{ identity_allow }} and {{ unconditional }} then 1 else 0 end) = 1
            as has_unconditional_allow,
        max(case
            when {{ identity_allow }} and {{ unconditional }} and resource_scope = 'all' then 1
            else 0
        end) = 1 as is_granted_on_all_resources,
        {#- a Deny NotAction denies all but some: against '*' it is partial #}
        max(case
            when effect = 'Deny' and {{ unconditional }} and resource_scope = 'all'
                and not (action_key = '*' and match_kind = 'not_action') then 1
            else 0
        end) = 1 as has_full_deny,
        max(case
            when effect = 'Deny' and (
                has_condition or resource_scope != 'all'
                or (action_key = '*' and match_kind = 'not_action')
            ) then 1
            else 0
        end) = 1 as has_partial_deny,
        max(case when policy_role = 'boundary' and effect = 'Allow' then 1 else 0 end) = 1
            as boundary_allows,
        max(case
            when policy_role = 'boundary' and effect = 'Allow' and {{ unconditional }}
                and resource_scope = 'all' then 1
            else 0
        end) = 1 as boundary_allows_unconditionally,
        max(case when policy_role = 'scp' and effect = 'Allow' then 1 else 0 end) = 1
            as scp_allows,
        max(case
            when policy_role = 'scp' and effect = 'Allow' and {{ unconditional }}
                and resource_scope = 'all' then 1
            else 0
        end) = 1 as scp_allows_unconditionally,
        {#- evidence: the first and last granting (and denying) policy by name;
            cheaper than listing every one for millions of rows, and the full
            list is in int_soc2__aws_principal_statements #}
        {%- set granting = "case when " ~ identity_allow ~ " then policy_name || ' (' || grant_path || ')' end" %}
        {%- set denying = "case when effect = 'Deny' then policy_name || ' (' || policy_role || ')' end" %}
        min({{ granting }}) || case
            when max({{ granting }}) != min({{ granting }}) then '; ' || max({{ granting }})
            else ''
        end as granted_by,
        min({{ denying }}) || case
            when max({{ denying }}) != min({{ denying }}) then '; ' || max({{ denying }})
            else ''
        end as denied_by
    from candidate_matches
    group by principal_arn, action_key

),

final as (

    select
        flags.principal_arn,
        flags.action_key,
        {{ soc2.iam_decision(
            'flags.has_allow', 'flags.has_unconditional_allow',
            'flags.has_full_deny',
            "flags.has_partial_deny or flags.is_all_but_some"
            ~ " or (flags.action_key = '*' and principal_caps.has_action_specific_deny)",
            'principal_caps.has_boundary', 'flags.boundary_allows',
            'flags.boundary_allows_unconditionally',
            'principal_caps.has_scp', 'flags.scp_allows', 'flags.scp_allows_unconditionally',
            no_grant='denied', capped='denied') }} as decision,
        case
            when flags.has_full_deny then 'an explicit Deny covers it'
            when not flags.has_allow then 'no identity policy allows it'
            when principal_caps.has_boundary and not flags.boundary_allows
                then 'the permissions boundary does not allow it'
            when principal_caps.has_scp and not flags.scp_allows
                then 'no service control policy allows it'
            when flags.is_all_but_some then 'every action except those a NotAction lists'
            when not flags.has_unconditional_allow then 'allowed only under a condition'
            when principal_caps.has_boundary and not flags.boundary_allows_unconditionally
                then 'the permissions boundary allows it only conditionally or on some resources'
            when principal_caps.has_scp and not flags.scp_allows_unconditionally
                then 'service control policies allow it only conditionally or on some resources'
            when flags.has_partial_deny
                or (flags.action_key = '*' and principal_caps.has_action_specific_deny)
                then 'a conditional or resource-specific Deny applies'
            else 'allowed'
        end as decision_reason,
        case when flags.is_granted_on_all_resources then 'all' else 'scoped' end
            as resource_scope,
        flags.granted_by,
        flags.denied_by
    from flags
    inner join principal_caps
        on flags.principal_arn = principal_caps.principal_arn

)

select * from final
