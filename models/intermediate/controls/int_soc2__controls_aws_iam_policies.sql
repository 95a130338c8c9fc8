-- Controls on IAM policies and how they are held, read from either IAM input
-- form (per-entity tables or authorization details): no inline policies, no
-- denied AWS managed policy attached, customer and inline policies that grant
-- neither KMS decryption nor Marketplace subscription on every resource,
-- customer managed policies in use, and a principal holding AWSSupportAccess
-- in every account.
{%- set denied_policies = var('soc2_denied_managed_policies', []) %}
{#- the policy-content checks: the actions whose grant on every resource fails #}
{%- set content_checks = [
    {'control_id': 'aws_iam_kms_decrypt_restricted', 'key': 'kms',
     'actions': ['kms:decrypt', 'kms:reencryptfrom', 'kms:reencryptto'],
     'label': 'kms:Decrypt or kms:ReEncrypt*', 'fix': 'name the keys it may use'},
    {'control_id': 'aws_iam_marketplace_subscribe_restricted', 'key': 'marketplace',
     'actions': ['aws-marketplace:subscribe'],
     'label': 'aws-marketplace:Subscribe', 'fix': 'name the products it may subscribe to'},
] %}
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

users as (

    select * from {{ ref('int_soc2__aws_iam_users') }}

),

iam_groups as (

    select * from {{ ref('int_soc2__aws_iam_groups') }}

),

roles as (

    select * from {{ ref('int_soc2__aws_iam_roles') }}

),

managed_policies as (

    select * from {{ ref('int_soc2__aws_iam_policies') }}

),

policy_table as (

    select * from {{ ref('stg_soc2__aws_iam_policies') }}

),

inline_policies as (

    select * from {{ ref('int_soc2__aws_iam_inline_policies') }}

),

policy_attachments as (

    select * from {{ ref('int_soc2__aws_iam_policy_attachments') }}

),

documents as (

    select * from {{ ref('int_soc2__aws_policy_documents') }}
    where
        (document_kind = 'managed_policy_version' and is_default_version and not is_aws_managed)
        or document_kind in ('user_inline', 'group_inline', 'role_inline')

),

statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        statement_problem is null
        and effect = 'Allow'
        and (
            (document_kind = 'managed_policy_version' and is_default_version and not is_aws_managed)
            or document_kind in ('user_inline', 'group_inline', 'role_inline')
        )

),

elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('action', 'not_action', 'resource')

),

holders as (

    select
        account_id,
        'user' as holder_type,
        user_arn as holder_arn,
        user_name as holder_name,
        false as is_service_linked,
        source_relation,
        synced_at
    from users
    union all
    select
        account_id,
        'group' as holder_type,
        group_arn as holder_arn,
        group_name as holder_name,
        false as is_service_linked,
        cast(null as {{ dbt.type_string() }}) as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from iam_groups
    union all
    select
        account_id,
        'role' as holder_type,
        role_arn as holder_arn,
        role_name as holder_name,
        coalesce(role_path like '/aws-service-role/%', false) as is_service_linked,
        source_relation,
        synced_at
    from roles

),

inline_counts as (

    select
        account_id,
        holder_type,
        holder_arn,
        count(*) as inline_policy_count,
        {{ soc2.string_agg_distinct('policy_name', ', ') }} as inline_policy_names
    from inline_policies
    group by account_id, holder_type, holder_arn

),

denied_attachments as (

    select
        account_id,
        holder_type,
        holder_arn,
        {{ soc2.string_agg_distinct('policy_arn', ', ') }} as denied_policy_arns
    from policy_attachments
    {%- if denied_policies %}
    where policy_arn in ({{ soc2.sql_list(denied_policies) }})
    {%- else %}
    where 1 = 0
    {%- endif %}
    group by account_id, holder_type, holder_arn

),

holder_state as (

    select
        holders.*,
        coalesce(inline_counts.inline_policy_count, 0) as inline_policy_count,
        inline_counts.inline_policy_names,
        denied_attachments.denied_policy_arns
    from holders
    left join inline_counts
        on
            holders.account_id = inline_counts.account_id
            and holders.holder_type = inline_counts.holder_type
            and holders.holder_arn = inline_counts.holder_arn
    left join denied_attachments
        on
            holders.account_id = denied_attachments.account_id
            and holders.holder_type = denied_attachments.holder_type
            and holders.holder_arn = denied_attachments.holder_arn

),

