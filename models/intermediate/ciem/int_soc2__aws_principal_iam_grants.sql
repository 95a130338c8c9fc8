{{ config(materialized='table') }}
-- One row per principal that is not admin-equivalent, target-dependent IAM
-- action (soc2.iam_escalation_actions) and statement of the principal that
-- names the action and can decide which IAM entities it may act on: an
-- identity Allow (`allow`), an unconditional Deny from any policy (`deny`;
-- a conditional Deny never makes a request impossible), or an Allow of its
-- permissions boundary (`boundary`) or of a service control policy (`scp`).
-- With the statement's resource scope, this is all that
-- int_soc2__aws_principal_iam_targets needs to decide, target by target,
-- what the principal may possibly do.
{%- set actions = soc2.iam_escalation_actions() %}
with principal_statements as (

    select principal_statements.*
    from {{ ref('int_soc2__aws_principal_statements') }} as principal_statements
    left join {{ ref('int_soc2__aws_admin_principals') }} as admin_principals
        on principal_statements.principal_arn = admin_principals.principal_arn
    where admin_principals.principal_arn is null

),

named_actions as (

    select statement_id, action_key
    from {{ ref('int_soc2__aws_statement_actions') }}
    where
        match_kind != 'excluded'
        and action_key in (
            {%- for action_key, target_type, edge_kind in actions %}
            '{{ action_key }}',
            {%- endfor %}
            '*'
        )

),

not_action_exclusions as (

    select statement_id, action_key
    from {{ ref('int_soc2__aws_statement_actions') }}
    where match_kind = 'excluded'

),

escalation_actions as (

    {% for action_key, target_type, edge_kind in actions %}
    select '{{ action_key }}' as action_key, '{{ target_type }}' as target_type
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

statement_grants as (

    {#- a statement naming the action itself, or every action ('*', which a
        NotAction statement may narrow by listing the action) #}
    select distinct
        named_actions.statement_id,
        escalation_actions.action_key,
        escalation_actions.target_type
    from named_actions
    inner join escalation_actions
        on named_actions.action_key = escalation_actions.action_key
    union
    select
        named_actions.statement_id,
        escalation_actions.action_key,
        escalation_actions.target_type
    from named_actions
    cross join escalation_actions
    left join not_action_exclusions
        on named_actions.statement_id = not_action_exclusions.statement_id
        and escalation_actions.action_key = not_action_exclusions.action_key
    where named_actions.action_key = '*' and not_action_exclusions.statement_id is null

),

final as (

    {#- distinct: one statement may reach a principal twice (a managed policy
        attached to it and to one of its groups) #}
    select distinct
        principal_statements.account_id,
        principal_statements.principal_arn,
        principal_statements.principal_type,
        statement_grants.action_key,
        statement_grants.target_type,
        principal_statements.statement_id,
        case
            when principal_statements.effect = 'Deny' then 'deny'
            when principal_statements.policy_role = 'identity' then 'allow'
            else principal_statements.policy_role
        end as grant_role,
        principal_statements.has_condition,
        principal_statements.resource_scope
    from principal_statements
    inner join statement_grants
        on principal_statements.statement_id = statement_grants.statement_id
    where principal_statements.effect = 'Allow' or not principal_statements.has_condition

)

select * from final
