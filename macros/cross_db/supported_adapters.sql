{#- The engines the package runs on. An adapter is supported when dbt's
    dispatch finds one of these implementations for it: the adapter itself or
    one it is built on (dbt-databricks dispatches to spark__ macros). -#}
{% macro supported_adapters() -%}
    {{ return(['duckdb', 'postgres', 'spark']) }}
{%- endmacro %}

{% macro supported_engine() -%}
    {{ return(adapter.dispatch('supported_engine', 'soc2')()) }}
{%- endmacro %}

{% macro default__supported_engine() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__supported_engine() -%}
    {{ return('duckdb') }}
{%- endmacro %}

{% macro postgres__supported_engine() -%}
    {{ return('postgres') }}
{%- endmacro %}

{% macro spark__supported_engine() -%}
    {{ return('spark') }}
{%- endmacro %}


{#- The one message for an adapter the package does not support. `needed`
    names the dialect macro that has no portable implementation. -#}
{% macro unsupported_adapter_message(adapter_type, needed=none) -%}
    {%- set message = "The soc2 package does not support the '" ~ adapter_type
        ~ "' adapter. Supported adapters: " ~ soc2.supported_adapters() | join(', ')
        ~ " (and adapters built on them, such as databricks on spark)." -%}
    {%- if needed -%}
        {%- set message = message ~ " soc2." ~ needed ~ " has no portable SQL." -%}
    {%- endif -%}
    {{ return(message) }}
{%- endmacro %}


{#- Stops with that message unless the adapter is supported. Called while dbt
    parses, by every staging model (soc2.cloudquery_source), so that
    `dbt parse` fails at once on, say, Snowflake. `adapter_type` stands in for
    the target's adapter (tests: `dbt run-operation
    soc2.assert_supported_adapter --args '{adapter_type: snowflake}'`). -#}
{% macro assert_supported_adapter(adapter_type=none) -%}
    {%- if adapter_type is none and soc2.supported_engine() is not none -%}
        {{ return('') }}
    {%- endif -%}
    {%- if adapter_type is not none and adapter_type in soc2.supported_adapters() -%}
        {{ return('') }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(soc2.unsupported_adapter_message(adapter_type or adapter.type())) }}
{%- endmacro %}


{#- The default__ of a dialect macro that has no portable SQL. -#}
{% macro raise_unsupported_adapter(needed) -%}
    {{ exceptions.raise_compiler_error(soc2.unsupported_adapter_message(adapter.type(), needed)) }}
{%- endmacro %}
