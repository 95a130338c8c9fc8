{#- Turn an IAM wildcard pattern (`*` any run, `?` one character) into a LIKE
    pattern whose escape character is `!`, escaping the LIKE metacharacters
    `%` and `_` (legal in ARNs) and `!` itself. `!` rather than a backslash
    because backslashes in string literals differ between engines. -#}
{% macro wildcard_to_like(pattern_expr) -%}
    replace(replace(replace(replace(replace(
        {{ pattern_expr }}, '!', '!!'), '%', '!%'), '_', '!_'), '*', '%'), '?', '_')
{%- endmacro %}

{#- value LIKE pattern (built by wildcard_to_like). Case-sensitive, as ARNs
    are; lower() both sides for actions. -#}
{% macro wildcard_match(value_expr, pattern_expr) -%}
    ({{ value_expr }} like {{ soc2.wildcard_to_like(pattern_expr) }} escape '!')
{%- endmacro %}

{#- value LIKE a pattern already built by wildcard_to_like (for example the
    like_pattern column of int_soc2__aws_policy_statement_elements). -#}
{% macro like_match(value_expr, like_pattern_expr) -%}
    ({{ value_expr }} like {{ like_pattern_expr }} escape '!')
{%- endmacro %}
