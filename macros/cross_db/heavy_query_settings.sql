{#- Planner settings for the build of one heavy model, as a pre-hook.
    PostgreSQL cannot estimate rows through the package's CTEs (keys made by
    window functions, grouped or materialised CTEs carry no statistics): it
    then plans merge joins that sort millions of rows, in the 4 MB of
    work_mem it has by default, spilling to disk; and the same inflated
    cost estimates make it JIT-compile the query with full optimisation,
    seconds of compiling for a query that runs once. For the model's own
    transaction only (`set local`), hash joins and aggregates get the var
    soc2_postgres_work_mem, merge joins are off and so is JIT. A no-op
    elsewhere. -#}
{% macro heavy_query_settings() -%}
    {{ return(adapter.dispatch('heavy_query_settings', 'soc2')()) }}
{%- endmacro %}

{% macro default__heavy_query_settings() -%}
{%- endmacro %}

{% macro postgres__heavy_query_settings() -%}
    set local work_mem = '{{ var("soc2_postgres_work_mem", "256MB") }}';
    set local enable_mergejoin = off;
    set local jit = off
{%- endmacro %}
