{#- Maps the package's type names (used as `data_type` in the source YAML and
    in the fixture casts) to the engine's own type. -#}
{% macro sql_type(type_name) -%}
    {{ return(adapter.dispatch('sql_type', 'soc2')(type_name)) }}
{%- endmacro %}

{% macro default__sql_type(type_name) -%}
    {%- set types = {
        'text': dbt.type_string(),
        'json': 'json',
        'uuid': 'uuid',
        'boolean': dbt.type_boolean(),
        'bigint': dbt.type_bigint(),
        'double': dbt.type_float(),
        'timestamp': dbt.type_timestamp(),
        'text_array': 'text[]',
        'binary': 'bytea',
    } -%}
    {{ return(types[type_name]) }}
{%- endmacro %}

{# DuckDB: JSON is its own logical type; lists are `varchar[]`. #}
{% macro duckdb__sql_type(type_name) -%}
    {%- set types = {
        'text': 'varchar', 'json': 'json', 'uuid': 'uuid', 'boolean': 'boolean',
        'bigint': 'bigint', 'double': 'double', 'timestamp': 'timestamp',
        'text_array': 'varchar[]', 'binary': 'blob',
    } -%}
    {{ return(types[type_name]) }}
{%- endmacro %}

{# PostgreSQL: CloudQuery's destination writes json as jsonb and timestamps
   without time zone (UTC values). #}
{% macro postgres__sql_type(type_name) -%}
    {%- set types = {
        'text': 'text', 'json': 'jsonb', 'uuid': 'uuid', 'boolean': 'boolean',
        'bigint': 'bigint', 'double': 'double precision',
        'timestamp': 'timestamp without time zone',
        'text_array': 'text[]', 'binary': 'bytea',
    } -%}
    {{ return(types[type_name]) }}
{%- endmacro %}

{# Spark: JSON is kept as a string and read with the JSON functions; there is
   no uuid type. #}
{% macro spark__sql_type(type_name) -%}
    {%- set types = {
        'text': 'string', 'json': 'string', 'uuid': 'string', 'boolean': 'boolean',
        'bigint': 'bigint', 'double': 'double', 'timestamp': 'timestamp',
        'text_array': 'array<string>', 'binary': 'binary',
    } -%}
    {{ return(types[type_name]) }}
{%- endmacro %}
