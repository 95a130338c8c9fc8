{{ config(materialized='table') }}
-- One row per principal that is not admin-equivalent, target-dependent IAM
-- action and target node: the principal may possibly perform the action on
-- every member of the node (int_soc2__aws_iam_target_nodes), and on nothing
-- else. A grant on every resource ("*") points at the node "every entity of
-- the account of that kind" (for sts:AssumeRole, also the roles of other
-- accounts whose trust admits the account), a grant on named ARNs or
-- patterns at the node of that statement's matches: never one row per
-- target, so cost follows the number of grants, not principals times
-- entities. Denies, boundaries and SCPs that name specific resources
-- restrict the node: the restricting statements form the node's profile,
-- shared by every principal they apply to (an SCP or a boundary applies to
-- many). A principal that an unconditional Deny, its boundary or an SCP bars
-- from the action everywhere gets no row.
with grants as (

    select * from {{ ref('int_soc2__aws_principal_iam_grants') }}

),

principal_caps as (

    {#- a boundary or SCP caps by being there, even when none of its
        statements is usable (DECISIONS 33): read from the documents #}
    select
        principal_arn,
        max(case when policy_role = 'boundary' then 1 else 0 end) = 1 as has_boundary,
        max(case when policy_role = 'scp' then 1 else 0 end) = 1 as has_scp
    from {{ ref('int_soc2__aws_principal_policy_documents') }}
    where document_id is not null and policy_role in ('boundary', 'scp')
    group by principal_arn

),

action_flags as (

    select
        account_id,
        principal_arn,
        action_key,
        target_type,
        max(case when grant_role = 'allow' then 1 else 0 end) = 1 as has_allow,
        max(case when grant_role = 'allow' and resource_scope = 'all' then 1 else 0 end) = 1
            as allows_everywhere,
        max(case when grant_role = 'deny' and resource_scope = 'all' then 1 else 0 end) = 1
            as denies_everywhere,
        max(case when grant_role = 'boundary' then 1 else 0 end) = 1 as boundary_allows,
        max(case when grant_role = 'boundary' and resource_scope = 'all' then 1 else 0 end) = 1
            as boundary_allows_everywhere,
        max(case when grant_role = 'scp' then 1 else 0 end) = 1 as scp_allows,
        max(case when grant_role = 'scp' and resource_scope = 'all' then 1 else 0 end) = 1
            as scp_allows_everywhere
    from grants
    group by account_id, principal_arn, action_key, target_type

),

usable as (

    {#- the action is possible somewhere: an identity Allow, no unconditional
        Deny everywhere, and the boundary and SCPs allow it somewhere #}
    select
        action_flags.*,
        coalesce(principal_caps.has_boundary, false)
        and not action_flags.boundary_allows_everywhere as boundary_restricts,
        coalesce(principal_caps.has_scp, false)
        and not action_flags.scp_allows_everywhere as scp_restricts
    from action_flags
    left join principal_caps
        on action_flags.principal_arn = principal_caps.principal_arn
    where
        action_flags.has_allow
        and not action_flags.denies_everywhere
        and (not coalesce(principal_caps.has_boundary, false) or action_flags.boundary_allows)
        and (not coalesce(principal_caps.has_scp, false) or action_flags.scp_allows)

),

restrictions as (

    select
        usable.principal_arn,
        usable.action_key,
        grants.grant_role || ':' || grants.statement_id as restriction
    from usable
    inner join grants
        on usable.principal_arn = grants.principal_arn
        and usable.action_key = grants.action_key
    where
        grants.resource_scope != 'all'
        and (
            grants.grant_role = 'deny'
            or (grants.grant_role = 'boundary' and usable.boundary_restricts)
            or (grants.grant_role = 'scp' and usable.scp_restricts)
        )

),

profiles as (

    select
        principal_arn,
        action_key,
        {{ dbt.hash(soc2.string_agg_distinct('restriction', '|')) }} as profile_id
    from restrictions
    group by principal_arn, action_key

),

allow_sources as (

    select principal_arn, action_key, '*' as allow_source
    from usable
    where allows_everywhere
    union all
    select usable.principal_arn, usable.action_key, grants.statement_id as allow_source
    from usable
    inner join grants
        on usable.principal_arn = grants.principal_arn
        and usable.action_key = grants.action_key
    where
        not usable.allows_everywhere
        and grants.grant_role = 'allow'
        and grants.resource_scope != 'all'

),

final as (

    select distinct
        usable.account_id,
        usable.principal_arn,
        usable.action_key,
        usable.target_type,
        {{ dbt.hash(
            "usable.account_id || '|' || usable.action_key || '|' || allow_sources.allow_source"
            ~ " || '|' || coalesce(profiles.profile_id, '')") }} as node_id,
        allow_sources.allow_source,
        coalesce(profiles.profile_id, '') as profile_id,
        usable.boundary_restricts,
        usable.scp_restricts
    from usable
    inner join allow_sources
        on usable.principal_arn = allow_sources.principal_arn
        and usable.action_key = allow_sources.action_key
    left join profiles
        on usable.principal_arn = profiles.principal_arn
        and usable.action_key = profiles.action_key

)

select * from final