no_inline_policies as (

    select
        'aws_iam_no_inline_policies' as control_id,
        account_id,
        'global' as region,
        'aws_iam_' || holder_type as resource_type,
        holder_arn as resource_id,
        case
            when is_service_linked then 'not_applicable'
            when inline_policy_count > 0 then 'fail'
            else 'pass'
        end as status,
        case
            when is_service_linked
                then 'service-linked role: its policies are managed by the AWS service'
            when inline_policy_count > 0
                then holder_type || ' ' || holder_name || ' has inline policies ('
                || inline_policy_names || '); move them into managed policies'
            else 'the ' || holder_type || ' has no inline policy'
        end as reason,
        'inline_policies=' || cast(inline_policy_count as {{ dbt.type_string() }})
        || coalesce(' (' || inline_policy_names || ')', '') as evidence,
        source_relation,
        synced_at
    from holder_state

),

no_denied_managed_policy as (

    select
        'aws_iam_no_admin_managed_policy_attached' as control_id,
        account_id,
        'global' as region,
        'aws_iam_' || holder_type as resource_type,
        holder_arn as resource_id,
        case when denied_policy_arns is not null then 'fail' else 'pass' end as status,
        case
            when denied_policy_arns is not null
                then holder_type || ' ' || holder_name || ' has ' || denied_policy_arns
                || ' attached; detach it and grant only the permissions needed'
            else 'no policy of soc2_denied_managed_policies is attached to the ' || holder_type
        end as reason,
        'denied_policies=' || coalesce(denied_policy_arns, 'none') as evidence,
        source_relation,
        synced_at
    from holder_state

),

statement_matches as (

    select
        elements.statement_id,
        {%- for check in content_checks %}
            {%- for action in check.actions %}
        max(case
            when elements.element_kind = 'action'
                and {{ soc2.like_match("'" ~ action ~ "'", 'elements.like_pattern') }}
                then 1 else 0
        end) as {{ check.key }}_action_{{ loop.index }},
        max(case
            when elements.element_kind = 'not_action'
                and {{ soc2.like_match("'" ~ action ~ "'", 'elements.like_pattern') }}
                then 1 else 0
        end) as {{ check.key }}_not_action_{{ loop.index }},
            {%- endfor %}
        {%- endfor %}
        max(case
            when elements.element_kind = 'resource' and elements.element_value = '*' then 1 else 0
        end) as has_star_resource
    from elements
    inner join statements
        on elements.statement_id = statements.statement_id
    group by elements.statement_id

),

