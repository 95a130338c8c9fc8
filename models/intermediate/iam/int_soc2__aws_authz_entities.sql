-- One row per user, group, role and managed policy listed in
-- aws_iam_account_authorization_details, with the fields later models read:
-- scalars as text, and the element's own nested lists (groups, attached and
-- inline policies, policy versions) as JSON for int_soc2__aws_authz_entity_links.
-- Each list column is narrowed to its own relation before it is exploded, so
-- that no row carries the account's whole document (an engine that plans the
-- explosion as a join on the outer row would otherwise copy and compare the
-- document once per element).
{%- set lists = [
    ('user', 'user_detail_list', 'UserName', 'UserPolicyList'),
    ('group', 'group_detail_list', 'GroupName', 'GroupPolicyList'),
    ('role', 'role_detail_list', 'RoleName', 'RolePolicyList'),
    ('policy', 'policy_detail_list', 'PolicyName', none),
] %}
with details as (

    select * from {{ ref('stg_soc2__aws_iam_account_authorization_details') }}

),

{% for entity_type, list_column, name_key, inline_key in lists %}
{{ entity_type }}_lists as (

    select
        account_id,
        {{ soc2.json_as_array(list_column) }} as entity_list,
        source_relation,
        synced_at
    from details

),

{{ entity_type }}_entities as (

    select
        {{ entity_type }}_lists.account_id,
        '{{ entity_type }}' as entity_type,
        {{ soc2.json_text('entity_element', ['Arn']) }} as entity_arn,
        {{ soc2.json_text('entity_element', [name_key]) }} as entity_name,
        {{ soc2.json_text('entity_element', ['Path']) }} as entity_path,
        {{ soc2.text_to_timestamp(soc2.json_text('entity_element', ['CreateDate'])) }}
            as created_at,
        {{ soc2.json_text('entity_element', ['PermissionsBoundary', 'PermissionsBoundaryArn']) }}
            as permissions_boundary_arn,
        {%- if entity_type == 'role' %}
        {{ soc2.json_text('entity_element', ['AssumeRolePolicyDocument']) }} as trust_policy_text,
        {{ soc2.json_text('entity_element', ['RoleLastUsed', 'LastUsedDate']) }} as last_used_text,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as trust_policy_text,
        cast(null as {{ dbt.type_string() }}) as last_used_text,
        {%- endif %}
        {%- if entity_type == 'policy' %}
        {{ soc2.json_text('entity_element', ['DefaultVersionId']) }} as default_version_id,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as default_version_id,
        {%- endif %}
        {%- for column, key in [
            ('group_names', 'GroupList' if entity_type == 'user' else none),
            ('attached_policies', 'AttachedManagedPolicies' if entity_type != 'policy' else none),
            ('inline_policies', inline_key),
            ('policy_versions', 'PolicyVersionList' if entity_type == 'policy' else none),
        ] %}
        {%- if key %}
        {{ soc2.json_value('entity_element', [key]) }} as {{ column }},
        {%- else %}
        cast(null as {{ soc2.sql_type('json') }}) as {{ column }},
        {%- endif %}
        {%- endfor %}
        {{ entity_type }}_lists.source_relation,
        {{ entity_type }}_lists.synced_at
    from {{ entity_type }}_lists
    {{ soc2.unnest_lateral(entity_type ~ '_lists.entity_list', 'entity_element', 'entity_index') }}

),
{% endfor %}

final as (

    {% for entity_type, list_column, name_key, inline_key in lists %}
    select * from {{ entity_type }}_entities
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
