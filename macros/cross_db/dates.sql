{#- The instant the controls are evaluated at: var soc2_as_of, or the start
    of the dbt invocation (UTC), so that every model of a run agrees. -#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('soc2_as_of', none) -%}
    {%- if as_of -%}
        cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{#- The evaluation instant as whole seconds since 1970-01-01 UTC, an integer
    literal computed when the SQL is compiled: var soc2_as_of (a date, or a
    date and time; read as UTC unless it names an offset), else the start of
    the dbt invocation. Condition verdicts compare policy dates with it. -#}
{% macro as_of_epoch_seconds() -%}
    {%- set as_of = var('soc2_as_of', none) -%}
    {%- set datetime = modules.datetime -%}
    {%- if as_of -%}
        {%- set parsed = datetime.datetime.fromisoformat((as_of | string).replace('Z', '+00:00')) -%}
    {%- else -%}
        {%- set parsed = run_started_at -%}
    {%- endif -%}
    {%- if parsed.tzinfo is none -%}
        {%- set parsed = parsed.replace(tzinfo=modules.pytz.utc) -%}
    {%- endif -%}
    {{ return((parsed.timestamp() // 1) | int) }}
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


{#- Whole days from one date to another (SQL date expressions): end - start. -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'soc2')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    ({{ end_date }} - {{ start_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}