{#- a statement grants a checked action on every resource when its Action
    covers it (or its NotAction does not exclude it) and its Resource is "*"
    (or absent, or a NotResource). Conditions are not weighed. #}
statement_grants as (

    select
        statements.document_id,
        statements.statement_id,
        coalesce(statements.sid, '#' || cast(statements.statement_index as {{ dbt.type_string() }}))
            as statement_label,
        {%- for check in content_checks %}
        (
            (not statements.has_resource or coalesce(statement_matches.has_star_resource, 0) = 1)
            and (
                {%- for action in check.actions %}
                (statements.has_action
                    and coalesce(statement_matches.{{ check.key }}_action_{{ loop.index }}, 0) = 1)
                or (statements.has_not_action
                    and coalesce(statement_matches.{{ check.key }}_not_action_{{ loop.index }}, 0) = 0)
                {{- ' or' if not loop.last }}
                {%- endfor %}
            )
        ) as grants_{{ check.key }}{{ ',' if not loop.last }}
        {%- endfor %}
    from statements
    left join statement_matches
        on statements.statement_id = statement_matches.statement_id

),

document_grants as (

    select
        document_id,
        {%- for check in content_checks %}
        nullif({{ soc2.string_agg_distinct(
            'case when grants_' ~ check.key ~ ' then statement_label end', ', ') }}, '')
            as {{ check.key }}_statements{{ ',' if not loop.last }}
        {%- endfor %}
    from statement_grants
    group by document_id

),

policy_documents as (

    select
        documents.account_id,
        case
            when documents.document_kind = 'managed_policy_version' then 'aws_iam_policy'
            else 'aws_iam_inline_policy'
        end as resource_type,
        case
            when documents.document_kind = 'managed_policy_version' then documents.policy_arn
            else documents.owner_arn || '#' || documents.policy_name
        end as resource_id,
        case
            when documents.document_kind = 'managed_policy_version'
                then 'policy ' || documents.policy_name
            else 'inline policy ' || documents.policy_name || ' of ' || documents.owner_arn
        end as policy_label,
        documents.document_problem,
        {%- for check in content_checks %}
        document_grants.{{ check.key }}_statements,
        {%- endfor %}
        documents.source_relation,
        documents.synced_at
    from documents
    left join document_grants
        on documents.document_id = document_grants.document_id

),

{% for check in content_checks %}
    {{ check.key }}_restricted as (

        select
            '{{ check.control_id }}' as control_id,
            account_id,
            'global' as region,
            resource_type,
            resource_id,
            case
                when document_problem is not null then 'not_evaluated'
                when {{ check.key }}_statements is not null then 'fail'
                else 'pass'
            end as status,
            case
                when document_problem is not null
                    then 'the ' || policy_label || ' could not be parsed (' || document_problem
                    || '); see soc2__policy_quarantine'
                when {{ check.key }}_statements is not null
                    then 'the ' || policy_label || ' allows {{ check.label }} on every resource '
                    || '(statements ' || {{ check.key }}_statements || '); {{ check.fix }}'
                else 'the ' || policy_label || ' does not allow {{ check.label }} on every resource'
            end as reason,
            'statements=' || coalesce({{ check.key }}_statements, 'none') as evidence,
            source_relation,
            synced_at
        from policy_documents

    ),
{% endfor %}

attachment_counts as (

    select account_id, policy_arn, count(*) as attachment_count
    from policy_attachments
    group by account_id, policy_arn

),

customer_policies as (

    select
        managed_policies.account_id,
        managed_policies.policy_arn,
        managed_policies.policy_name,
        {#- the per-entity table's own count, or else the attachments seen #}
        coalesce(policy_table.attachment_count, attachment_counts.attachment_count, 0)
            as attachment_count,
        policy_table.source_relation,
        policy_table.synced_at
    from managed_policies
    left join policy_table
        on
            managed_policies.account_id = policy_table.account_id
            and managed_policies.policy_arn = policy_table.policy_arn
            and managed_policies.input_form = 'entity_tables'
    left join attachment_counts
        on
            managed_policies.account_id = attachment_counts.account_id
            and managed_policies.policy_arn = attachment_counts.policy_arn
    where not managed_policies.is_aws_managed

),

customer_policy_in_use as (

    select
        'aws_iam_customer_policy_in_use' as control_id,
        account_id,
        'global' as region,
        'aws_iam_policy' as resource_type,
        policy_arn as resource_id,
        case when attachment_count > 0 then 'pass' else 'fail' end as status,
        case
            when attachment_count > 0
                then 'the policy is attached to ' || cast(attachment_count as {{ dbt.type_string() }})
                || ' users, groups or roles'
            else 'customer managed policy ' || policy_name
                || ' is attached to nothing; delete it or attach it where needed'
        end as reason,
        'attachment_count=' || cast(attachment_count as {{ dbt.type_string() }}) as evidence,
        source_relation,
        synced_at
    from customer_policies

),

support_holders as (

    select
        account_id,
        count(*) as holder_count,
        {{ soc2.string_agg_distinct('holder_arn', ', ') }} as holder_arns
    from policy_attachments
    where policy_arn = 'arn:aws:iam::aws:policy/AWSSupportAccess'
    group by account_id

),

support_role_exists as (

    select
        'aws_iam_support_role_exists' as control_id,
        accounts.account_id,
        'global' as region,
        'aws_account' as resource_type,
        accounts.account_id as resource_id,
        case
            when input_forms.account_id is null then 'not_evaluated'
            when support_holders.account_id is not null then 'pass'
            else 'fail'
        end as status,
        case
            when input_forms.account_id is null
                then 'no IAM users, groups, roles or policies were synced for this account'
            when support_holders.account_id is not null
                then 'AWSSupportAccess is attached to ' || support_holders.holder_arns
            else 'nothing holds AWSSupportAccess; attach it to a role for the incident responders'
        end as reason,
        'support_access_holders=' || coalesce(support_holders.holder_arns, 'none') as evidence,
        cast(null as {{ dbt.type_string() }}) as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from accounts
    left join input_forms
        on accounts.account_id = input_forms.account_id
    left join support_holders
        on accounts.account_id = support_holders.account_id

),

final as (

    select * from no_inline_policies
    union all
    select * from no_denied_managed_policy
    {%- for check in content_checks %}
    union all
    select * from {{ check.key }}_restricted
    {%- endfor %}
    union all
    select * from customer_policy_in_use
    union all
    select * from support_role_exists

)

select * from final
{% endcall %}
