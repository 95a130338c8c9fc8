{#- The n-th item (1-based) of a delimited text list, or null when the list
    has fewer items. `delimiter` is a single literal character. -#}
{% macro list_item(text_expr, delimiter, n) -%}
    {{ return(adapter.dispatch('list_item', 'soc2')(text_expr, delimiter, n)) }}
{%- endmacro %}

{% macro default__list_item(text_expr, delimiter, n) -%}
    nullif(split_part({{ text_expr }}, '{{ delimiter }}', {{ n }}), '')
{%- endmacro %}

{# Spark: split takes a regular expression (a bracketed literal character
   here); try_element_at gives null past the end instead of an error. #}
{% macro spark__list_item(text_expr, delimiter, n) -%}
    nullif(try_element_at(split({{ text_expr }}, '[{{ delimiter }}]'), {{ n }}), '')
{%- endmacro %}
