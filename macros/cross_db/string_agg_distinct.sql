{#- The distinct non-null values of an expression, sorted and joined with a
    delimiter: deterministic on every engine, for evidence columns. -#}
{% macro string_agg_distinct(expression, delimiter=', ') -%}
    {{ return(adapter.dispatch('string_agg_distinct', 'soc2')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__string_agg_distinct(expression, delimiter) -%}
    string_agg(distinct {{ expression }}, '{{ delimiter }}' order by {{ expression }})
{%- endmacro %}

{# Spark: no string_agg with DISTINCT and ORDER BY; collect_set then sort. #}
{% macro spark__string_agg_distinct(expression, delimiter) -%}
    array_join(array_sort(collect_set({{ expression }})), '{{ delimiter }}')
{%- endmacro %}
