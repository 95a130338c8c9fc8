{#- Seed loading for dbt-spark.

    dbt-spark 1.11's session cursor substitutes seed values into the INSERT
    with Python's `%` formatting and wraps each in quotes without escaping,
    so a value holding a quote (o'brien) breaks the statement and an empty
    cell arrives as the text 'None'. This implementation writes each value as
    an escaped SQL literal instead. dbt only uses it when the project's
    `dispatch` config lists this package for the `dbt` namespace:

        dispatch:
          - macro_namespace: dbt
            search_order: ['<your_project>', 'soc2', 'dbt']
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set data_type = column_override.get(col_name, inferred_type) -%}
                    cast({{ soc2.spark_seed_literal(row[loop.index0]) }} as {{ data_type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
                ){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- One seed value as a Spark SQL literal. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true -%}
        true
    {%- elif value is sameas false -%}
        false
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ (value | string).replace('\\', '\\\\').replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
