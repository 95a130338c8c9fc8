{{ config(materialized='table') }}
-- One row per way a principal can act as another principal: assume a role
-- (the trust policy lets it in and, unless the trust names it, its identity
-- policies allow sts:AssumeRole on the role), pass a role to a compute
-- service it can launch, create credentials for a user, or rewrite a role's
-- trust policy. `can_modify_target` is true when the source can also change
-- the target's policies (then reaching the target means reaching admin).
{%- set launch_actions = soc2.compute_service_launch_actions() %}
with targets as (

    select * from {{ ref('int_soc2__aws_principal_iam_targets') }}

),

trusts as (

    select * from {{ ref('int_soc2__aws_role_trusts') }}

),

principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}
    where decision != 'denied'

),

admin_principals as (

    select * from {{ ref('int_soc2__aws_admin_principals') }}

),

launch_actions as (

    {% for service, action_key in launch_actions %}
    select '{{ service }}' as service_principal, '{{ action_key }}' as action_key
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

assume_by_account as (

    {#- the trust names the caller's account: the caller needs its own Allow #}
    select
        targets.principal_arn as source_arn,
        targets.target_arn,
        'assume_role' as edge_kind,
        'trust policy names account ' || trusts.trusted_account_id
        || '; identity policy allows sts:AssumeRole' as evidence
    from targets
    inner join trusts
        on targets.target_arn = trusts.role_arn
        and trusts.names_account
        and trusts.trusted_account_id = targets.account_id
    where targets.edge_kind = 'assume_role'

),

assume_by_name as (

    {#- the trust names the caller itself: no identity permission needed in
        the same account; another account's caller still needs its own Allow #}
    select
        principals.principal_arn as source_arn,
        trusts.role_arn as target_arn,
        'assume_role' as edge_kind,
        'trust policy names ' || principals.principal_arn as evidence
    from trusts
    inner join principals
        on trusts.trusted_principal = principals.principal_arn
    left join permissions
        on principals.principal_arn = permissions.principal_arn
        and permissions.action_key = 'sts:assumerole'
    where
        trusts.trust_kind in ('same_account', 'cross_account')
        and (principals.account_id = trusts.account_id or permissions.principal_arn is not null)

),

assume_cross_account as (

    select
        permissions.principal_arn as source_arn,
        trusts.role_arn as target_arn,
        'assume_role' as edge_kind,
        'trust policy names account ' || trusts.trusted_account_id
        || ' (another account); identity policy allows sts:AssumeRole' as evidence
    from trusts
    inner join principals
        on trusts.trusted_account_id = principals.account_id
        and trusts.account_id != principals.account_id
    inner join permissions
        on principals.principal_arn = permissions.principal_arn
        and permissions.action_key = 'sts:assumerole'
    where trusts.trust_kind = 'cross_account' and trusts.names_account

),

pass_role as (

    select distinct
        targets.principal_arn as source_arn,
        targets.target_arn,
        'pass_role' as edge_kind,
        'iam:PassRole on the role, which trusts ' || trusts.trusted_principal
        || ', and ' || launch_actions.action_key as evidence
    from targets
    inner join trusts
        on targets.target_arn = trusts.role_arn
        and trusts.trust_kind = 'service'
    inner join launch_actions
        on trusts.trusted_principal = launch_actions.service_principal
    inner join permissions
        on targets.principal_arn = permissions.principal_arn
        and permissions.action_key = launch_actions.action_key
    where targets.edge_kind = 'pass_role'

),

act_as_target as (

    select
        principal_arn as source_arn,
        target_arn,
        edge_kind,
        action_key || ' on ' || target_arn as evidence
    from targets
    where edge_kind in ('create_credentials', 'modify_trust')

),

all_edges as (

    select * from assume_by_account
    union all
    select * from assume_by_name
    union all
    select * from assume_cross_account
    union all
    select * from pass_role
    union all
    select * from act_as_target

),

modifiable as (

    select distinct principal_arn as source_arn, target_arn
    from targets
    where edge_kind = 'modify_policy' and target_type in ('user', 'role')

),

final as (

    select
        all_edges.source_arn,
        all_edges.target_arn,
        all_edges.edge_kind,
        min(all_edges.evidence) as evidence,
        max(case when modifiable.target_arn is not null then 1 else 0 end) = 1
            as can_modify_target
    from all_edges
    left join admin_principals
        on all_edges.source_arn = admin_principals.principal_arn
    left join modifiable
        on all_edges.source_arn = modifiable.source_arn
        and all_edges.target_arn = modifiable.target_arn
    where
        admin_principals.principal_arn is null
        and all_edges.source_arn != all_edges.target_arn
    group by all_edges.source_arn, all_edges.target_arn, all_edges.edge_kind

)

select * from final
