{#- Raw-table access for the staging layer.

    Every CloudQuery table is optional. `cloudquery_relation()` returns the
    relation when the table exists and is not listed in the var
    `soc2_disabled_source_tables`, else none. `cloudquery_source()` returns a
    select of every column the source YAML declares for the table, cast to the
    package's types, with null for a column the sync did not write (schema
    drift), only the rows of the latest sync of each natural key (CloudQuery's
    append write mode keeps every sync), and no rows at all when the table is
    absent. With var soc2_sync_cutoff_at_as_of (set by `soc2 backfill`), rows
    synced after the evaluation date are left out first, so that a past date
    is decided from the latest sync of that day.

    Lineage: `source()` is called while dbt parses too (not only under
    `execute`), so dbt records the raw table as the parent of the staging
    model that reads it: `dbt ls -s source:soc2.cloudquery_aws.<table>+` and
    the docs lineage follow a raw table to the marts. The model that lists
    every table's availability (`cloudquery_source_status`) deliberately does
    not call `source()`: it reads no rows, and depending on every raw table
    would select every control downstream of it. -#}

{% macro cloudquery_relation(table_name, source_name='cloudquery_aws') -%}
    {%- set declared = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(soc2.cloudquery_existing_relation(table_name, declared.database, declared.schema, declared.identifier)) }}
{%- endmacro %}


{#- The relation at database.schema.identifier when it exists and the table is
    not disabled by var, else none. Used with and without source(). -#}
{% macro cloudquery_existing_relation(table_name, database, schema, identifier) -%}
    {%- if not execute or table_name in var('soc2_disabled_source_tables', []) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=database, schema=schema, identifier=identifier)) }}
{%- endmacro %}


