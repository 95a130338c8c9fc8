{#- The distinct non-null values of an expression, sorted and joined with a
    delimiter: deterministic on every engine, for evidence columns. Null when
    there is no non-null value (as string_agg gives), never ''. -#}
{% macro string_agg_distinct(expression, delimiter=', ') -%}
    {{ return(adapter.dispatch('string_agg_distinct', 'soc2')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__string_agg_distinct(expression, delimiter) -%}
    string_agg(distinct {{ expression }}, '{{ delimiter }}' order by {{ expression }})
{%- endmacro %}

{# Spark: no string_agg with DISTINCT and ORDER BY; collect_set then sort.
   array_join of an empty set is '', so an empty set is made null. #}
{% macro spark__string_agg_distinct(expression, delimiter) -%}
    case
        when size(collect_set({{ expression }})) > 0
            then array_join(array_sort(collect_set({{ expression }})), '{{ delimiter }}')
    end
{%- endmacro %}
