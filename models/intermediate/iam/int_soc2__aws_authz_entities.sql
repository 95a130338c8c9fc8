-- One row per user, group, role and managed policy listed in
-- aws_iam_account_authorization_details, with its JSON element kept for the
-- nested lists (groups, attached and inline policies, versions).
with details as (

    select * from {{ ref('stg_soc2__aws_iam_account_authorization_details') }}

),

{% set lists = [
    ('user', 'user_detail_list', 'UserName'),
    ('group', 'group_detail_list', 'GroupName'),
    ('role', 'role_detail_list', 'RoleName'),
    ('policy', 'policy_detail_list', 'PolicyName'),
] %}
{% for entity_type, list_column, name_key in lists %}
{{ entity_type }}_entities as (

    select
        details.account_id,
        '{{ entity_type }}' as entity_type,
        {{ soc2.json_text('entity_element', ['Arn']) }} as entity_arn,
        {{ soc2.json_text('entity_element', [name_key]) }} as entity_name,
        {{ soc2.json_text('entity_element', ['Path']) }} as entity_path,
        {{ soc2.text_to_timestamp(soc2.json_text('entity_element', ['CreateDate'])) }}
            as created_at,
        {{ soc2.json_text('entity_element', ['PermissionsBoundary', 'PermissionsBoundaryArn']) }}
            as permissions_boundary_arn,
        entity_element,
        details.source_relation,
        details.synced_at
    from details
    {{ soc2.unnest_lateral(
        soc2.json_as_array('details.' ~ list_column), 'entity_element', 'entity_index') }}

),
{% endfor %}

final as (

    {% for entity_type, list_column, name_key in lists %}
    select * from {{ entity_type }}_entities
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
