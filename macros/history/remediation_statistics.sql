{#- Mean and 90th-percentile days to remediate over the closed episodes of a
    group, and what is open now. The percentile is nearest-rank: the
    smallest duration whose rank r (1-based, ascending) satisfies
    r >= 0.9 * n, written 10 * r >= 9 * n so that every engine computes it in
    integers (DECISIONS 105). `episodes` is a relation or CTE name with
    days_open, is_open, opened_on and is_reopened; `group_columns` the
    grouping columns. -#}
{% macro remediation_statistics(episodes, group_columns) -%}
    {%- set partition = group_columns | join(', ') -%}
    select
        {{ partition }},
        count(*) as episode_count,
        sum(case when not is_open then 1 else 0 end) as closed_episode_count,
        sum(case when is_reopened then 1 else 0 end) as reopened_episode_count,
        avg(case when not is_open then cast(days_open as {{ soc2.sql_type('double') }}) end)
            as mean_days_to_remediate,
        min(case when not is_open and 10 * closed_rank >= 9 * closed_count then days_open end)
            as p90_days_to_remediate,
        max(case when not is_open then days_open end) as max_days_to_remediate,
        sum(case when is_open then 1 else 0 end) as open_episode_count,
        max(case when is_open then days_open end) as oldest_open_days,
        min(case when is_open then opened_on end) as open_since
    from (
        select
            {{ episodes }}.*,
            row_number() over (
                partition by {{ partition }}, is_open
                order by days_open
            ) as closed_rank,
            sum(case when is_open then 0 else 1 end) over (partition by {{ partition }}) as closed_count
        from {{ episodes }}
    ) as ranked
    group by {{ partition }}
{%- endmacro %}
