-- One row per statement of every parseable policy document. Statement may be
-- an object or an array. A statement with neither Resource nor NotResource
-- applies to every resource; an empty Condition ({}) is no condition.
-- `statement_problem` names a shape the package cannot evaluate
-- (soc2__policy_quarantine lists those); such statements take no part in
-- entitlements or controls.
with documents as (

    select * from {{ ref('int_soc2__aws_policy_documents') }}
    where document_problem is null

),

exploded as (

    select
        documents.document_id,
        documents.document_kind,
        documents.account_id,
        documents.owner_arn,
        documents.policy_arn,
        documents.policy_name,
        documents.version_id,
        documents.is_default_version,
        documents.is_aws_managed,
        documents.source_relation,
        documents.synced_at,
        statement_index,
        statement_element
    from documents
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('documents.document', ['Statement'])),
        'statement_element', 'statement_index') }}

),

described as (

    select
        document_id || '#' || cast(statement_index as {{ dbt.type_string() }})
            as statement_id,
        document_id,
        document_kind,
        account_id,
        owner_arn,
        policy_arn,
        policy_name,
        version_id,
        is_default_version,
        is_aws_managed,
        cast(statement_index as {{ dbt.type_int() }}) as statement_index,
        {{ soc2.json_kind('statement_element') }} as statement_kind,
        {{ soc2.json_text('statement_element', ['Sid']) }} as sid,
        {{ soc2.json_text('statement_element', ['Effect']) }} as effect,
        {{ soc2.json_value('statement_element', ['Action']) }} is not null as has_action,
        {{ soc2.json_value('statement_element', ['NotAction']) }} is not null
            as has_not_action,
        {{ soc2.json_value('statement_element', ['Resource']) }} is not null
            as has_resource,
        {{ soc2.json_value('statement_element', ['NotResource']) }} is not null
            as has_not_resource,
        {{ soc2.json_value('statement_element', ['Principal']) }} is not null
            as has_principal,
        {{ soc2.json_value('statement_element', ['NotPrincipal']) }} is not null
            as has_not_principal,
        {#- an empty Condition ({}) restricts nothing #}
        coalesce(
            replace(
                {{ soc2.json_to_text(soc2.json_value('statement_element', ['Condition'])) }},
                ' ', ''
            ) not in ('{}', 'null'),
            false
        ) as has_condition,
        statement_element as statement_json,
        source_relation,
        synced_at
    from exploded

),

final as (

    select
        *,
        case
            when statement_kind != 'object'
                then 'statement is not a JSON object'
            when effect is null
                then 'statement has no Effect'
            when effect not in ('Allow', 'Deny')
                then 'Effect is neither Allow nor Deny (values are case-sensitive)'
            when not has_action and not has_not_action
                then 'statement has neither Action nor NotAction'
            when has_action and has_not_action
                then 'statement has both Action and NotAction'
            when has_resource and has_not_resource
                then 'statement has both Resource and NotResource'
            when
                document_kind in ({{ soc2.sql_list(soc2.resource_policy_kinds()) }})
                and not has_principal and not has_not_principal
                then 'resource policy statement has neither Principal nor NotPrincipal'
        end as statement_problem
    from described

)

select * from final
