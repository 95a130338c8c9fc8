-- History scenario: with soc2_history_retention_days = 7 and the last date
-- (2026-07-11) re-run, the three history tables keep exactly the evaluation
-- dates from 2026-07-04 on (2026-07-04, -05, -07, -08, -09, -10, -11) and
-- nothing older. Returns a row per table whose dates differ.
{{ config(enabled=var('soc2_it_scenario', 'full') == 'history') }}
{%- set tables = ['soc2__control_history', 'soc2__exception_history', 'soc2__attestation_history'] %}
with kept as (
    {%- for table in tables %}
    select
        '{{ table }}' as table_name,
        count(distinct evaluation_date) as date_count,
        min(evaluation_date) as first_date,
        max(evaluation_date) as last_date
    from {{ ref(table) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select *
from kept
where
    date_count != 7
    or first_date != cast('2026-07-04' as date)
    or last_date != cast('2026-07-11' as date)
