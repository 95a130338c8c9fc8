{#- Raw-table access for the staging layer.

    Every CloudQuery table is optional. `cloudquery_relation()` returns the
    relation when the table exists and is not listed in the var
    `soc2_disabled_source_tables`, else none. `cloudquery_source()` returns a
    select of every column the source YAML declares for the table, cast to the
    package's types, with null for a column the sync did not write (schema
    drift) and no rows at all when the table is absent. -#}

{% macro cloudquery_relation(table_name, source_name='cloudquery_aws') -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if table_name in var('soc2_disabled_source_tables', []) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set declared = source(source_name, table_name) -%}
    {%- set relation = adapter.get_relation(
        database=declared.database,
        schema=declared.schema,
        identifier=declared.identifier) -%}
    {{ return(relation) }}
{%- endmacro %}


{% macro cloudquery_declared_columns(table_name, source_name='cloudquery_aws') -%}
    {%- set node = graph.sources.get('source.soc2.' ~ source_name ~ '.' ~ table_name) if execute else none -%}
    {%- if node is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append({'name': column.name, 'data_type': column.data_type}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro cloudquery_source(table_name, source_name='cloudquery_aws') -%}
    {%- set relation = soc2.cloudquery_relation(table_name, source_name) -%}
    {%- set declared = soc2.cloudquery_declared_columns(table_name, source_name) -%}
    {%- set present = [] -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    select
    {%- for column in declared %}
        {% if column.name in present -%}
            {{ soc2.cast_raw_column(adapter.quote(column.name), column.data_type) }}
        {%- else -%}
            cast(null as {{ soc2.sql_type(column.data_type) }})
        {%- endif %} as {{ adapter.quote(column.name) }},
    {%- endfor %}
        '{{ soc2.relation_label(relation, table_name) }}' as source_relation
    {%- if relation is not none %}
    from {{ relation }}
    {%- else %}
    {#- no FROM: one row, filtered away, so the columns keep their types #}
    where 1 = 0
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


{#- One row per declared raw table: is it there, and if not, why. -#}
{% macro cloudquery_source_status(source_name='cloudquery_aws') -%}
    {%- set table_names = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() | sort(attribute='name') -%}
            {%- if node.package_name == 'soc2' and node.source_name == source_name -%}
                {%- do table_names.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for table_name in table_names -%}
        {%- set relation = soc2.cloudquery_relation(table_name, source_name) -%}
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
