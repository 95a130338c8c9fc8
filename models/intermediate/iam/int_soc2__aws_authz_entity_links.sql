-- The nested lists of each authorization-details entity, one row per item:
-- group names of a user, attached managed policies, inline policies and the
-- stored versions of a managed policy. Each list is narrowed to its own
-- relation (the entity's key and that list) before it is exploded.
{%- set object_lists = [
    ('attached_policy', 'attached_policies'),
    ('inline_policy', 'inline_policies'),
    ('policy_version', 'policy_versions'),
] %}
with entities as (

    select * from {{ ref('int_soc2__aws_authz_entities') }}

),

group_name_lists as (

    select
        account_id, entity_type, entity_arn, source_relation, synced_at,
        {{ soc2.json_as_array('group_names') }} as link_list
    from entities
    where group_names is not null

),

group_names as (

    select
        group_name_lists.account_id,
        group_name_lists.entity_type,
        group_name_lists.entity_arn,
        'group_name' as link_type,
        {{ soc2.json_element_text('link_element') }} as link_name,
        cast(null as {{ dbt.type_string() }}) as link_arn,
        cast(null as {{ dbt.type_string() }}) as document_text,
        cast(null as {{ dbt.type_string() }}) as version_id,
        cast(null as {{ dbt.type_boolean() }}) as is_default_version,
        group_name_lists.source_relation,
        group_name_lists.synced_at
    from group_name_lists
    {{ soc2.unnest_lateral('group_name_lists.link_list', 'link_element', 'link_index') }}

),

{% for link_type, list_column in object_lists %}
{{ list_column }}_lists as (

    select
        account_id, entity_type, entity_arn, source_relation, synced_at,
        {{ soc2.json_as_array(list_column) }} as link_list
    from entities
    where {{ list_column }} is not null

),

{{ list_column }}_links as (

    select
        {{ list_column }}_lists.account_id,
        {{ list_column }}_lists.entity_type,
        {{ list_column }}_lists.entity_arn,
        '{{ link_type }}' as link_type,
        {%- if link_type == 'policy_version' %}
        cast(null as {{ dbt.type_string() }}) as link_name,
        {%- else %}
        {{ soc2.json_text('link_element', ['PolicyName']) }} as link_name,
        {%- endif %}
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
        {{ list_column }}_lists.source_relation,
        {{ list_column }}_lists.synced_at
    from {{ list_column }}_lists
    {{ soc2.unnest_lateral(list_column ~ '_lists.link_list', 'link_element', 'link_index') }}

),
{% endfor %}

final as (

    select * from group_names
    {% for link_type, list_column in object_lists %}
    union all
    select * from {{ list_column }}_links
    {% endfor %}

)

select * from final
