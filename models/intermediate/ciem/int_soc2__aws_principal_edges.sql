{{ config(materialized='table') }}
-- One row per principal that is not admin-equivalent and way it can act as
-- other principals, each pointing at a node of int_soc2__aws_principal_edge_targets
-- (the principals it acts as), for every method that acts as another
-- principal (principal_access, new_passrole and existing_passrole methods
-- with a target) whose other actions it holds:
--   assume_role   assume the roles of a target node whose trust admits its
--                 account (or anyone) and whose conditions on the caller's
--                 account or organisation it satisfies, a role whose trust
--                 names it (no identity permission needed in the role's own
--                 account), or a role whose aws:PrincipalArn condition it
--                 matches (int_soc2__aws_trust_caller_conditions);
--   pass_role     pass the roles of a target node that trust the method's
--                 compute service;
--   service_role  take over an existing function, instance, stack, job or
--                 notebook of that service: every role of its account that
--                 trusts the service (the inventory does not say which role
--                 each resource runs as);
--   create_credentials / modify_trust  the users or roles of a target node.
-- Rows with edge_kind 'governs' (method_id is the IAM action) point at the
-- principals whose permissions the principal can change: its target users and
-- roles, the holders of its target customer-managed policies and the members
-- of its target groups. A node, never one row per target: a right on every
-- role of an account is one row.
{%- set act_actions = soc2.iam_act_actions() %}
{%- set modify_actions = soc2.iam_modify_actions() %}
with targets as (

    select * from {{ ref('int_soc2__aws_principal_iam_targets') }}

),

target_nodes as (

    select * from {{ ref('int_soc2__aws_iam_target_nodes') }}

),

principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

admin_principals as (

    select principal_arn from {{ ref('int_soc2__aws_admin_principals') }}

),

trusts as (

    select * from {{ ref('int_soc2__aws_role_trusts') }}

),

caller_conditions as (

    select * from {{ ref('int_soc2__aws_trust_caller_conditions') }}

),

account_organizations as (

    select * from {{ ref('int_soc2__aws_account_organizations') }}

),

permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}
    where decision != 'denied'

),

methods as (

    select * from {{ ref('soc2__privilege_escalation_methods') }}
    where
        category in ('principal_access', 'new_passrole', 'existing_passrole')
        and target_kind != 'none'

),

method_actions as (

    select * from {{ ref('soc2__privilege_escalation_method_actions') }}

),

