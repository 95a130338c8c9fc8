-- One row per role and principal its trust policy lets assume it (Allow
-- statements on sts:AssumeRole*), classified by who can actually assume it,
-- with the restricting-conditions rule (soc2.condition_restrictions,
-- DECISIONS 30): public (anyone with an AWS account, or anyone holding a
-- token from an OpenID Connect provider when no condition fixes the token's
-- subject), organisation (a principal that admits anyone, narrowed by its
-- conditions to the role's own organisation or account), same_account,
-- cross_account (another account, named or narrowed to), service or
-- federated (SAML, or OIDC with a fixed subject).
{%- set trusted_accounts = var('soc2_trusted_account_ids', []) %}
{%- set trusted_list -%}
    ({%- for account_id in trusted_accounts %}'{{ account_id }}'{{ ', ' if not loop.last }}{% endfor %}
    {%- if not trusted_accounts %}''{% endif -%})
{%- endset %}
with roles as (

    select * from {{ ref('int_soc2__aws_iam_roles') }}

),

statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind = 'role_trust'
        and statement_problem is null
        and effect = 'Allow'

),

condition_statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind = 'role_trust'
        and statement_problem is null
        and effect = 'Allow'
        and has_condition

),

action_elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind = 'action'

),

principal_elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('principal', 'not_principal')

),

conditions as (

    select * from {{ ref('int_soc2__aws_policy_statement_conditions') }}

),

own_organizations as (

    select distinct
        account_id,
        split_part(organization_account_arn, '/', 2) as organization_id
    from {{ ref('stg_soc2__aws_organizations_accounts') }}

),

named_organizations as (

    select distinct
        account_id,
        split_part(organization_account_arn, '/', 2) as organization_id
    from {{ ref('stg_soc2__aws_organizations_accounts') }}

),

assume_statements as (

    select distinct statements.statement_id, statements.owner_arn as role_arn
    from statements
    inner join action_elements
        on statements.statement_id = action_elements.statement_id
    where
        action_elements.element_value in ('*', 'sts:*')
        or action_elements.element_value like 'sts:assumerole%'

),

trust_conditions as (

    select
        conditions.statement_id,
        conditions.condition_operator,
        conditions.condition_key,
        conditions.condition_value,
        condition_statements.account_id as role_account_id
    from conditions
    inner join condition_statements
        on conditions.statement_id = condition_statements.statement_id

),

condition_verdicts as (

    {{ soc2.condition_restrictions('trust_conditions') }}

),

