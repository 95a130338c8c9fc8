{#- A text array column (CloudQuery's list<utf8>) as one delimited text
    value, for membership tests that read the same on every engine
    (`delimiter || list || delimiter like '%' || delimiter || item || delimiter || '%'`).
    Null stays null; an empty array gives ''. -#}
{% macro text_array_to_text(array_expr, delimiter=',') -%}
    {{ return(adapter.dispatch('text_array_to_text', 'soc2')(array_expr, delimiter)) }}
{%- endmacro %}

{# DuckDB and PostgreSQL both have array_to_string. #}
{% macro default__text_array_to_text(array_expr, delimiter) -%}
    array_to_string({{ array_expr }}, '{{ delimiter }}')
{%- endmacro %}

{% macro spark__text_array_to_text(array_expr, delimiter) -%}
    array_join({{ array_expr }}, '{{ delimiter }}')
{%- endmacro %}
