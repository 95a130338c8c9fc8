{{ config(materialized='table') }}
-- One row per non-admin principal and privilege-escalation method whose every
-- required action it is allowed (after Deny, boundary and SCPs). For the IAM
-- actions that act on an IAM entity, the grant must also reach at least one
-- real user, role, group or customer-managed policy of the account (a grant
-- on AWS-managed policies only edits nothing). AddUserToGroup counts for users
-- only (a role cannot join a group). `acts_as_other` marks the methods that
-- act as another principal (principal_access, new_passrole, existing_passrole
-- with a target): holding them is an entitlement, and only
-- int_soc2__aws_escalation_paths decides whether they escalate. The others
-- (self-escalation, creating a new principal) escalate when held.
{%- set escalation_actions = soc2.iam_escalation_actions() %}
with methods as (

    select * from {{ ref('soc2__privilege_escalation_methods') }}

),

method_actions as (

    select * from {{ ref('soc2__privilege_escalation_method_actions') }}

),

permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}
    where decision != 'denied'

),

admin_principals as (

    select * from {{ ref('int_soc2__aws_admin_principals') }}

),

principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

targets as (

    {#- the actions whose grant reaches at least one real entity #}
    select distinct targets.principal_arn, targets.action_key
    from {{ ref('int_soc2__aws_principal_iam_targets') }} as targets
    inner join (
        select distinct node_id from {{ ref('int_soc2__aws_iam_target_nodes') }}
    ) as nonempty_nodes
        on targets.node_id = nonempty_nodes.node_id

),

required_counts as (

    select method_id, count(*) as required_action_count
    from method_actions
    group by method_id

),

satisfied_actions as (

    select
        permissions.principal_arn,
        method_actions.method_id,
        method_actions.action_key,
        permissions.decision
    from method_actions
    inner join permissions
        on method_actions.action_key = permissions.action_key
    inner join principals
        on permissions.principal_arn = principals.principal_arn
    left join admin_principals
        on permissions.principal_arn = admin_principals.principal_arn
    left join targets
        on permissions.principal_arn = targets.principal_arn
        and method_actions.action_key = targets.action_key
    where
        admin_principals.principal_arn is null
        {#- only users can join groups: for a role, AddUserToGroup gains nothing #}
        and not (
            method_actions.action_key = 'iam:addusertogroup' and principals.principal_type = 'role'
        )
        and (
            method_actions.action_key not in (
                {%- for action_key, target_type, edge_kind in escalation_actions %}
                '{{ action_key }}'{{ ',' if not loop.last }}
                {%- endfor %}
            )
            or targets.principal_arn is not null
        )

),

per_method as (

    select
        satisfied_actions.principal_arn,
        satisfied_actions.method_id,
        count(distinct satisfied_actions.action_key) as satisfied_action_count,
        max(case when satisfied_actions.decision = 'allowed_conditionally' then 1 else 0 end) = 1
            as is_conditional,
        {{ soc2.string_agg_distinct('satisfied_actions.action_key', ' + ') }} as actions
    from satisfied_actions
    group by satisfied_actions.principal_arn, satisfied_actions.method_id

),

final as (

    select
        per_method.principal_arn,
        per_method.method_id,
        methods.method_name,
        methods.category,
        methods.target_kind,
        methods.severity,
        methods.category in ('principal_access', 'new_passrole', 'existing_passrole')
        and methods.target_kind != 'none' as acts_as_other,
        per_method.is_conditional,
        per_method.actions
    from per_method
    inner join required_counts
        on per_method.method_id = required_counts.method_id
        and per_method.satisfied_action_count = required_counts.required_action_count
    inner join methods
        on per_method.method_id = methods.method_id

)

select * from final
