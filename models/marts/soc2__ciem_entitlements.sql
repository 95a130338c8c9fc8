-- Effective permissions: one row per principal and IAM action it is granted,
-- with the decision (allowed, allowed_conditionally, denied) after Deny
-- statements, the permissions boundary and SCPs, why, and which policies
-- grant or deny it. An admin-equivalent principal has one row with action_key
-- '*' instead of 20,000.
with permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}

),

principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

catalog as (

    select * from {{ ref('soc2__iam_actions') }}

),

final as (

    select
        principals.account_id,
        permissions.principal_arn,
        principals.principal_type,
        principals.principal_name,
        permissions.action_key,
        coalesce(
            catalog.service_prefix,
            {{ dbt.split_part('permissions.action_key', "':'", 1) }}
        ) as service_prefix,
        case
            when permissions.action_key = '*' then 'All'
            else coalesce(catalog.access_level, 'Unknown')
        end as access_level,
        permissions.action_key = '*' or catalog.action_key is not null as is_known_action,
        permissions.decision,
        permissions.decision_reason,
        permissions.resource_scope,
        permissions.granted_by,
        permissions.denied_by
    from permissions
    inner join principals
        on permissions.principal_arn = principals.principal_arn
    left join catalog
        on permissions.action_key = catalog.action_key

)

select * from final
