-- One row per value of a statement's Action, NotAction, Resource,
-- NotResource, Principal or NotPrincipal element, each of which may be a
-- string or an array. Actions are lower-cased (IAM matches them without
-- regard to case); resources and principals keep their case.
with statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where statement_problem is null

),

{%- set list_elements = [
    ('Action', 'action'),
    ('NotAction', 'not_action'),
    ('Resource', 'resource'),
    ('NotResource', 'not_resource'),
] %}
{%- set principal_elements = [('Principal', 'principal'), ('NotPrincipal', 'not_principal')] %}
{%- set principal_types = ['AWS', 'Service', 'Federated', 'CanonicalUser'] %}

{% for json_key, element_kind in list_elements %}
    {{ element_kind }}_values as (

        select
            statements.statement_id,
            '{{ element_kind }}' as element_kind,
            cast(null as {{ dbt.type_string() }}) as principal_type,
            {{ soc2.json_element_text('element_value') }} as element_value
        from statements
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('statements.statement_json', [json_key])),
        'element_value', 'element_index') }}

    ),
{% endfor %}

{% for json_key, element_kind in principal_elements %}
    {{ element_kind }}_wildcard as (

        select
            statement_id,
            '{{ element_kind }}' as element_kind,
            '*' as principal_type,
            '*' as element_value
        from statements
        where {{ soc2.json_kind(soc2.json_value('statement_json', [json_key])) }} = 'string'

    ),
    {% for principal_type in principal_types %}
        {{ element_kind }}_{{ principal_type | lower }}_values as (

            select
                statements.statement_id,
                '{{ element_kind }}' as element_kind,
                '{{ principal_type }}' as principal_type,
                {{ soc2.json_element_text('element_value') }} as element_value
            from statements
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('statements.statement_json', [json_key, principal_type])),
        'element_value', 'element_index') }}

        ),
    {% endfor %}
{% endfor %}

unioned as (

    {% for json_key, element_kind in list_elements %}
        select * from {{ element_kind }}_values
        union all
    {% endfor %}
    {% for json_key, element_kind in principal_elements %}
        select * from {{ element_kind }}_wildcard
        union all
        {% for principal_type in principal_types %}
            select * from {{ element_kind }}_{{ principal_type | lower }}_values
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        statement_id,
        element_kind,
        principal_type,
        case
            when element_kind in ('action', 'not_action') then lower(element_value)
            else element_value
        end as element_value,
        {#- the IAM wildcard pattern as a LIKE pattern, built once here #}
        case
            when element_kind in ('action', 'not_action')
                then {{ soc2.wildcard_to_like('lower(element_value)') }}
            else {{ soc2.wildcard_to_like('element_value') }}
        end as like_pattern
    from unioned
    where element_value is not null

)

select * from final
