-- Policy documents and statements the package could not evaluate, with the
-- reason. They are kept here rather than dropped: a document listed here took
-- no part in entitlements or controls.
with documents as (

    select * from {{ ref('int_soc2__aws_policy_documents') }}
    where document_problem is not null

),

statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where statement_problem is not null

),

document_rows as (

    select
        document_id,
        cast(null as {{ dbt.type_int() }}) as statement_index,
        document_kind,
        account_id,
        owner_arn,
        policy_name,
        version_id,
        document_problem as problem,
        substring(policy_document_text, 1, 500) as document_excerpt,
        source_relation,
        synced_at
    from documents

),

statement_rows as (

    select
        document_id,
        statement_index,
        document_kind,
        account_id,
        owner_arn,
        policy_name,
        version_id,
        statement_problem as problem,
        substring({{ soc2.json_to_text('statement_json') }}, 1, 500) as document_excerpt,
        source_relation,
        synced_at
    from statements

),

final as (

    select * from document_rows
    union all
    select * from statement_rows

)

select * from final
