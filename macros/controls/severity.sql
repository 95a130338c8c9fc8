{#- Severity as a number, so that "at or above" comparisons are plain SQL. -#}
{% macro severity_rank(severity_expr) -%}
    case lower({{ severity_expr }})
        when 'critical' then 5
        when 'high' then 4
        when 'medium' then 3
        when 'low' then 2
        when 'info' then 1
        else 0
    end
{%- endmacro %}
