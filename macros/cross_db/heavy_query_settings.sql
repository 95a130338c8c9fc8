{#- Planner settings for the build of one heavy model, as a pre-hook.
    PostgreSQL cannot estimate rows through the package's CTEs (keys made by
    window functions, grouped or materialised CTEs carry no statistics): it
    then plans merge joins that sort millions of rows, in the 4 MB of
    work_mem it has by default, spilling to disk; and the same inflated
    cost estimates make it JIT-compile the query with full optimisation,
    seconds of compiling for a query that runs once. An anti-join estimated
    at one row (the principals that are not admins, on one large account)
    turns the joins above it into nested loops over hundreds of thousands of
    rows: minutes instead of seconds, and the tables have no index a nested
    loop could use. The same one-row estimates make it group a million rows
    by sorting them (comparing text in the database's collation) where a
    hash aggregate is faster. For the model's own transaction only (`set
    local`), hash joins and aggregates get the var soc2_postgres_work_mem;
    merge joins, nested loops and explicit sorts are off (the planner still
    uses one where nothing else can do: a join on an inequality, a window's
    order) and so is JIT. A no-op elsewhere (DECISIONS 74, 901). -#}
{% macro heavy_query_settings() -%}
    {{ return(adapter.dispatch('heavy_query_settings', 'soc2')()) }}
{%- endmacro %}

{% macro default__heavy_query_settings() -%}
{%- endmacro %}

{% macro postgres__heavy_query_settings() -%}
    set local work_mem = '{{ var("soc2_postgres_work_mem", "256MB") }}';
    set local enable_mergejoin = off;
    set local enable_nestloop = off;
    set local jit = off;
    set local enable_sort = off
{%- endmacro %}
