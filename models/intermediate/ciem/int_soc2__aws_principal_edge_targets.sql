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

admitting_roles as (

    {#- roles whose trust admits a whole account (its root or bare id), or any
        AWS principal ("*", even when conditions narrow it: conditions may
        hold, as for identity grants; an OpenID Connect trust admits token
        holders, not IAM principals) #}
    select distinct role_arn, trusted_account_id, is_public_principal as is_public
    from trusts
    where is_public_principal or (names_account and trusted_account_id is not null)

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
    select base_members.node_id, base_members.target_arn
    from base_members
    inner join admitting_roles
        on base_members.target_arn = admitting_roles.role_arn
        and (admitting_roles.is_public or admitting_roles.trusted_account_id = base_members.account_id)
    where base_members.node_kind = 'assume_role'
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
