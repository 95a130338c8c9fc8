{{ config(materialized='table') }}
-- One row per principal, target-dependent IAM action it is allowed (see
-- soc2.iam_escalation_actions) and IAM entity of its own account the grant's
-- resource patterns actually match: users, roles, groups or customer-managed
-- policies. ARNs match case-sensitively; NotResource excludes. Admin-equivalent
-- principals are left out (they need no path).
{%- set actions = soc2.iam_escalation_actions() %}
with principal_statements as (

    {#- admin-equivalent principals need no path: they are excluded here #}
    select principal_statements.*
    from {{ ref('int_soc2__aws_principal_statements') }} as principal_statements
    left join {{ ref('int_soc2__aws_admin_principals') }} as admin_principals
        on principal_statements.principal_arn = admin_principals.principal_arn
    where
        principal_statements.policy_role = 'identity'
        and principal_statements.effect = 'Allow'
        and admin_principals.principal_arn is null

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

permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}
    where decision != 'denied'

),

elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('resource', 'not_resource')

),

principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

groups_unified as (

    select * from {{ ref('int_soc2__aws_iam_groups') }}

),

policies as (

    select * from {{ ref('int_soc2__aws_iam_policies') }}
    where not is_aws_managed

),

escalation_actions as (

    {% for action_key, target_type, edge_kind in actions %}
    select
        '{{ action_key }}' as action_key,
        '{{ target_type }}' as target_type,
        '{{ edge_kind }}' as edge_kind
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

targets as (

    select account_id, principal_arn as target_arn, principal_type as target_type
    from principals
    union all
    select account_id, group_arn as target_arn, 'group' as target_type
    from groups_unified
    union all
    select account_id, policy_arn as target_arn, 'policy' as target_type
    from policies

),

granting_statements as (

    select
        principal_statements.account_id,
        principal_statements.principal_arn,
        principal_statements.statement_id,
        principal_statements.has_condition,
        principal_statements.resource_scope,
        escalation_actions.action_key,
        escalation_actions.target_type,
        escalation_actions.edge_kind
    from principal_statements
    inner join statement_actions
        on principal_statements.statement_id = statement_actions.statement_id
    inner join escalation_actions
        on statement_actions.action_key = escalation_actions.action_key
        or statement_actions.action_key = '*'
    left join not_action_exclusions
        on statement_actions.statement_id = not_action_exclusions.statement_id
        and escalation_actions.action_key = not_action_exclusions.action_key
    where not_action_exclusions.statement_id is null

),

all_resource_matches as (

    {#- Resource "*" (or none): every entity of the right kind matches #}
    select
        granting_statements.account_id,
        granting_statements.principal_arn,
        granting_statements.statement_id,
        granting_statements.has_condition,
        granting_statements.action_key,
        granting_statements.target_type,
        granting_statements.edge_kind,
        targets.target_arn
    from granting_statements
    inner join targets
        on granting_statements.account_id = targets.account_id
        and granting_statements.target_type = targets.target_type
    where granting_statements.resource_scope = 'all'

),

candidate_targets as (

    select
        granting_statements.*,
        targets.target_arn
    from granting_statements
    inner join targets
        on granting_statements.account_id = targets.account_id
        and granting_statements.target_type = targets.target_type
    where granting_statements.resource_scope != 'all'

),

resource_matches as (

    {#- one pass over each (grant, target) pair and the statement's Resource
        or NotResource patterns; a statement with neither applies to all #}
    select
        candidate_targets.account_id,
        candidate_targets.principal_arn,
        candidate_targets.statement_id,
        candidate_targets.has_condition,
        candidate_targets.action_key,
        candidate_targets.target_type,
        candidate_targets.edge_kind,
        candidate_targets.target_arn,
        max(case when elements.element_kind = 'resource' then 1 else 0 end) as has_resource,
        max(case when elements.element_kind = 'not_resource' then 1 else 0 end)
            as has_not_resource,
        max(case
            when {{ soc2.like_match('candidate_targets.target_arn', 'elements.like_pattern') }}
                then 1
            else 0
        end) as matches_listed
    from candidate_targets
    left join elements
        on candidate_targets.statement_id = elements.statement_id
    group by
        candidate_targets.account_id,
        candidate_targets.principal_arn,
        candidate_targets.statement_id,
        candidate_targets.has_condition,
        candidate_targets.action_key,
        candidate_targets.target_type,
        candidate_targets.edge_kind,
        candidate_targets.target_arn

),

pattern_matches as (

    select
        account_id,
        principal_arn,
        statement_id,
        has_condition,
        action_key,
        target_type,
        edge_kind,
        target_arn
    from resource_matches
    where
        (has_resource = 1 and matches_listed = 1)
        or (has_not_resource = 1 and matches_listed = 0)

),

matched as (

    select
        account_id,
        principal_arn,
        action_key,
        target_type,
        edge_kind,
        target_arn,
        min(case when has_condition then 1 else 0 end) = 1 as is_conditional,
        min(statement_id) as statement_id
    from (
        select * from all_resource_matches
        union all
        select * from pattern_matches
    ) as all_matches
    group by account_id, principal_arn, action_key, target_type, edge_kind, target_arn

),

final as (

    {#- the grant must survive Deny, boundary and SCPs for the action
        (permissions has one row per principal and action) #}
    select matched.*
    from matched
    inner join permissions
        on matched.principal_arn = permissions.principal_arn
        and permissions.action_key = matched.action_key

)

select * from final
