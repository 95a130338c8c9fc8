{{- soc2.check_period() -}}
-- The audit period of the effectiveness marts, one row: vars
-- soc2_period_start and soc2_period_end, else the first evaluation date in
-- the history and the evaluation date; and the last day that can have been
-- evaluated (the period end, or the evaluation date when that is earlier).
with history_bounds as (

    select min(evaluation_date) as first_evaluation_date
    from {{ ref('soc2__control_daily_status') }}

),

period as (

    select
        {{ soc2.period_bound('soc2_period_start', 'first_evaluation_date') }} as period_start,
        {{ soc2.period_bound('soc2_period_end', soc2.evaluation_date()) }} as period_end
    from history_bounds

),

final as (

    select
        period_start,
        period_end,
        least(period_end, {{ soc2.evaluation_date() }}) as last_evaluable_date
    from period

)

select * from final
