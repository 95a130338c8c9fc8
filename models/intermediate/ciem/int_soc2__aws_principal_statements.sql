{{ config(materialized='table') }}
-- One row per principal and policy statement that applies to it, with the
-- statement's role (identity grant, permissions boundary or SCP), whether it
-- holds only under a condition, and its resource scope: 'all' (Resource "*"),
-- 'all_except' (NotResource) or 'specific' (named ARNs or patterns). A
-- condition decided at the evaluation instant (see
-- int_soc2__aws_policy_statement_condition_verdicts) is applied here: a
-- statement whose condition can never hold again applies to nothing and has
-- no row; one whose condition holds is unconditional.
with principal_documents as (

    select * from {{ ref('int_soc2__aws_principal_policy_documents') }}
    where document_id is not null

),

principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where statement_problem is null

),

condition_verdicts as (

    select * from {{ ref('int_soc2__aws_policy_statement_condition_verdicts') }}

),

elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('resource', 'not_resource')

),

resource_scopes as (

    select
        statement_id,
        case
            when max(case when element_kind = 'not_resource' then 1 else 0 end) = 1
                then 'all_except'
            when max(case when element_value = '*' then 1 else 0 end) = 1 then 'all'
            else 'specific'
        end as resource_scope
    from elements
    group by statement_id

),

final as (

    select
        principals.account_id,
        principal_documents.principal_arn,
        principals.principal_type,
        statements.statement_id,
        principal_documents.document_id,
        principal_documents.policy_role,
        principal_documents.grant_path,
        principal_documents.via_arn,
        principal_documents.policy_name,
        statements.effect,
        {#- conditional: a condition not decided at the evaluation instant #}
        coalesce(condition_verdicts.condition_verdict, 'always') = 'unknown' as has_condition,
        coalesce(condition_verdicts.condition_verdict, 'always') as condition_verdict,
        coalesce(resource_scopes.resource_scope, 'all') as resource_scope
    from principal_documents
    inner join principals
        on principal_documents.principal_arn = principals.principal_arn
    inner join statements
        on principal_documents.document_id = statements.document_id
    left join condition_verdicts
        on statements.statement_id = condition_verdicts.statement_id
    left join resource_scopes
        on statements.statement_id = resource_scopes.statement_id
    where coalesce(condition_verdicts.condition_verdict, 'always') != 'never'

)

select * from final
