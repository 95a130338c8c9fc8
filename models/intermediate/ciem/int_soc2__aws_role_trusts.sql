-- One row per role and principal its trust policy lets assume it (Allow
-- statements on sts:AssumeRole*), classified: public ("*" or any account's
-- root), same_account, cross_account, service or federated, with the
-- conditions that restrict who can actually assume it (external id,
-- organisation, source account or ARN, federated subject or audience).
{%- set trusted_accounts = var('soc2_trusted_account_ids', []) %}
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

assume_statements as (

    select distinct statements.statement_id, statements.owner_arn as role_arn
    from statements
    inner join action_elements
        on statements.statement_id = action_elements.statement_id
    where
        action_elements.element_value in ('*', 'sts:*')
        or action_elements.element_value like 'sts:assumerole%'

),

restrictions as (

    select
        statement_id,
        {{ soc2.string_agg_distinct('condition_key', ', ') }} as restricting_conditions
    from conditions
    where
        condition_key in (
            'sts:externalid', 'aws:principalorgid', 'aws:principalorgpaths',
            'aws:principalaccount', 'aws:principalarn', 'aws:sourceaccount',
            'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceowner'
        )
        or condition_key like '%:sub'
        or condition_key like '%:aud'
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
                then {{ dbt.split_part('trusted.trusted_principal', "':'", 5) }}
            when trusted.principal_type = 'AWS' then trusted.trusted_principal
        end as trusted_account_id,
        case
            when trusted.element_kind = 'not_principal' then 'public'
            when trusted.principal_type = '*' then 'public'
            when trusted.principal_type = 'AWS' and trusted.trusted_principal = '*' then 'public'
            when trusted.principal_type = 'AWS'
                and trusted.trusted_principal like 'arn:aws:iam::*:%' then 'public'
            when trusted.principal_type = 'Service' then 'service'
            when trusted.principal_type = 'Federated' then 'federated'
            when trusted.principal_type = 'CanonicalUser' then 'cross_account'
        end as preliminary_kind,
        restrictions.restricting_conditions
    from trusted
    inner join roles
        on trusted.role_arn = roles.role_arn
    left join restrictions
        on trusted.statement_id = restrictions.statement_id

),

final as (

    select
        account_id,
        role_arn,
        statement_id,
        principal_type,
        trusted_principal,
        trusted_account_id,
        coalesce(
            preliminary_kind,
            case when trusted_account_id = account_id then 'same_account' else 'cross_account' end
        ) as trust_kind,
        restricting_conditions is not null as is_restricted,
        restricting_conditions,
        coalesce(trusted_account_id in (
            {%- for account_id in trusted_accounts %}'{{ account_id }}'{{ ', ' if not loop.last }}{% endfor %}
            {%- if not trusted_accounts %}''{% endif -%}
        ), false) as is_trusted_account,
        trusted_principal like '%:root' or trusted_principal not like 'arn:%' as names_account
    from classified

)

select * from final
