{#- Whether a JSON column holds something: SQL NULL, JSON null, {} and []
    all mean absent (CloudQuery writes any of them for "not configured"). -#}
{% macro json_is_present(json_expr) -%}
    coalesce(
        replace({{ soc2.json_to_text(json_expr) }}, ' ', '') not in ('', 'null', '{}', '[]'),
        false
    )
{%- endmacro %}

{#- Whether a JSON column is set at all: only SQL NULL and JSON null mean
    unset. For SDK structs without fields (S3's EventBridgeConfiguration),
    whose presence is the setting and which serialise as {}. -#}
{% macro json_is_set(json_expr) -%}
    coalesce(
        replace({{ soc2.json_to_text(json_expr) }}, ' ', '') not in ('', 'null'),
        false
    )
{%- endmacro %}
