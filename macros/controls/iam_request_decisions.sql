{#- Decide single requests from the package's effective-permission models:
    `requests_relation` has principal_arn, action and resource_arn; the result
    adds `decision` (allowed, allowed_conditionally, denied, implicit_deny).
    Answers "can this principal do this action on this resource?" with the
    same statements, expansions and caps as soc2__ciem_entitlements, but with
    the resource matched exactly (ARNs case-sensitively, NotResource
    excluding). Used by the differential tests against the reference
    evaluator; usable in an analysis or `dbt show --inline`. -#}
{% macro iam_request_decisions(requests_relation) -%}
with requests as (

    select
        principal_arn,
        action,
        resource_arn,
        lower(action) as action_key
    from {{ requests_relation }}

),

principal_statements as (

    select * from {{ ref('int_soc2__aws_principal_statements') }}

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

resource_elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('resource', 'not_resource')

),

principal_caps as (

    {#- a boundary or SCP caps even when none of its statements applies #}
    select
        principal_arn,
        max(case when policy_role = 'boundary' then 1 else 0 end) = 1 as has_boundary,
        max(case when policy_role = 'scp' then 1 else 0 end) = 1 as has_scp
    from {{ ref('int_soc2__aws_principal_policy_documents') }}
    where document_id is not null and policy_role in ('boundary', 'scp')
    group by principal_arn

),

action_matches as (

    select distinct
        requests.principal_arn,
        requests.action,
        requests.resource_arn,
        principal_statements.statement_id,
        principal_statements.policy_role,
        principal_statements.effect,
        principal_statements.has_condition
    from requests
    inner join principal_statements
        on requests.principal_arn = principal_statements.principal_arn
    inner join statement_actions
        on principal_statements.statement_id = statement_actions.statement_id
        and (
            statement_actions.action_key = requests.action_key
            or statement_actions.action_key = '*'
        )
    left join not_action_exclusions
        on statement_actions.statement_id = not_action_exclusions.statement_id
        and requests.action_key = not_action_exclusions.action_key
        and statement_actions.action_key = '*'
    where not_action_exclusions.statement_id is null

),

resource_checks as (

    select
        action_matches.principal_arn,
        action_matches.action,
        action_matches.resource_arn,
        action_matches.statement_id,
        max(case when resource_elements.element_kind = 'resource' then 1 else 0 end)
            as has_resource,
        max(case when resource_elements.element_kind = 'not_resource' then 1 else 0 end)
            as has_not_resource,
        max(case
            when {{ soc2.like_match('action_matches.resource_arn', 'resource_elements.like_pattern') }}
                then 1
            else 0
        end) as matches_listed
    from action_matches
    left join resource_elements
        on action_matches.statement_id = resource_elements.statement_id
    group by
        action_matches.principal_arn,
        action_matches.action,
        action_matches.resource_arn,
        action_matches.statement_id

),

matching_statements as (

    select action_matches.*
    from action_matches
    inner join resource_checks
        on action_matches.principal_arn = resource_checks.principal_arn
        and action_matches.action = resource_checks.action
        and action_matches.resource_arn = resource_checks.resource_arn
        and action_matches.statement_id = resource_checks.statement_id
    where
        (resource_checks.has_resource = 0 and resource_checks.has_not_resource = 0)
        or (resource_checks.has_resource = 1 and resource_checks.matches_listed = 1)
        or (resource_checks.has_not_resource = 1 and resource_checks.matches_listed = 0)

),

flags as (

    select
        requests.principal_arn,
        requests.action,
        requests.resource_arn,
        {%- set identity_allow = "matching_statements.policy_role = 'identity' and matching_statements.effect = 'Allow'" %}
        coalesce(max(case when {{ identity_allow }} then 1 else 0 end), 0) = 1 as has_allow,
        coalesce(max(case
            when {{ identity_allow }} and not matching_statements.has_condition then 1 else 0
        end), 0) = 1 as has_unconditional_allow,
        coalesce(max(case
            when matching_statements.effect = 'Deny' and not matching_statements.has_condition
                then 1
            else 0
        end), 0) = 1 as has_full_deny,
        coalesce(max(case
            when matching_statements.effect = 'Deny' and matching_statements.has_condition then 1
            else 0
        end), 0) = 1 as has_partial_deny,
        coalesce(max(case
            when matching_statements.policy_role = 'boundary' and matching_statements.effect = 'Allow'
                then 1
            else 0
        end), 0) = 1 as boundary_allows,
        coalesce(max(case
            when matching_statements.policy_role = 'boundary' and matching_statements.effect = 'Allow'
                and not matching_statements.has_condition then 1
            else 0
        end), 0) = 1 as boundary_allows_unconditionally,
        coalesce(max(case
            when matching_statements.policy_role = 'scp' and matching_statements.effect = 'Allow'
                then 1
            else 0
        end), 0) = 1 as scp_allows,
        coalesce(max(case
            when matching_statements.policy_role = 'scp' and matching_statements.effect = 'Allow'
                and not matching_statements.has_condition then 1
            else 0
        end), 0) = 1 as scp_allows_unconditionally
    from requests
    left join matching_statements
        on requests.principal_arn = matching_statements.principal_arn
        and requests.action = matching_statements.action
        and requests.resource_arn = matching_statements.resource_arn
    group by requests.principal_arn, requests.action, requests.resource_arn

),

final as (

    select
        flags.principal_arn,
        flags.action,
        flags.resource_arn,
        {{ soc2.iam_decision(
            'flags.has_allow', 'flags.has_unconditional_allow',
            'flags.has_full_deny', 'flags.has_partial_deny',
            'coalesce(principal_caps.has_boundary, false)', 'flags.boundary_allows',
            'flags.boundary_allows_unconditionally',
            'coalesce(principal_caps.has_scp, false)', 'flags.scp_allows',
            'flags.scp_allows_unconditionally') }} as decision
    from flags
    left join principal_caps
        on flags.principal_arn = principal_caps.principal_arn

)

select * from final
{%- endmacro %}
