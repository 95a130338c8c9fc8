{#- Explode an array column of the preceding FROM relations into rows.
    Emits a FROM-clause fragment and must come last in the FROM clause (Spark's
    LATERAL VIEW goes after all joins). Gives `element_alias` and a 0-based
    `index_alias`. Rows whose array is null or empty produce no row. -#}
{% macro unnest_lateral(array_expr, element_alias, index_alias, relation_alias='unnested') -%}
    {{ return(adapter.dispatch('unnest_lateral', 'soc2')(array_expr, element_alias, index_alias, relation_alias)) }}
{%- endmacro %}

{# No portable SQL: other engines stop with the unsupported-adapter message. #}
{% macro default__unnest_lateral(array_expr, element_alias, index_alias, relation_alias) -%}
    {{ soc2.raise_unsupported_adapter('unnest_lateral') }}
{%- endmacro %}

{# DuckDB: subqueries may reference outer columns (implicit LATERAL). #}
{% macro duckdb__unnest_lateral(array_expr, element_alias, index_alias, relation_alias) -%}
    cross join lateral (
        select
            unnest({{ array_expr }}) as {{ element_alias }},
            generate_subscripts({{ array_expr }}, 1) - 1 as {{ index_alias }}
    ) as {{ relation_alias }}
{%- endmacro %}

{# PostgreSQL: jsonb arrays, text arrays handled by the caller's expression. #}
{% macro postgres__unnest_lateral(array_expr, element_alias, index_alias, relation_alias) -%}
    cross join lateral (
        select
            {{ relation_alias }}_raw.value as {{ element_alias }},
            {{ relation_alias }}_raw.ordinality - 1 as {{ index_alias }}
        from jsonb_array_elements({{ array_expr }}) with ordinality
            as {{ relation_alias }}_raw (value, ordinality)
    ) as {{ relation_alias }}
{%- endmacro %}

{# Spark: posexplode is already 0-based. #}
{% macro spark__unnest_lateral(array_expr, element_alias, index_alias, relation_alias) -%}
    lateral view posexplode({{ array_expr }}) {{ relation_alias }} as {{ index_alias }}, {{ element_alias }}
{%- endmacro %}
