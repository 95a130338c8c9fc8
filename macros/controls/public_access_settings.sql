{#- The S3 Block Public Access settings that are off (or unset) in a row with
    the four boolean columns, as a comma-separated list; '' when all are on. -#}
{% macro public_access_settings_off(relation_alias) -%}
    concat_ws(', '
    {%- for column, setting in [
        ('block_public_acls', 'BlockPublicAcls'),
        ('ignore_public_acls', 'IgnorePublicAcls'),
        ('block_public_policy', 'BlockPublicPolicy'),
        ('restrict_public_buckets', 'RestrictPublicBuckets'),
    ] %},
        case when not coalesce({{ relation_alias }}.{{ column }}, false) then '{{ setting }}' end
    {%- endfor %}
    )
{%- endmacro %}