method_parts as (

    {#- each method's act action (none: it takes over an existing resource),
        the action that changes the target's permissions (combinations), and
        how many other actions it needs #}
    select
        methods.method_id,
        nullif(methods.role_service, '') as role_service,
        max(case
            when method_actions.action_key in ({{ soc2.sql_list(act_actions) }})
                then method_actions.action_key
        end) as act_action,
        max(case
            when method_actions.action_key in ({{ soc2.sql_list(modify_actions) }})
                then method_actions.action_key
        end) as modify_action,
        sum(case
            when method_actions.action_key in ({{ soc2.sql_list(act_actions + modify_actions) }})
                then 0
            else 1
        end) as other_action_count
    from methods
    inner join method_actions
        on methods.method_id = method_actions.method_id
    group by methods.method_id, methods.role_service

),

held_other_actions as (

    {#- principals holding every other action of a method (act and modify
        actions are decided target by target) #}
    select
        permissions.principal_arn,
        method_actions.method_id,
        count(distinct method_actions.action_key) as held_count
    from method_actions
    inner join permissions
        on method_actions.action_key = permissions.action_key
    where method_actions.action_key not in ({{ soc2.sql_list(act_actions + modify_actions) }})
    group by permissions.principal_arn, method_actions.method_id

),

node_edges as (

    select
        targets.account_id,
        targets.principal_arn as source_arn,
        method_parts.method_id,
        method_parts.act_action,
        method_parts.modify_action,
        case method_parts.act_action
            when 'sts:assumerole' then 'assume_role'
            when 'iam:passrole' then 'pass_role'
            when 'iam:updateassumerolepolicy' then 'modify_trust'
            else 'create_credentials'
        end as edge_kind,
        targets.node_id as base_node_id,
        method_parts.role_service,
        cast(null as {{ dbt.type_string() }}) as role_arn
    from targets
    inner join method_parts
        on targets.action_key = method_parts.act_action
    left join held_other_actions
        on targets.principal_arn = held_other_actions.principal_arn
        and method_parts.method_id = held_other_actions.method_id
    where
        method_parts.other_action_count = 0
        or held_other_actions.held_count = method_parts.other_action_count

),

assume_methods as (

    select * from method_parts
    where act_action = 'sts:assumerole' and other_action_count = 0

),

trust_callers as (

    {#- callers a trust statement may admit one by one: the principal it
        names, and, for a statement admitting an account or anyone under an
        aws:PrincipalArn condition, the principals a value of that condition
        matches (matched once per value, among the principals of the account
        the value names) #}
    select
        trusts.statement_id,
        trusts.role_arn,
        trusts.account_id as role_account_id,
        principals.account_id,
        principals.principal_arn,
        true as is_named
    from trusts
    inner join principals
        on trusts.trusted_principal = principals.principal_arn
    where trusts.trust_kind in ('same_account', 'cross_account')
    union
    select
        trusts.statement_id,
        trusts.role_arn,
        trusts.account_id as role_account_id,
        principals.account_id,
        principals.principal_arn,
        false as is_named
    from caller_conditions
    inner join principals
        on caller_conditions.value_account_id = principals.account_id
    inner join trusts
        on caller_conditions.statement_id = trusts.statement_id
    where
        caller_conditions.caller_attribute = 'arn'
        and {{ soc2.trust_caller_condition_holds(
            'caller_conditions', 'principals.account_id',
            'cast(null as ' ~ dbt.type_string() ~ ')', 'principals.principal_arn') }}
        and (
            trusts.is_public_principal
            or (trusts.names_account and trusts.trusted_account_id = principals.account_id)
        )

),

caller_verdicts as (

    {#- how many of its statement's caller-identity conditions each caller satisfies #}
    select
        trust_callers.statement_id,
        trust_callers.principal_arn,
        count(distinct caller_conditions.group_id) as satisfied_count
    from trust_callers
    inner join caller_conditions
        on trust_callers.statement_id = caller_conditions.statement_id
    left join account_organizations
        on trust_callers.account_id = account_organizations.account_id
    where {{ soc2.trust_caller_condition_holds(
        'caller_conditions', 'trust_callers.account_id',
        'account_organizations.organization_id', 'trust_callers.principal_arn') }}
    group by trust_callers.statement_id, trust_callers.principal_arn

),

admitted_callers as (

    select distinct
        trust_callers.role_arn,
        trust_callers.role_account_id,
        trust_callers.account_id,
        trust_callers.principal_arn,
        trust_callers.is_named
    from trust_callers
    left join (select distinct statement_id, statement_group_count from caller_conditions) as statement_groups
        on trust_callers.statement_id = statement_groups.statement_id
    left join caller_verdicts
        on
            trust_callers.statement_id = caller_verdicts.statement_id
            and trust_callers.principal_arn = caller_verdicts.principal_arn
    where
        trust_callers.role_arn != trust_callers.principal_arn
        and coalesce(caller_verdicts.satisfied_count, 0)
        = coalesce(statement_groups.statement_group_count, 0)

),

named_in_trust as (

    {#- a trust naming the principal's own ARN: in the role's account that
        alone lets it in; from another account, or when the trust admits it
        through an aws:PrincipalArn condition, its identity policies must
        allow sts:AssumeRole on the role too (the role is in one of its
        sts:AssumeRole nodes) #}
    select
        account_id,
        principal_arn as source_arn,
        role_arn
    from admitted_callers
    where is_named and role_account_id = account_id
    union
    select
        admitted_callers.account_id,
        admitted_callers.principal_arn as source_arn,
        admitted_callers.role_arn
    from admitted_callers
    inner join targets
        on
            admitted_callers.principal_arn = targets.principal_arn
            and targets.action_key = 'sts:assumerole'
    inner join target_nodes
        on
            targets.node_id = target_nodes.node_id
            and admitted_callers.role_arn = target_nodes.target_arn
    where not admitted_callers.is_named or admitted_callers.role_account_id != admitted_callers.account_id

),

named_edges as (

    select
        named_in_trust.account_id,
        named_in_trust.source_arn,
        assume_methods.method_id,
        assume_methods.act_action,
        assume_methods.modify_action,
        'assume_role' as edge_kind,
        cast(null as {{ dbt.type_string() }}) as base_node_id,
        cast(null as {{ dbt.type_string() }}) as role_service,
        named_in_trust.role_arn
    from named_in_trust
    cross join assume_methods

),

service_edges as (

    select
        principals.account_id,
        principals.principal_arn as source_arn,
        method_parts.method_id,
        method_parts.act_action,
        method_parts.modify_action,
        'service_role' as edge_kind,
        cast(null as {{ dbt.type_string() }}) as base_node_id,
        method_parts.role_service,
        cast(null as {{ dbt.type_string() }}) as role_arn
    from held_other_actions
    inner join method_parts
        on held_other_actions.method_id = method_parts.method_id
    inner join principals
        on held_other_actions.principal_arn = principals.principal_arn
    where
        method_parts.act_action is null
        and held_other_actions.held_count = method_parts.other_action_count

),

governs_edges as (

    select
        account_id,
        principal_arn as source_arn,
        action_key as method_id,
        cast(null as {{ dbt.type_string() }}) as act_action,
        action_key as modify_action,
        'governs' as edge_kind,
        node_id as base_node_id,
        cast(null as {{ dbt.type_string() }}) as role_service,
        cast(null as {{ dbt.type_string() }}) as role_arn
    from targets
    where action_key in ({{ soc2.sql_list(modify_actions) }})

),

all_edges as (

    select * from node_edges
    union all
    select * from named_edges
    union all
    select * from service_edges
    union all
    select * from governs_edges

),

final as (

    select distinct
        all_edges.account_id,
        all_edges.source_arn,
        all_edges.method_id,
        all_edges.edge_kind,
        all_edges.act_action,
        all_edges.modify_action,
        case
            when all_edges.role_arn is not null
                then {{ dbt.hash("'principal|' || all_edges.role_arn") }}
            when all_edges.edge_kind = 'assume_role'
                then {{ dbt.hash("'assume|' || all_edges.base_node_id") }}
            when all_edges.edge_kind = 'pass_role'
                then {{ dbt.hash("'pass|' || all_edges.base_node_id || '|' || all_edges.role_service") }}
            when all_edges.edge_kind = 'service_role'
                then {{ dbt.hash("'service|' || all_edges.account_id || '|' || all_edges.role_service") }}
            when all_edges.edge_kind = 'governs'
                then {{ dbt.hash("'governs|' || all_edges.base_node_id") }}
            else all_edges.base_node_id
        end as node_id,
        case
            when all_edges.role_arn is not null then 'role'
            when all_edges.edge_kind in ('assume_role', 'pass_role', 'service_role', 'governs')
                then all_edges.edge_kind
            else 'target'
        end as node_kind,
        all_edges.base_node_id,
        all_edges.role_service,
        all_edges.role_arn
    from all_edges
    left join admin_principals
        on all_edges.source_arn = admin_principals.principal_arn
    where admin_principals.principal_arn is null

)

select * from final
