-- One row per Allow statement of a resource policy whose Principal admits
-- anyone ("*", {"AWS": "*"}, any account's principal, or NotPrincipal), with
-- the verdict of the restricting-conditions rule (soc2.condition_restrictions,
-- DECISIONS 30): restricted when a condition narrows who may use it to an
-- organisation, an account or a network. S3 bucket policies today; another
-- kind of resource policy joins by adding its document_kind below.
{%- set resource_policy_kinds = ['bucket_policy'] %}
with statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind in ({{ soc2.sql_list(resource_policy_kinds) }})
        and statement_problem is null
        and effect = 'Allow'

),

condition_statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind in ({{ soc2.sql_list(resource_policy_kinds) }})
        and statement_problem is null
        and effect = 'Allow'
        and has_condition

),

principal_elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('principal', 'not_principal')

),

conditions as (

    select * from {{ ref('int_soc2__aws_policy_statement_conditions') }}

),

public_principals as (

    select
        statement_id,
        {{ soc2.string_agg_distinct(
            "case when element_kind = 'not_principal' then 'NotPrincipal ' else '' end "
            ~ "|| principal_type || ' ' || element_value", ', ') }} as public_principals
    from principal_elements
    where {{ soc2.is_public_principal('element_kind', 'principal_type', 'element_value') }}
    group by statement_id

),

resource_policy_conditions as (

    select
        conditions.statement_id,
        conditions.condition_operator,
        conditions.condition_key,
        conditions.condition_value
    from conditions
    inner join condition_statements
        on conditions.statement_id = condition_statements.statement_id

),

condition_verdicts as (

    {{ soc2.condition_restrictions('resource_policy_conditions') }}

),

statement_restrictions as (

    select
        statement_id,
        max(case when restricts and restriction_kind != 'subject' then 1 else 0 end) = 1
            as is_restricted,
        nullif({{ soc2.string_agg_distinct(
            "case when restricts and restriction_kind != 'subject' then condition_text end", '; ') }}, '')
            as restricting_conditions,
        nullif({{ soc2.string_agg_distinct(
            "case when not restricts then condition_key || ' ' || condition_operator end", '; ') }}, '')
            as non_restricting_conditions
    from condition_verdicts
    group by statement_id

),

final as (

    select
        statements.document_kind,
        statements.account_id,
        statements.owner_arn as resource_arn,
        statements.statement_id,
        statements.statement_index,
        coalesce(statements.sid, '#' || cast(statements.statement_index as {{ dbt.type_string() }}))
            as statement_label,
        public_principals.public_principals,
        coalesce(statement_restrictions.is_restricted, false) as is_restricted,
        statement_restrictions.restricting_conditions,
        statement_restrictions.non_restricting_conditions
    from statements
    inner join public_principals
        on statements.statement_id = public_principals.statement_id
    left join statement_restrictions
        on statements.statement_id = statement_restrictions.statement_id

)

select * from final
