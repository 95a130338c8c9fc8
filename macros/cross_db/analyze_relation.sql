{#- Refresh the planner's statistics of a table a model just built, as a
    post-hook. PostgreSQL does not analyze a new table until autovacuum gets
    to it, and joins planned on empty statistics (one estimated row) turn into
    nested loops. A no-op elsewhere. -#}
{% macro analyze_relation(relation) -%}
    {{ return(adapter.dispatch('analyze_relation', 'soc2')(relation)) }}
{%- endmacro %}

{% macro default__analyze_relation(relation) -%}
{%- endmacro %}

{% macro postgres__analyze_relation(relation) -%}
    analyze {{ relation }}
{%- endmacro %}
