{#- Functions some engines need and do not ship. Run by the package's
    on-run-start hook; a no-op where nothing is needed. -#}
{% macro create_helper_functions() -%}
    {{ return(adapter.dispatch('create_helper_functions', 'soc2')()) }}
{%- endmacro %}

{% macro default__create_helper_functions() -%}
    select 1
{%- endmacro %}

{% macro helper_function_schema() -%}
    {{ return(target.schema) }}
{%- endmacro %}

{# PostgreSQL: a non-raising text -> jsonb cast, used for policy documents that
   arrive as text and may be malformed. #}
{% macro postgres__create_helper_functions() -%}
    create schema if not exists {{ soc2.helper_function_schema() }};
    create or replace function {{ soc2.helper_function_schema() }}.soc2_try_jsonb(value text)
    returns jsonb
    language plpgsql
    immutable
    as $soc2$
    begin
        return value::jsonb;
    exception when others then
        return null;
    end;
    $soc2$
{%- endmacro %}