{#- The source node the package declares for a raw table (none while parsing). -#}
{% macro cloudquery_source_node(table_name, source_name='cloudquery_aws') -%}
    {{ return(graph.sources.get('source.soc2.' ~ source_name ~ '.' ~ table_name) if execute else none) }}
{%- endmacro %}


{% macro cloudquery_declared_columns(table_name, source_name='cloudquery_aws') -%}
    {%- set node = soc2.cloudquery_source_node(table_name, source_name) -%}
    {%- if node is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append({'name': column.name, 'data_type': column.data_type}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{#- `natural_key`: the raw columns CloudQuery computes `_cq_id` from (its
    primary-key components). Of the rows sharing a natural key, only those of
    the latest `_cq_sync_time` are kept (see soc2.latest_sync_rank). -#}
{% macro cloudquery_source(table_name, natural_key=none, source_name='cloudquery_aws') -%}
    {{- soc2.assert_supported_adapter() -}}
    {%- if not natural_key -%}
        {{ exceptions.raise_compiler_error(
            "soc2.cloudquery_source('" ~ table_name ~ "') needs natural_key=[...]: the raw "
            ~ "columns CloudQuery computes _cq_id from, so that only the latest sync of each "
            ~ "entity is kept (append write mode keeps every sync).") }}
    {%- endif -%}
    {%- set relation = soc2.cloudquery_relation(table_name, source_name) -%}
    {%- set declared = soc2.cloudquery_declared_columns(table_name, source_name) -%}
    {%- set present = [] -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set deduplicate = '_cq_sync_time' in present -%}
    {%- set key_columns = [] -%}
    {%- for column_name in natural_key if column_name in present -%}
        {%- do key_columns.append(adapter.quote(column_name)) -%}
    {%- endfor -%}
    select
    {%- for column in declared %}
        {% if column.name in present -%}
            {{ soc2.cast_raw_column(adapter.quote(column.name), column.data_type) }}
        {%- else -%}
            cast(null as {{ soc2.sql_type(column.data_type) }})
        {%- endif %} as {{ adapter.quote(column.name) }},
    {%- endfor %}
        '{{ soc2.relation_label(relation, table_name) }}' as source_relation
    {%- if relation is none %}
    {#- no FROM: one row, filtered away, so the columns keep their types #}
    where 1 = 0
    {%- elif deduplicate %}
    from (
        select
            raw_rows.*,
            {{ soc2.latest_sync_rank(key_columns, soc2.cast_raw_column(adapter.quote('_cq_sync_time'), 'timestamp')) }} as soc2_sync_rank
        from {{ soc2.rows_synced_by_as_of(relation, present) if var('soc2_sync_cutoff_at_as_of', false) else relation }} as raw_rows
    ) as ranked_rows
    where soc2_sync_rank = 1
    {%- else %}
    from {{ relation }}
    {%- endif %}
{%- endmacro %}


{#- Cast one raw column to its declared type. JSON that arrives as text
    (older plugin generations, Spark) is parsed without raising. -#}
{% macro cast_raw_column(column_expr, data_type) -%}
    {%- if data_type == 'json' -%}
        {{ soc2.try_parse_json('cast(' ~ column_expr ~ ' as ' ~ soc2.sql_type('text') ~ ')') }}
    {%- else -%}
        cast({{ column_expr }} as {{ soc2.sql_type(data_type) }})
    {%- endif -%}
{%- endmacro %}


{#- A stable, engine-neutral label for a raw table: schema.identifier. -#}
{% macro relation_label(relation, table_name) -%}
    {%- if relation is none -%}
        {{ return(table_name) }}
    {%- endif -%}
    {{ return(relation.schema ~ '.' ~ relation.identifier) }}
{%- endmacro %}


{#- One row per declared raw table: is it there, and if not, why. It reads
    the source nodes of the graph, not source(), so that the model has no
    lineage edge to every raw table (it reads none of their rows). -#}
{% macro cloudquery_source_status(source_name='cloudquery_aws') -%}
    {{- soc2.assert_supported_adapter() -}}
    {%- set nodes = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() | sort(attribute='name') -%}
            {%- if node.package_name == 'soc2' and node.source_name == source_name -%}
                {%- do nodes.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for node in nodes -%}
        {%- set table_name = node.name -%}
        {#- from the graph, not source(): see the note at the top of this file -#}
        {%- set relation = soc2.cloudquery_existing_relation(table_name, node.database, node.schema, node.identifier) -%}
        {%- if table_name in var('soc2_disabled_source_tables', []) -%}
            {%- set reason = 'disabled by the var soc2_disabled_source_tables' -%}
        {%- elif relation is none -%}
            {%- set reason = 'table ' ~ table_name ~ ' was not found (not synced)' -%}
        {%- else -%}
            {%- set reason = 'available' -%}
        {%- endif %}
    select
        cast('{{ table_name }}' as {{ dbt.type_string() }}) as table_name,
        cast('{{ soc2.relation_label(relation, table_name) }}' as {{ dbt.type_string() }}) as source_relation,
        {{ 'true' if relation is not none else 'false' }} as is_available,
        cast('{{ reason }}' as {{ dbt.type_string() }}) as availability_reason
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as source_relation,
        false as is_available,
        cast(null as {{ dbt.type_string() }}) as availability_reason
    where 1 = 0
    {%- endfor -%}
{%- endmacro %}


{#- `dbt source freshness` for a CloudQuery table: the latest `_cq_sync_time`.
    An absent or disabled table reports the moment of the check, so that it
    passes instead of failing the run: every table is optional, and an absent
    one is already reported by stg_soc2__aws_source_tables and the
    not_evaluated rows of the controls that need it. -#}
{% macro cloudquery_loaded_at_query(table_name, relation) -%}
    {%- set existing = soc2.cloudquery_existing_relation(
        table_name, relation.database, relation.schema, relation.identifier) -%}
    {%- if existing is none -%}
        {%- do log('soc2: ' ~ table_name ~ ' is absent or disabled; its freshness is not measured', info=true) -%}
        select {{ dbt.current_timestamp() }}
    {%- else -%}
        select max({{ adapter.quote('_cq_sync_time') }}) from {{ existing }}
    {%- endif -%}
{%- endmacro %}


{#- Backfill (var soc2_sync_cutoff_at_as_of): the inventory of the
    evaluation date in an append-mode table is the latest sync made by the end
    of that date, of each account when the table has account_id. Rows synced
    later are left out, and so are an account's older syncs, so that a
    resource deleted before that date is absent from it, as it was from that
    day's overwrite-mode table. A parenthesised subquery, used in FROM. -#}
{% macro rows_synced_by_as_of(relation, present_columns) -%}
    {%- set sync_time = soc2.cast_raw_column(adapter.quote('_cq_sync_time'), 'timestamp') -%}
    {%- set by_account = 'account_id' in present_columns -%}
    (
        select synced_rows.*
        from (
            select
                cutoff_rows.*,
                max({{ sync_time }}) over (
                    {%- if by_account %}
                    partition by {{ adapter.quote('account_id') }}
                    {%- endif %}
                ) as soc2_latest_sync_time
            from {{ relation }} as cutoff_rows
            where {{ sync_time }} < {{ soc2.sync_cutoff_timestamp() }}
        ) as synced_rows
        where {{ soc2.cast_raw_column(adapter.quote('_cq_sync_time'), 'timestamp') }} = synced_rows.soc2_latest_sync_time
    )
{%- endmacro %}


{#- The first instant after the evaluation date: rows synced before it
    belong to that date's inventory. -#}
{% macro sync_cutoff_timestamp() -%}
    cast({{ dbt.dateadd('day', 1, soc2.evaluation_date()) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
