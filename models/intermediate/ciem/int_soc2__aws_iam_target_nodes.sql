{{ config(materialized='table') }}
-- One row per target node of int_soc2__aws_principal_iam_targets and IAM
-- entity it holds: the users, roles, groups or customer-managed policies
-- that the node's grant ("*", or one statement's Resource / NotResource
-- patterns) matches in the account, less those an unconditional Deny of the
-- node's profile names, and only those that its boundary and SCP statements
-- (when they allow the action on some resources only) name. ARNs match
-- case-sensitively. The node "every role" of sts:AssumeRole also holds the
-- roles of other accounts whose trust policy admits the account (or anyone).
-- Patterns are matched once per statement and account, never per principal.
{#- the kinds of target node: (relation, domain_kind, ARN column, row filter);
    users and roles take their kind from principal_type #}
{%- set node_kinds = [
    ('principals', 'principal_type', 'principal_arn', none),
    ('groups_unified', "'group'", 'group_arn', none),
    ('policies', "'policy'", 'policy_arn', none),
    ('principals', "'assumable_role'", 'principal_arn', "principal_type = 'role'"),
    ('foreign_assumable', "'assumable_role'", 'target_arn', none),
] %}
with targets as (

    select * from {{ ref('int_soc2__aws_principal_iam_targets') }}

),

grants as (

    select * from {{ ref('int_soc2__aws_principal_iam_grants') }}

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

trusts as (

    select * from {{ ref('int_soc2__aws_role_trusts') }}

),

resource_elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('resource', 'not_resource')

),

foreign_assumable as (

    {#- roles of other accounts whose trust names an account (its root, or
        one of its principals), or anyone #}
    select distinct target_accounts.account_id, trusts.role_arn as target_arn
    from trusts
    inner join (select distinct account_id from principals) as target_accounts
        on trusts.trusted_account_id = target_accounts.account_id
        or trusts.is_public_principal
    where trusts.account_id != target_accounts.account_id

),

domains as (

    {#- what a grant on "*" reaches in an account, per kind of target: one
        select per kind (relation, kind, ARN column, filter); the roles
        sts:AssumeRole reaches include other accounts' roles #}
    {%- for relation, domain_kind, arn_column, row_filter in node_kinds %}
    select account_id, {{ domain_kind }} as domain_kind, {{ arn_column }} as target_arn
    from {{ relation }}
    {%- if row_filter %}
    where {{ row_filter }}
    {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

node_definitions as (

    select distinct
        node_id,
        account_id,
        action_key,
        case when action_key = 'sts:assumerole' then 'assumable_role' else target_type end
            as domain_kind,
        allow_source,
        profile_id
    from targets

),

restriction_statements as (

    select distinct
        targets.profile_id,
        grants.grant_role as restriction_kind,
        grants.statement_id
    from targets
    inner join grants
        on targets.principal_arn = grants.principal_arn
        and targets.action_key = grants.action_key
    where
        targets.profile_id != ''
        and grants.resource_scope != 'all'
        and (
            grants.grant_role = 'deny'
            or (grants.grant_role = 'boundary' and targets.boundary_restricts)
            or (grants.grant_role = 'scp' and targets.scp_restricts)
        )

),

matched_statements as (

    {#- every statement with named resources that a node uses (as its grant
        or in its profile), with the account and kind of target it is read in #}
    select distinct
        node_definitions.allow_source as statement_id,
        node_definitions.account_id,
        node_definitions.domain_kind
    from node_definitions
    where node_definitions.allow_source != '*'
    union
    select
        restriction_statements.statement_id,
        node_definitions.account_id,
        node_definitions.domain_kind
    from node_definitions
    inner join restriction_statements
        on node_definitions.profile_id = restriction_statements.profile_id

),

statement_elements as (

    select
        matched_statements.statement_id,
        matched_statements.account_id,
        matched_statements.domain_kind,
        resource_elements.element_kind,
        resource_elements.element_value,
        resource_elements.like_pattern,
        resource_elements.element_value like '%*%' or resource_elements.element_value like '%?%'
            as has_wildcard
    from matched_statements
    inner join resource_elements
        on matched_statements.statement_id = resource_elements.statement_id

),

element_hits as (

    {#- exact ARNs by equality, patterns by LIKE within the account's domain #}
    select
        statement_elements.statement_id,
        statement_elements.account_id,
        statement_elements.domain_kind,
        statement_elements.element_kind,
        domains.target_arn
    from statement_elements
    inner join domains
        on statement_elements.account_id = domains.account_id
        and statement_elements.domain_kind = domains.domain_kind
        and statement_elements.element_value = domains.target_arn
    where not statement_elements.has_wildcard
    union
    select
        statement_elements.statement_id,
        statement_elements.account_id,
        statement_elements.domain_kind,
        statement_elements.element_kind,
        domains.target_arn
    from statement_elements
    inner join domains
        on statement_elements.account_id = domains.account_id
        and statement_elements.domain_kind = domains.domain_kind
    where
        statement_elements.has_wildcard
        and {{ soc2.like_match('domains.target_arn', 'statement_elements.like_pattern') }}

),

not_resource_statements as (

    select distinct statement_id, account_id, domain_kind
    from statement_elements
    where element_kind = 'not_resource'

),

statement_matches as (

    {#- Resource: what a pattern names; NotResource: what none names #}
    select distinct statement_id, account_id, domain_kind, target_arn
    from element_hits
    where element_kind = 'resource'
    union all
    select
        not_resource_statements.statement_id,
        not_resource_statements.account_id,
        not_resource_statements.domain_kind,
        domains.target_arn
    from not_resource_statements
    inner join domains
        on not_resource_statements.account_id = domains.account_id
        and not_resource_statements.domain_kind = domains.domain_kind
    left join element_hits
        on not_resource_statements.statement_id = element_hits.statement_id
        and not_resource_statements.account_id = element_hits.account_id
        and not_resource_statements.domain_kind = element_hits.domain_kind
        and element_hits.element_kind = 'not_resource'
        and domains.target_arn = element_hits.target_arn
    where element_hits.statement_id is null

),

candidates as (

    select
        node_definitions.node_id,
        node_definitions.account_id,
        node_definitions.action_key,
        node_definitions.domain_kind,
        node_definitions.profile_id,
        domains.target_arn
    from node_definitions
    inner join domains
        on node_definitions.account_id = domains.account_id
        and node_definitions.domain_kind = domains.domain_kind
    where node_definitions.allow_source = '*'
    union all
    select
        node_definitions.node_id,
        node_definitions.account_id,
        node_definitions.action_key,
        node_definitions.domain_kind,
        node_definitions.profile_id,
        statement_matches.target_arn
    from node_definitions
    inner join statement_matches
        on node_definitions.allow_source = statement_matches.statement_id
        and node_definitions.account_id = statement_matches.account_id
        and node_definitions.domain_kind = statement_matches.domain_kind

),

profile_kinds as (

    select
        profile_id,
        max(case when restriction_kind = 'boundary' then 1 else 0 end) = 1 as boundary_restricts,
        max(case when restriction_kind = 'scp' then 1 else 0 end) = 1 as scp_restricts
    from restriction_statements
    group by profile_id

),

restriction_hits as (

    select
        candidates.node_id,
        candidates.target_arn,
        max(case when restriction_statements.restriction_kind = 'deny' then 1 else 0 end) = 1
            as is_denied,
        max(case when restriction_statements.restriction_kind = 'boundary' then 1 else 0 end) = 1
            as boundary_allows,
        max(case when restriction_statements.restriction_kind = 'scp' then 1 else 0 end) = 1
            as scp_allows
    from candidates
    inner join restriction_statements
        on candidates.profile_id = restriction_statements.profile_id
    inner join statement_matches
        on restriction_statements.statement_id = statement_matches.statement_id
        and candidates.account_id = statement_matches.account_id
        and candidates.domain_kind = statement_matches.domain_kind
        and candidates.target_arn = statement_matches.target_arn
    where candidates.profile_id != ''
    group by candidates.node_id, candidates.target_arn

),

final as (

    select distinct
        candidates.node_id,
        candidates.account_id,
        candidates.action_key,
        candidates.target_arn
    from candidates
    left join profile_kinds
        on candidates.profile_id = profile_kinds.profile_id
    left join restriction_hits
        on candidates.node_id = restriction_hits.node_id
        and candidates.target_arn = restriction_hits.target_arn
    where
        not coalesce(restriction_hits.is_denied, false)
        and (not coalesce(profile_kinds.boundary_restricts, false)
            or coalesce(restriction_hits.boundary_allows, false))
        and (not coalesce(profile_kinds.scp_restricts, false)
            or coalesce(restriction_hits.scp_allows, false))

)

select * from final
