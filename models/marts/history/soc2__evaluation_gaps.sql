-- The days of the audit period on which nothing was evaluated (no build
-- recorded any result), from the first evaluation date in the history or
-- the period start, whichever is later, to the last day that can have been
-- evaluated. Reported, never filled: an auditor needs to see the break.
{%- set max_days = 36600 %}
with evaluation_dates as (

    select distinct evaluation_date
    from {{ ref('soc2__control_daily_status') }}

),

period as (

    select * from {{ ref('soc2__audit_period') }}

),

scope as (

    select
        period.period_start,
        period.period_end,
        greatest(period.period_start, min(evaluation_dates.evaluation_date)) as scope_start,
        period.last_evaluable_date as scope_end
    from period
    cross join evaluation_dates
    group by period.period_start, period.period_end, period.last_evaluable_date

),

digits as (

    {%- for digit in range(10) %}
    select {{ digit }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

offsets as (

    select
        ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands
    where ten_thousands.digit < {{ (max_days // 10000) + 1 }}

),

calendar as (

    select
        scope.period_start,
        scope.period_end,
        {{ dbt.dateadd('day', 'offsets.day_offset', 'scope.scope_start') }} as calendar_date,
        scope.scope_end
    from scope
    cross join offsets
    where offsets.day_offset <= {{ soc2.days_between('scope.scope_start', 'scope.scope_end') }}

),

final as (

    select
        calendar.period_start,
        calendar.period_end,
        cast(calendar.calendar_date as date) as gap_date
    from calendar
    left join evaluation_dates
        on cast(calendar.calendar_date as date) = evaluation_dates.evaluation_date
    where evaluation_dates.evaluation_date is null

)

select * from final
