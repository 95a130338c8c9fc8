{#- CloudQuery's append write mode keeps every sync's rows; its default
    (overwrite-delete-stale) keeps only the latest. Staging reads both alike by
    ranking the rows of each natural key by `_cq_sync_time`, latest first, and
    keeping rank 1. rank(), not row_number(): rows that share a natural key
    within the same sync (which CloudQuery never writes) all stay, so that the
    staging model's key test reports them instead of one being dropped at
    random. A row without a sync time ranks after every row that has one. -#}
{% macro latest_sync_rank(key_columns, sync_time_expr) -%}
    rank() over (
                {%- if key_columns %}
                partition by {{ key_columns | join(', ') }}
                {%- endif %}
                order by
                    case when {{ sync_time_expr }} is null then 1 else 0 end,
                    {{ sync_time_expr }} desc
            )
{%- endmacro %}
