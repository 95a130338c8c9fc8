-- The nested lists of each authorization-details entity, one row per item:
-- group names of a user, attached managed policies, inline policies and the
-- stored versions of a managed policy.
with entities as (

    select * from {{ ref('int_soc2__aws_authz_entities') }}

),

{% set object_lists = [
    ('attached_policy', 'AttachedManagedPolicies'),
    ('inline_policy', 'UserPolicyList'),
    ('inline_policy', 'GroupPolicyList'),
    ('inline_policy', 'RolePolicyList'),
    ('policy_version', 'PolicyVersionList'),
] %}

group_names as (

    select
        entities.account_id,
        entities.entity_type,
        entities.entity_arn,
        'group_name' as link_type,
        {{ soc2.json_element_text('link_element') }} as link_name,
        cast(null as {{ dbt.type_string() }}) as link_arn,
        cast(null as {{ dbt.type_string() }}) as document_text,
        cast(null as {{ dbt.type_string() }}) as version_id,
        cast(null as {{ dbt.type_boolean() }}) as is_default_version,
        entities.source_relation,
        entities.synced_at
    from entities
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('entities.entity_element', ['GroupList'])),
        'link_element', 'link_index') }}

),

{% for link_type, list_key in object_lists %}
links_{{ loop.index }} as (

    select
        entities.account_id,
        entities.entity_type,
        entities.entity_arn,
        '{{ link_type }}' as link_type,
        {{ soc2.json_text('link_element', ['PolicyName']) }} as link_name,
        {{ soc2.json_text('link_element', ['PolicyArn']) }} as link_arn,
        {%- if link_type == 'inline_policy' %}
        {{ soc2.json_text('link_element', ['PolicyDocument']) }} as document_text,
        cast(null as {{ dbt.type_string() }}) as version_id,
        cast(null as {{ dbt.type_boolean() }}) as is_default_version,
        {%- elif link_type == 'policy_version' %}
        {{ soc2.json_text('link_element', ['Document']) }} as document_text,
        {{ soc2.json_text('link_element', ['VersionId']) }} as version_id,
        lower({{ soc2.json_text('link_element', ['IsDefaultVersion']) }}) = 'true'
            as is_default_version,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as document_text,
        cast(null as {{ dbt.type_string() }}) as version_id,
        cast(null as {{ dbt.type_boolean() }}) as is_default_version,
        {%- endif %}
        entities.source_relation,
        entities.synced_at
    from entities
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('entities.entity_element', [list_key])),
        'link_element', 'link_index') }}

),
{% endfor %}

final as (

    select * from group_names
    {% for link_type, list_key in object_lists %}
    union all
    select * from links_{{ loop.index }}
    {% endfor %}

)

select * from final
