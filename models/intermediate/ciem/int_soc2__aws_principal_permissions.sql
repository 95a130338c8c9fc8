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
with principal_statement_rows as (

    select * from {{ ref('int_soc2__aws_principal_statements') }}

),

labelled_statements as (

    select
        *,
        {#- evidence labels, built once per statement row #}
        case
            when policy_role = 'identity' and effect = 'Allow'
                then policy_name || ' (' || grant_path || ')'
        end as grant_label,
        case when effect = 'Deny' then policy_name || ' (' || policy_role || ')' end as deny_label
    from principal_statement_rows

),

principal_statements as (

    {#- integer stand-ins for the long strings that millions of rows below
        would otherwise carry: principal, statement, and the evidence labels
        ranked in their own order (so that min and max keep meaning) #}
    select
        principal_arn,
        statement_id,
        policy_role,
        effect,
        has_condition,
        resource_scope,
        grant_label,
        deny_label,
        {#- the statement's flag bits on its rows that name one action (their
            match_kind is 'action'), once per statement instead of once per
            principal and action #}
        {{ soc2.permission_flag_bits("'action'") }} as action_bits,
        dense_rank() over (order by principal_arn) as principal_key,
        dense_rank() over (order by statement_id) as statement_key,
        case when grant_label is not null then dense_rank() over (order by grant_label) end
            as grant_rank,
        case when deny_label is not null then dense_rank() over (order by deny_label) end
            as deny_rank
    from labelled_statements

),

statement_actions as (

    select * from {{ ref('int_soc2__aws_statement_actions') }}
    where match_kind != 'excluded'

),

not_action_exclusions as (

    select distinct principal_statements.statement_key, statement_actions.action_key
    from {{ ref('int_soc2__aws_statement_actions') }} as statement_actions
    inner join principal_statements
        on statement_actions.statement_id = principal_statements.statement_id
    where statement_actions.match_kind = 'excluded'

),

statement_action_kinds as (

    select
        statement_id,
        max(case when action_key = '*' then 1 else 0 end) = 1 as names_every_action,
        max(case when action_key = '*' and match_kind = 'action' then 1 else 0 end) = 1
            as names_every_action_plainly,
        max(case when action_key != '*' then 1 else 0 end) = 1 as names_some_action
    from statement_actions
    group by statement_id

),

cap_documents as (

    {#- a boundary or SCP caps even when none of its statements applies (all
        quarantined or never in force): then it allows nothing #}
    select
        principal_arn,
        max(case when policy_role = 'boundary' then 1 else 0 end) = 1 as has_boundary,
        max(case when policy_role = 'scp' then 1 else 0 end) = 1 as has_scp
    from {{ ref('int_soc2__aws_principal_policy_documents') }}
    where document_id is not null and policy_role in ('boundary', 'scp')
    group by principal_arn

),

statement_caps as (

    select
        principal_statements.principal_key,
        principal_statements.principal_arn,
        max(case
            when principal_statements.effect = 'Deny' and statement_action_kinds.names_some_action
                then 1
            else 0
        end) = 1 as has_action_specific_deny,
        max(case
            when principal_statements.policy_role = 'identity'
                and principal_statements.effect = 'Allow'
                and statement_action_kinds.names_every_action then 1
            else 0
        end) = 1 as has_all_actions_grant,
        {#- plainly admin: an unconditional all-resource grant of '*' and nothing
            (Deny, boundary, SCP) that could take any of it away #}
        max(case
            when principal_statements.policy_role = 'identity'
                and principal_statements.effect = 'Allow'
                and statement_action_kinds.names_every_action_plainly
                and not principal_statements.has_condition
                and principal_statements.resource_scope = 'all' then 1
            else 0
        end) = 1
        and max(case
            when principal_statements.effect = 'Deny'
                or principal_statements.policy_role in ('boundary', 'scp') then 1
            else 0
        end) = 0 as has_nothing_taking_away
    from principal_statements
    inner join statement_action_kinds
        on principal_statements.statement_id = statement_action_kinds.statement_id
    group by principal_statements.principal_key, principal_statements.principal_arn

),

principal_caps as (

    select
        statement_caps.principal_key,
        coalesce(cap_documents.has_boundary, false) as has_boundary,
        coalesce(cap_documents.has_scp, false) as has_scp,
        statement_caps.has_action_specific_deny,
        statement_caps.has_all_actions_grant,
        statement_caps.has_nothing_taking_away
        and cap_documents.principal_arn is null as is_plainly_admin
    from statement_caps
    left join cap_documents
        on statement_caps.principal_arn = cap_documents.principal_arn

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

{# statement rows naming one action, and those naming every action ('*'),
    which are combined per principal below; two CTEs from one join rather
    than one shared CTE, which engines would materialise in full -#}
{% for cte_name, operator in [('action_rows', '!='), ('all_action_rows', '=')] -%}
{{ cte_name }} as (

    select
        principal_statements.principal_key,
        principal_statements.statement_key,
        principal_statements.policy_role,
        principal_statements.effect,
        principal_statements.has_condition,
        principal_statements.resource_scope,
        principal_statements.grant_rank,
        principal_statements.deny_rank,
        principal_statements.action_bits,
        statement_actions.action_key,
        statement_actions.match_kind
    from principal_statements
    inner join statement_actions
        on principal_statements.statement_id = statement_actions.statement_id
    where statement_actions.action_key {{ operator }} '*'

),

{% endfor -%}
action_flags as (

    select
        principal_key,
        action_key,
        {{- soc2.permission_flag_aggregates(row_bits=
            "case when match_kind = 'action' then action_bits else "
            ~ soc2.permission_flag_bits() ~ " end") }}
    from action_rows
    group by principal_key, action_key

),

all_action_flags as (

    {#- what the principal's '*' rows (Allow, Deny, boundary or SCP of every
        action) say about any one action a NotAction of theirs does not list #}
    select
        principal_key,
        {{- soc2.permission_flag_aggregates() }}
    from all_action_rows
    group by principal_key

),

excluded_pairs as (

    {#- a principal's actions that one of its NotAction '*' rows lists #}
    select distinct all_action_rows.principal_key, not_action_exclusions.action_key
    from all_action_rows
    inner join not_action_exclusions
        on all_action_rows.statement_key = not_action_exclusions.statement_key

),

excluded_pair_flags as (

    {#- for those actions, the '*' rows that still cover them #}
    select
        excluded_pairs.principal_key,
        excluded_pairs.action_key,
        {{- soc2.permission_flag_aggregates('not_action_exclusions.statement_key is null') }}
    from excluded_pairs
    inner join all_action_rows
        on excluded_pairs.principal_key = all_action_rows.principal_key
    left join not_action_exclusions
        on all_action_rows.statement_key = not_action_exclusions.statement_key
        and excluded_pairs.action_key = not_action_exclusions.action_key
    group by excluded_pairs.principal_key, excluded_pairs.action_key

),

candidate_actions as (

    {#- the actions an identity Allow names, plus - for principals granted
        every action - the actions a boundary or SCP allows and those the
        findings look at #}
    select action_flags.*
    from action_flags
    inner join principal_caps
        on action_flags.principal_key = principal_caps.principal_key
    left join relevant_actions
        on action_flags.action_key = relevant_actions.action_key
    where
        {{ soc2.permission_flag('action_flags.flag_bits', 'has_allow') }}
        or (
            principal_caps.has_all_actions_grant
            and (
                {{ soc2.permission_flag('action_flags.flag_bits', 'boundary_allows') }}
                or {{ soc2.permission_flag('action_flags.flag_bits', 'scp_allows') }}
            )
        )
        or (
            principal_caps.has_all_actions_grant and not principal_caps.is_plainly_admin
            and relevant_actions.action_key is not null
        )
    union all
    select
        principal_caps.principal_key,
        relevant_actions.action_key,
        0 as flag_bits,
        null as first_grant,
        null as last_grant,
        null as first_deny,
        null as last_deny
    from principal_caps
    cross join relevant_actions
    left join action_flags
        on principal_caps.principal_key = action_flags.principal_key
        and relevant_actions.action_key = action_flags.action_key
    where
        principal_caps.has_all_actions_grant and not principal_caps.is_plainly_admin
        and action_flags.principal_key is null

),

flags as (

    {#- one action: its own rows together with the principal's '*' rows that
        cover it #}
    select
        candidate_actions.principal_key,
        candidate_actions.action_key,
        candidate_actions.flag_bits
        | coalesce(excluded_pair_flags.flag_bits, all_action_flags.flag_bits, 0) as flag_bits,
        {%- for column, pick in [('first_grant', 'least'), ('last_grant', 'greatest'),
            ('first_deny', 'least'), ('last_deny', 'greatest')] %}
        {{ pick }}(
            candidate_actions.{{ column }},
            case
                when excluded_pair_flags.principal_key is not null
                    then excluded_pair_flags.{{ column }}
                else all_action_flags.{{ column }}
            end
        ) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from candidate_actions
    left join all_action_flags
        on candidate_actions.principal_key = all_action_flags.principal_key
    left join excluded_pair_flags
        on candidate_actions.principal_key = excluded_pair_flags.principal_key
        and candidate_actions.action_key = excluded_pair_flags.action_key
    union all
    {#- every action ('*'), for principals an identity policy grants it #}
    select
        all_action_flags.principal_key,
        '*' as action_key,
        all_action_flags.flag_bits,
        all_action_flags.first_grant,
        all_action_flags.last_grant,
        all_action_flags.first_deny,
        all_action_flags.last_deny
    from all_action_flags
    inner join principal_caps
        on all_action_flags.principal_key = principal_caps.principal_key
    where principal_caps.has_all_actions_grant

),

unpacked_flags as (

    select
        principal_key,
        action_key,
        first_grant,
        last_grant,
        first_deny,
        last_deny,
        {{- soc2.permission_flag_columns('flag_bits') }}
    from flags

),

decision_inputs as (

    select
        *,
        case
            when action_key = '*' then has_unconditional_deny_by_action
            else has_unconditional_deny
        end as has_full_deny,
        {#- a Deny NotAction denies all but some: against '*' it is partial #}
        has_narrow_deny or (action_key = '*' and has_deny_not_action) as has_partial_deny,
        {#- '*' granted only by NotAction statements: all but some #}
        action_key = '*' and not has_allow_by_action as is_all_but_some
    from unpacked_flags
    where is_named

),

principal_keys as (

    select distinct principal_key, principal_arn from principal_statements

),

grant_labels as (

    select distinct grant_rank, grant_label from principal_statements
    where grant_rank is not null

),

deny_labels as (

    select distinct deny_rank, deny_label from principal_statements
    where deny_rank is not null

),

final as (

    select
        principal_keys.principal_arn,
        decision_inputs.action_key,
        {{ soc2.iam_decision(
            'decision_inputs.has_allow', 'decision_inputs.has_unconditional_allow',
            'decision_inputs.has_full_deny',
            "decision_inputs.has_partial_deny or decision_inputs.is_all_but_some"
            ~ " or (decision_inputs.action_key = '*' and principal_caps.has_action_specific_deny)",
            'principal_caps.has_boundary', 'decision_inputs.boundary_allows',
            'decision_inputs.boundary_allows_unconditionally',
            'principal_caps.has_scp', 'decision_inputs.scp_allows', 'decision_inputs.scp_allows_unconditionally',
            no_grant='denied', capped='denied') }} as decision,
        case
            when decision_inputs.has_full_deny then 'an explicit Deny covers it'
            when not decision_inputs.has_allow then 'no identity policy allows it'
            when principal_caps.has_boundary and not decision_inputs.boundary_allows
                then 'the permissions boundary does not allow it'
            when principal_caps.has_scp and not decision_inputs.scp_allows
                then 'no service control policy allows it'
            when decision_inputs.is_all_but_some then 'every action except those a NotAction lists'
            when not decision_inputs.has_unconditional_allow then 'allowed only under a condition'
            when principal_caps.has_boundary and not decision_inputs.boundary_allows_unconditionally
                then 'the permissions boundary allows it only conditionally or on some resources'
            when principal_caps.has_scp and not decision_inputs.scp_allows_unconditionally
                then 'service control policies allow it only conditionally or on some resources'
            when decision_inputs.has_partial_deny
                or (decision_inputs.action_key = '*' and principal_caps.has_action_specific_deny)
                then 'a conditional or resource-specific Deny applies'
            else 'allowed'
        end as decision_reason,
        case when decision_inputs.is_granted_on_all_resources then 'all' else 'scoped' end
            as resource_scope,
        {#- evidence: the first and last granting (and denying) policy by name;
            cheaper than listing every one for millions of rows, and the full
            list is in int_soc2__aws_principal_statements #}
        first_grants.grant_label || case
            when decision_inputs.last_grant != decision_inputs.first_grant
                then '; ' || last_grants.grant_label
            else ''
        end as granted_by,
        first_denies.deny_label || case
            when decision_inputs.last_deny != decision_inputs.first_deny
                then '; ' || last_denies.deny_label
            else ''
        end as denied_by
    from decision_inputs
    inner join principal_caps
        on decision_inputs.principal_key = principal_caps.principal_key
    inner join principal_keys
        on decision_inputs.principal_key = principal_keys.principal_key
    left join grant_labels as first_grants
        on decision_inputs.first_grant = first_grants.grant_rank
    left join grant_labels as last_grants
        on decision_inputs.last_grant = last_grants.grant_rank
    left join deny_labels as first_denies
        on decision_inputs.first_deny = first_denies.deny_rank
    left join deny_labels as last_denies
        on decision_inputs.last_deny = last_denies.deny_rank

)

select * from final
