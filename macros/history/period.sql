{#- The audit period of the effectiveness marts, from vars soc2_period_start
    and soc2_period_end (ISO dates). Unset start: the first evaluation date in
    the history; unset end: the evaluation date (soc2_as_of). Returns a SQL
    date literal, or the fallback expression given. -#}
{% macro period_bound(var_name, fallback) -%}
    {%- set value = var(var_name, none) -%}
    {%- if value is none or (value | string) == '' -%}
        {{ return(fallback) }}
    {%- endif -%}
    {%- set text = (value | string)[:10] -%}
    {%- set parsed = soc2.parse_iso_date(text, var_name) -%}
    {{ return("cast('" ~ parsed ~ "' as date)") }}
{%- endmacro %}


{% macro parse_iso_date(text, var_name) -%}
    {%- set datetime = modules.datetime -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("var " ~ var_name ~ " must be a date written YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}


{#- Fails the compilation when both bounds are set and the start is after the
    end. -#}
{% macro check_period() -%}
    {%- set start = var('soc2_period_start', none) -%}
    {%- set end = var('soc2_period_end', none) -%}
    {%- if start and end and (start | string)[:10] > (end | string)[:10] -%}
        {{ exceptions.raise_compiler_error("soc2_period_start (" ~ start ~ ") is after soc2_period_end (" ~ end ~ ")") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
