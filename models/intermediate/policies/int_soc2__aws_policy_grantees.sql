-- One row per Allow statement and Principal (or NotPrincipal) value of every
-- resource policy (soc2.resource_policy_kinds: role trust policies on
-- sts:AssumeRole*, S3 bucket, Lambda, SNS, SQS, ECR, KMS, Secrets Manager,
-- OpenSearch, Glacier and CloudWatch Logs policies), classified by who may
-- use the resource: the one rule of DECISIONS 30 and 960, read by the role
-- trusts (int_soc2__aws_role_trusts), the public resource-policy statements
-- and the exposure controls. access_kind is public (anyone with an AWS
-- account, or anyone holding a token from an OpenID Connect provider when no
-- condition fixes the token's subject), organisation (a principal that admits
-- anyone, narrowed by its conditions to the owner's own organisation or
-- account), same_account, cross_account (another account, named or narrowed
-- to), service or federated (SAML, or OIDC with a fixed subject). Restricting
-- conditions are decided by soc2.condition_restrictions (aws:SourceIp and
-- VPC-endpoint conditions included).
{%- set trusted_accounts = var('soc2_trusted_account_ids', []) %}
{%- set trusted_list -%}
    ({%- for account_id in trusted_accounts %}'{{ account_id }}'{{ ', ' if not loop.last }}{% endfor %}
    {%- if not trusted_accounts %}''{% endif -%})
{%- endset %}
with statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind in ({{ soc2.sql_list(soc2.resource_policy_kinds()) }})
        and statement_problem is null
        and effect = 'Allow'

),

condition_statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind in ({{ soc2.sql_list(soc2.resource_policy_kinds()) }})
        and statement_problem is null
        and effect = 'Allow'
        and has_condition

),

documents as (

    select document_id, region from {{ ref('int_soc2__aws_policy_documents') }}
    where document_kind in ({{ soc2.sql_list(soc2.resource_policy_kinds()) }})

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

{#- A role's trust policy lets a principal use the role only through
    sts:AssumeRole*; every Allow statement of another resource policy grants
    some use of its resource. #}
granting_statements as (

    select distinct statements.statement_id
    from statements
    inner join action_elements
        on statements.statement_id = action_elements.statement_id
    where
        statements.document_kind = 'role_trust'
        and (
            action_elements.element_value in ('*', 'sts:*')
            or action_elements.element_value like 'sts:assumerole%'
        )

    union all

    select statement_id
    from statements
    where document_kind != 'role_trust'

),

grant_conditions as (

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

    {{ soc2.condition_restrictions('grant_conditions') }}

),

{#- Whom each restricting value names, seen from the resource's owner: its
    own account or organisation (internal), an account listed in
    soc2_trusted_account_ids (trusted), another (foreign), an organisation
    while the owner's own is not known (unknown: aws_organizations_accounts
    has no row for its account), or nobody in particular (unnamed: e.g. an S3
    bucket ARN). #}
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
    alternatives, so a key narrows to the owner's own organisation only when
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

granted as (

    select
        statements.document_kind,
        statements.document_id,
        statements.account_id,
        documents.region,
        statements.owner_arn as resource_arn,
        statements.statement_id,
        statements.statement_index,
        coalesce(statements.sid, '#' || cast(statements.statement_index as {{ dbt.type_string() }}))
            as statement_label,
        principal_elements.element_kind,
        principal_elements.principal_type,
        principal_elements.element_value as principal
    from granting_statements
    inner join statements
        on granting_statements.statement_id = statements.statement_id
    inner join principal_elements
        on granting_statements.statement_id = principal_elements.statement_id
    inner join documents
        on statements.document_id = documents.document_id

),

classified as (

    select
        granted.*,
        case
            when granted.principal_type = 'AWS' and granted.principal like '%:%'
                then split_part(granted.principal, ':', 5)
            when granted.principal_type = 'AWS' then granted.principal
        end as principal_account_id,
        {{ soc2.is_public_principal(
            'granted.element_kind', 'granted.principal_type', 'granted.principal') }}
            as is_public_principal,
        case
            when granted.principal_type != 'Federated' then null
            when granted.principal like 'arn:%:oidc-provider/%'
                then lower(substr(
                    granted.principal,
                    position(':oidc-provider/' in granted.principal) + 15
                ))
            when granted.principal not like 'arn:%' then lower(granted.principal)
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
    from granted
    left join statement_restrictions
        on granted.statement_id = statement_restrictions.statement_id

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
            when principal_account_id = account_id then 'same_account'
            else 'cross_account'
        end as access_kind
    from with_subject

),

{#- A named account outside the owner's organisation and not in
    soc2_trusted_account_ids; for "*" narrowed to named accounts, a value
    naming none of the owner's account, organisation or trusted accounts. A
    canonical user cannot be placed. Whether the account is in the inventory
    is for the reader to add: this model is upstream of CIEM, which must not
    read the account list. #}
account_scope as (

    select
        kinds.*,
        case
            when kinds.access_kind != 'cross_account' then false
            when kinds.is_public_principal then not kinds.has_trusted_scope
            when kinds.principal_type != 'AWS' then false
            when kinds.principal_account_id in {{ trusted_list }} then false
            when principal_organizations.organization_id is not null
                and principal_organizations.organization_id = owner_organizations.organization_id
                then false
            else true
        end as is_foreign_account
    from kinds
    left join own_organizations as owner_organizations
        on kinds.account_id = owner_organizations.account_id
    left join named_organizations as principal_organizations
        on kinds.principal_account_id = principal_organizations.account_id

),

final as (

    select
        document_kind,
        document_id,
        account_id,
        region,
        resource_arn,
        statement_id,
        statement_index,
        statement_label,
        element_kind,
        principal_type,
        principal,
        principal_account_id,
        access_kind,
        case
            {#- narrowed from "anyone": restricted beyond the scope it was narrowed to #}
            when is_public_principal and access_kind != 'public' then restricting_groups > 1
            when web_identity_provider is not null and access_kind = 'federated' then true
            else restricting_groups > 0
        end as is_restricted,
        restricting_groups > 0 as has_restricting_condition,
        case
            when web_identity_provider is not null and has_fixed_subject
                then concat_ws('; ', subject_text, restricting_text)
            else restricting_text
        end as restricting_conditions,
        non_restricting_conditions,
        case
            when is_public_principal and access_kind = 'cross_account' then has_trusted_scope
            else coalesce(principal_account_id in {{ trusted_list }}, false)
        end as is_trusted_account,
        principal like '%:root' or principal not like 'arn:%' as names_account,
        is_public_principal,
        web_identity_provider,
        case when access_kind = 'organisation' then has_internal_scope end as is_scope_confirmed,
        is_foreign_account
    from account_scope

)

select * from final
