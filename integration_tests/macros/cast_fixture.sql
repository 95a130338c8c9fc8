{#- Build one raw CloudQuery table from its text fixture: every column the
    fixture has, cast to the type the package's source YAML declares (columns
    the fixture omits stay absent, as in an older plugin's sync). The
    history scenario's fixtures add a run_number column, left out, and a
    filter picks one run. -#}
{% macro cast_fixture(table_name, fixture_name=none, where=none) -%}
    {%- set fixture = ref(fixture_name or 'fixture_' ~ table_name) -%}
    {%- set declared = {} -%}
    {%- for column in soc2.cloudquery_declared_columns(table_name) -%}
        {%- do declared.update({column.name: column.data_type}) -%}
    {%- endfor -%}
    {%- set present = adapter.get_columns_in_relation(fixture) if execute else [] -%}
    {%- set present = present | rejectattr('name', 'in', ['run_number', 'RUN_NUMBER']) | list %}
    select
    {%- for column in present %}
        {%- set name = column.name | lower %}
        {%- if name not in declared and execute %}
            {{ exceptions.raise_compiler_error('fixture_' ~ table_name ~ ' has column ' ~ name ~ ', which ' ~ table_name ~ ' does not declare') }}
        {%- endif %}
        {{ fixture_cast(adapter.quote(name), declared.get(name, 'text')) }} as {{ adapter.quote(name) }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from {{ fixture }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
{%- endmacro %}

{% macro fixture_cast(column_expr, data_type) -%}
    {%- set as_text = 'cast(' ~ column_expr ~ ' as ' ~ soc2.sql_type('text') ~ ')' -%}
    {%- if data_type == 'text' -%}
        {{ as_text }}
    {%- elif data_type == 'text_array' -%}
        {{ adapter.dispatch('fixture_text_array', 'soc2_integration_tests')(as_text) }}
    {%- else -%}
        cast({{ as_text }} as {{ soc2.sql_type(data_type) }})
    {%- endif -%}
{%- endmacro %}


{#- A list column of a fixture is written as a JSON array of strings
    ('["a", "b"]'); each engine reads it into its own list type. -#}
{% macro default__fixture_text_array(text_expr) -%}
    cast(cast({{ text_expr }} as json) as varchar[])
{%- endmacro %}

{% macro postgres__fixture_text_array(text_expr) -%}
    case when {{ text_expr }} is not null then array(
        select jsonb_array_elements_text(cast({{ text_expr }} as jsonb))) end
{%- endmacro %}

{% macro spark__fixture_text_array(text_expr) -%}
    from_json({{ text_expr }}, 'array<string>')
{%- endmacro %}
