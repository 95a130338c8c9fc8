{#- The region an exception covers, or null (every region) when the user's
    register has no region column: the column is optional, so registers
    written before it existed keep working. Read while compiling, once the
    register seed has been loaded. -#}
{% macro exception_region_column(relation_name='exceptions') -%}
    {%- set found = namespace(region=false) -%}
    {%- if execute -%}
        {%- set relation = load_relation(ref('soc2__risk_exceptions')) -%}
        {%- if relation is not none -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- if column.name | lower == 'region' -%}
                    {%- set found.region = true -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {%- if found.region -%}
        {{ relation_name }}.region
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