{#- Whom each restricting value names, seen from the role: its own account
    or organisation (internal), an account listed in soc2_trusted_account_ids
    (trusted), another (foreign), an organisation while the role's own is not
    known (unknown: aws_organizations_accounts has no row for its account),
    or nobody in particular (unnamed: e.g. an S3 bucket ARN). #}
scoped_values as (

    select
        condition_verdicts.statement_id,
        condition_verdicts.condition_operator,
        condition_verdicts.condition_key,
        condition_verdicts.restriction_kind,
        condition_verdicts.subject_provider,
        condition_verdicts.restricts,
        condition_verdicts.condition_text,
        case
            when condition_verdicts.restriction_kind not in ('organisation', 'account') then null
            when condition_verdicts.names_resource_owner then 'internal'
            when condition_verdicts.restriction_kind = 'organisation'
                and condition_verdicts.named_organization_id is null then 'unnamed'
            when condition_verdicts.restriction_kind = 'organisation'
                and own_organizations.organization_id is null then 'unknown'
            when condition_verdicts.restriction_kind = 'organisation'
                and condition_verdicts.named_organization_id = own_organizations.organization_id
                then 'internal'
            when condition_verdicts.restriction_kind = 'organisation' then 'foreign'
            when condition_verdicts.named_account_id is null then 'unnamed'
            when condition_verdicts.named_account_id = condition_verdicts.role_account_id then 'internal'
            when named_organizations.organization_id = own_organizations.organization_id then 'internal'
            when condition_verdicts.named_account_id in {{ trusted_list }} then 'trusted'
            else 'foreign'
        end as value_scope
    from condition_verdicts
    left join own_organizations
        on condition_verdicts.role_account_id = own_organizations.account_id
    left join named_organizations
        on condition_verdicts.named_account_id = named_organizations.account_id

),

{#- One row per statement, operator and key: the values of one key are
    alternatives, so a key narrows to the role's own organisation only when
    every value does. #}
condition_groups as (

    select
        statement_id,
        condition_operator,
        condition_key,
        max(restriction_kind) as restriction_kind,
        max(subject_provider) as subject_provider,
        max(case when restricts then 1 else 0 end) = 1 as restricts,
        min(case when value_scope in ('internal', 'unknown', 'trusted', 'foreign') then 1 else 0 end) = 1
            as names_scope,
        min(case when value_scope = 'internal' then 1 else 0 end) = 1 as is_internal,
        min(case when value_scope in ('internal', 'unknown') then 1 else 0 end) = 1
            as is_internal_or_unknown,
        min(case when value_scope in ('internal', 'trusted') then 1 else 0 end) = 1
            as is_trusted,
        {{ soc2.string_agg_distinct('condition_text', ', ') }} as group_text
    from scoped_values
    group by statement_id, condition_operator, condition_key

),

statement_restrictions as (

    select
        statement_id,
        sum(case when restricts and restriction_kind != 'subject' then 1 else 0 end)
            as restricting_groups,
        max(case when restricts and names_scope and is_internal then 1 else 0 end) = 1
            as has_internal_scope,
        max(case when restricts and names_scope and is_internal_or_unknown then 1 else 0 end) = 1
            as has_organisation_scope,
        max(case when restricts and names_scope then 1 else 0 end) = 1 as has_named_scope,
        max(case when restricts and names_scope and is_trusted then 1 else 0 end) = 1
            as has_trusted_scope,
        nullif({{ soc2.string_agg_distinct(
            "case when restricts and restriction_kind != 'subject' then group_text end", '; ') }}, '')
            as restricting_text,
        nullif({{ soc2.string_agg_distinct(
            "case when restricts and restriction_kind = 'subject' then group_text end", '; ') }}, '')
            as subject_text,
        nullif({{ soc2.string_agg_distinct(
            "case when restricts and restriction_kind = 'subject' then subject_provider end", '|') }}, '')
            as subject_providers,
        nullif({{ soc2.string_agg_distinct(
            "case when not restricts then condition_key || ' ' || condition_operator end", '; ') }}, '')
            as non_restricting_conditions
    from condition_groups
    group by statement_id

),

trusted as (

    select
        assume_statements.role_arn,
        assume_statements.statement_id,
        principal_elements.element_kind,
        principal_elements.principal_type,
        principal_elements.element_value as trusted_principal
    from assume_statements
    inner join principal_elements
        on assume_statements.statement_id = principal_elements.statement_id

),

classified as (

    select
        roles.account_id,
        trusted.role_arn,
        trusted.statement_id,
        trusted.principal_type,
        trusted.trusted_principal,
        case
            when trusted.principal_type = 'AWS' and trusted.trusted_principal like '%:%'
                then split_part(trusted.trusted_principal, ':', 5)
            when trusted.principal_type = 'AWS' then trusted.trusted_principal
        end as trusted_account_id,
        {{ soc2.is_public_principal(
            'trusted.element_kind', 'trusted.principal_type', 'trusted.trusted_principal') }}
            as is_public_principal,
        case
            when trusted.principal_type != 'Federated' then null
            when trusted.trusted_principal like 'arn:%:oidc-provider/%'
                then lower(substr(
                    trusted.trusted_principal,
                    position(':oidc-provider/' in trusted.trusted_principal) + 15
                ))
            when trusted.trusted_principal not like 'arn:%' then lower(trusted.trusted_principal)
        end as web_identity_provider,
        coalesce(statement_restrictions.restricting_groups, 0) as restricting_groups,
        coalesce(statement_restrictions.has_internal_scope, false) as has_internal_scope,
        coalesce(statement_restrictions.has_organisation_scope, false) as has_organisation_scope,
        coalesce(statement_restrictions.has_named_scope, false) as has_named_scope,
        coalesce(statement_restrictions.has_trusted_scope, false) as has_trusted_scope,
        statement_restrictions.restricting_text,
        statement_restrictions.subject_text,
        statement_restrictions.subject_providers,
        statement_restrictions.non_restricting_conditions
    from trusted
    inner join roles
        on trusted.role_arn = roles.role_arn
    left join statement_restrictions
        on trusted.statement_id = statement_restrictions.statement_id

),

with_subject as (

    select
        *,
        web_identity_provider is not null
        and position(
            '|' || web_identity_provider || '|' in '|' || coalesce(subject_providers, '') || '|'
        ) > 0 as has_fixed_subject
    from classified

),

kinds as (

    select
        *,
        case
            when is_public_principal and has_organisation_scope then 'organisation'
            when is_public_principal and has_named_scope then 'cross_account'
            when is_public_principal then 'public'
            when web_identity_provider is not null and not has_fixed_subject then 'public'
            when principal_type = 'Service' then 'service'
            when principal_type = 'Federated' then 'federated'
            when principal_type = 'CanonicalUser' then 'cross_account'
            when trusted_account_id = account_id then 'same_account'
            else 'cross_account'
        end as trust_kind
    from with_subject

),

final as (

    select
        account_id,
        role_arn,
        statement_id,
        principal_type,
        trusted_principal,
        trusted_account_id,
        trust_kind,
        case
            {#- narrowed from "anyone": restricted beyond the scope it was narrowed to #}
            when is_public_principal and trust_kind != 'public' then restricting_groups > 1
            when web_identity_provider is not null and trust_kind = 'federated' then true
            else restricting_groups > 0
        end as is_restricted,
        case
            when web_identity_provider is not null and has_fixed_subject
                then concat_ws('; ', subject_text, restricting_text)
            else restricting_text
        end as restricting_conditions,
        non_restricting_conditions,
        case
            when is_public_principal and trust_kind = 'cross_account' then has_trusted_scope
            else coalesce(trusted_account_id in {{ trusted_list }}, false)
        end as is_trusted_account,
        trusted_principal like '%:root' or trusted_principal not like 'arn:%' as names_account,
        is_public_principal,
        web_identity_provider,
        case when trust_kind = 'organisation' then has_internal_scope end as is_scope_confirmed
    from kinds

)

select * from final
