{{ config(materialized='table') }}
-- One row per node of int_soc2__aws_principal_edges and principal it holds:
-- the principals an edge to the node lets its source act as (or, for
-- 'governs' nodes, change the permissions of). Nodes are shared by every
-- principal with the same grant, so this model grows with the grants and the
-- inventory, not with principals times principals.
with edges as (

    select * from {{ ref('int_soc2__aws_principal_edges') }}

),

target_nodes as (

    select * from {{ ref('int_soc2__aws_iam_target_nodes') }}

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

principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

attachments as (

    select * from {{ ref('int_soc2__aws_iam_policy_attachments') }}

),

memberships as (

    select * from {{ ref('int_soc2__aws_iam_group_memberships') }}

),

nodes as (

    select distinct node_id, node_kind, account_id, base_node_id, role_service, role_arn
    from edges

),

base_members as (

    select
        nodes.node_id,
        nodes.node_kind,
        nodes.account_id,
        nodes.role_service,
        target_nodes.target_arn
    from nodes
    inner join target_nodes
        on nodes.base_node_id = target_nodes.node_id

),

statement_groups as (

    select distinct statement_id, statement_group_count, has_arn_group
    from caller_conditions

),

admitting_statements as (

    {#- trust statements that admit a whole account (its root or bare id), or
        any AWS principal ("*"; an OpenID Connect trust admits token holders,
        not IAM principals), with the number of conditions on the caller's
        identity each must satisfy. A statement with an aws:PrincipalArn
        condition admits callers one by one (int_soc2__aws_principal_edges),
        never a whole account. Other conditions may hold, as for identity
        grants. #}
    select distinct
        trusts.role_arn,
        trusts.statement_id,
        trusts.trusted_account_id,
        trusts.is_public_principal as is_public,
        coalesce(statement_groups.statement_group_count, 0) as group_count
    from trusts
    left join statement_groups
        on trusts.statement_id = statement_groups.statement_id
    where
        (trusts.is_public_principal or (trusts.names_account and trusts.trusted_account_id is not null))
        and not coalesce(statement_groups.has_arn_group, false)

),

assume_candidates as (

    select
        base_members.node_id,
        base_members.account_id,
        base_members.target_arn,
        admitting_statements.statement_id,
        admitting_statements.group_count
    from base_members
    inner join admitting_statements
        on
            base_members.target_arn = admitting_statements.role_arn
            and (
                admitting_statements.is_public
                or admitting_statements.trusted_account_id = base_members.account_id
            )
    where base_members.node_kind = 'assume_role'

),

satisfied_statements as (

    {#- the caller-identity conditions a node's account satisfies, per statement #}
    select
        assume_candidates.node_id,
        assume_candidates.target_arn,
        assume_candidates.statement_id,
        max(assume_candidates.group_count) as group_count,
        count(distinct caller_conditions.group_id) as satisfied_count
    from assume_candidates
    inner join caller_conditions
        on assume_candidates.statement_id = caller_conditions.statement_id
    left join account_organizations
        on assume_candidates.account_id = account_organizations.account_id
    where
        assume_candidates.group_count > 0
        and {{ soc2.trust_caller_condition_holds(
            'caller_conditions', 'assume_candidates.account_id',
            'account_organizations.organization_id', 'cast(null as ' ~ dbt.type_string() ~ ')') }}
    group by assume_candidates.node_id, assume_candidates.target_arn, assume_candidates.statement_id

),

admitted_roles as (

    {#- the roles of an assume_role node whose trust admits the node's
        account: a statement admitting it with no condition on the caller,
        or one whose every caller condition the account satisfies #}
    select node_id, target_arn
    from assume_candidates
    where group_count = 0
    union all
    select node_id, target_arn
    from satisfied_statements
    where satisfied_count = group_count

),

service_roles as (

    select distinct account_id, role_arn, trusted_principal as service_principal
    from trusts
    where trust_kind = 'service'

),

policy_holders as (

    select attachments.account_id, attachments.policy_arn, attachments.holder_arn as principal_arn
    from attachments
    where attachments.holder_type in ('user', 'role')
    union
    select attachments.account_id, attachments.policy_arn, memberships.user_arn as principal_arn
    from attachments
    inner join memberships
        on attachments.holder_arn = memberships.group_arn
    where attachments.holder_type = 'group'

),

members as (

    select base_members.node_id, base_members.target_arn
    from base_members
    where base_members.node_kind = 'target'
    union all
    select node_id, target_arn
    from admitted_roles
    union all
    select base_members.node_id, base_members.target_arn
    from base_members
    inner join service_roles
        on base_members.target_arn = service_roles.role_arn
        and base_members.role_service = service_roles.service_principal
    where base_members.node_kind = 'pass_role'
    union all
    select nodes.node_id, service_roles.role_arn as target_arn
    from nodes
    inner join service_roles
        on nodes.account_id = service_roles.account_id
        and nodes.role_service = service_roles.service_principal
    where nodes.node_kind = 'service_role'
    union all
    select node_id, role_arn as target_arn
    from nodes
    where node_kind = 'role'
    union all
    {#- governs: users and roles themselves, holders of policies, members of groups #}
    select base_members.node_id, base_members.target_arn
    from base_members
    inner join principals
        on base_members.target_arn = principals.principal_arn
    where base_members.node_kind = 'governs'
    union all
    select base_members.node_id, policy_holders.principal_arn as target_arn
    from base_members
    inner join policy_holders
        on base_members.account_id = policy_holders.account_id
        and base_members.target_arn = policy_holders.policy_arn
    where base_members.node_kind = 'governs'
    union all
    select base_members.node_id, memberships.user_arn as target_arn
    from base_members
    inner join memberships
        on base_members.target_arn = memberships.group_arn
    where base_members.node_kind = 'governs'

),

final as (

    select distinct node_id, target_arn
    from members

)

select * from final
