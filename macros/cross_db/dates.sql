{#- The instant the controls are evaluated at: var soc2_as_of, or now. -#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('soc2_as_of', none) -%}
    {%- if as_of -%}
        cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{#- Whole days from a timestamp to the evaluation instant. -#}
{% macro days_before_as_of(timestamp_expr) -%}
    {{ dbt.datediff(timestamp_expr, soc2.as_of_timestamp(), 'day') }}
{%- endmacro %}

{#- A date or timestamp as 'YYYY-MM-DD' text, for reasons and evidence. -#}
{% macro date_text(timestamp_expr) -%}
    {{ return(adapter.dispatch('date_text', 'soc2')(timestamp_expr)) }}
{%- endmacro %}

{% macro default__date_text(timestamp_expr) -%}
    cast(cast({{ timestamp_expr }} as date) as {{ dbt.type_string() }})
{%- endmacro %}

{#- A timestamp written as text in JSON ('2019-12-18 19:10:08+00:00' or
    '2019-12-18T19:10:08Z'), read as a UTC timestamp to the second. -#}
{% macro text_to_timestamp(text_expr) -%}
    cast(replace(substring({{ text_expr }}, 1, 19), 'T', ' ') as {{ dbt.type_timestamp() }})
{%- endmacro %}
