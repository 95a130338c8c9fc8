{#- A control's overall status from the counts of its result rows by status
    (SQL expressions): any failing resource fails it; then not_evaluated,
    manual, excepted, pass; not_applicable when nothing applies. The one rule
    of soc2__control_summary and of the daily status in the history. -#}
{% macro control_overall_status(fail_count, not_evaluated_count, manual_count, excepted_count, pass_count) -%}
    case
        when {{ fail_count }} > 0 then 'fail'
        when {{ not_evaluated_count }} > 0 then 'not_evaluated'
        when {{ manual_count }} > 0 then 'manual'
        when {{ excepted_count }} > 0 then 'excepted'
        when {{ pass_count }} > 0 then 'pass'
        else 'not_applicable'
    end
{%- endmacro %}


{#- Operating effectiveness over a period (soc2__control_effectiveness,
    soc2__criteria_effectiveness), from day counts: not_evaluated when no day
    was decided; deviations when it failed on any day; incomplete when a day
    in scope has no evaluation or was recorded without a decision; else
    effective. -#}
{% macro operating_status(days_evaluated, days_failed, gap_days, days_recorded) -%}
    case
        when {{ days_evaluated }} = 0 then 'not_evaluated'
        when {{ days_failed }} > 0 then 'deviations'
        when {{ gap_days }} > 0 or {{ days_evaluated }} < {{ days_recorded }} then 'incomplete'
        else 'effective'
    end
{%- endmacro %}
