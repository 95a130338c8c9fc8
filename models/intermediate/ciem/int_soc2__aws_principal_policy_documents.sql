-- One row per policy document that applies to a principal, and how: its own
-- inline policies, managed policies attached to it, the inline and managed
-- policies of its groups, its permissions boundary, and the service control
-- policies of its account. `document_id` is null when an attached or boundary
-- policy is not in the inventory (kept so that the gap is visible).
with principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

memberships as (

    select * from {{ ref('int_soc2__aws_iam_group_memberships') }}

),

attachments as (

    select * from {{ ref('int_soc2__aws_iam_policy_attachments') }}

),

documents as (

    select * from {{ ref('int_soc2__aws_policy_documents') }}
    where document_problem is null

),

organization_accounts as (

    select * from {{ ref('stg_soc2__aws_organizations_accounts') }}

),

default_managed as (

    select account_id, policy_arn, policy_name, document_id
    from documents
    where document_kind = 'managed_policy_version' and is_default_version

),

inline_own as (

    select
        principals.principal_arn,
        'inline' as grant_path,
        'identity' as policy_role,
        principals.principal_arn as via_arn,
        documents.policy_name,
        documents.document_id
    from principals
    inner join documents
        on documents.owner_arn = principals.principal_arn
        and documents.document_kind in ('user_inline', 'role_inline')

),

managed_own as (

    select
        principals.principal_arn,
        'managed' as grant_path,
        'identity' as policy_role,
        attachments.policy_arn as via_arn,
        coalesce(default_managed.policy_name, attachments.policy_arn) as policy_name,
        default_managed.document_id
    from principals
    inner join attachments
        on principals.account_id = attachments.account_id
        and principals.principal_arn = attachments.holder_arn
    left join default_managed
        on attachments.account_id = default_managed.account_id
        and attachments.policy_arn = default_managed.policy_arn

),

user_groups as (

    select principals.principal_arn, memberships.group_arn, principals.account_id
    from principals
    inner join memberships
        on principals.principal_arn = memberships.user_arn
    where principals.principal_type = 'user'

),

group_inline as (

    select
        user_groups.principal_arn,
        'group_inline' as grant_path,
        'identity' as policy_role,
        user_groups.group_arn as via_arn,
        documents.policy_name,
        documents.document_id
    from user_groups
    inner join documents
        on documents.owner_arn = user_groups.group_arn
        and documents.document_kind = 'group_inline'

),

group_managed as (

    select
        user_groups.principal_arn,
        'group_managed' as grant_path,
        'identity' as policy_role,
        user_groups.group_arn as via_arn,
        coalesce(default_managed.policy_name, attachments.policy_arn) as policy_name,
        default_managed.document_id
    from user_groups
    inner join attachments
        on user_groups.account_id = attachments.account_id
        and user_groups.group_arn = attachments.holder_arn
    left join default_managed
        on attachments.account_id = default_managed.account_id
        and attachments.policy_arn = default_managed.policy_arn

),

boundary as (

    select
        principals.principal_arn,
        'boundary' as grant_path,
        'boundary' as policy_role,
        principals.permissions_boundary_arn as via_arn,
        coalesce(default_managed.policy_name, principals.permissions_boundary_arn)
            as policy_name,
        default_managed.document_id
    from principals
    left join default_managed
        on principals.account_id = default_managed.account_id
        and principals.permissions_boundary_arn = default_managed.policy_arn
    where principals.permissions_boundary_arn is not null

),

service_control as (

    select
        principals.principal_arn,
        'service_control_policy' as grant_path,
        'scp' as policy_role,
        documents.owner_arn as via_arn,
        documents.policy_name,
        documents.document_id
    from principals
    inner join organization_accounts
        on principals.account_id = organization_accounts.account_id
    inner join documents
        on documents.document_kind = 'service_control_policy'
        and documents.account_id = organization_accounts.management_account_id
    where
        not principals.is_service_linked
        and principals.account_id != organization_accounts.management_account_id

),

final as (

    select * from inline_own
    union all
    select * from managed_own
    union all
    select * from group_inline
    union all
    select * from group_managed
    union all
    select * from boundary
    union all
    select * from service_control

)

select * from final
