{{- soc2.check_period() -}}
-- The audit period of the effectiveness marts, one row: vars
-- soc2_period_start and soc2_period_end, else the first and the latest date
-- evaluated; and the last day that can have been evaluated: the later of the
-- evaluation date (soc2_as_of) and the latest date in the history, capped by
-- the period end. A build that re-runs an earlier date therefore still
-- counts the later dates already recorded.
with history_bounds as (

    select
        min(evaluation_date) as first_evaluation_date,
        greatest(max(evaluation_date), {{ soc2.evaluation_date() }}) as latest_evaluation_date
    from {{ ref('soc2__control_daily_status') }}

),

period as (

    select
        {{ soc2.period_bound('soc2_period_start', 'first_evaluation_date') }} as period_start,
        {{ soc2.period_bound('soc2_period_end', 'latest_evaluation_date') }} as period_end,
        latest_evaluation_date
    from history_bounds

),

final as (

    select
        period_start,
        period_end,
        least(period_end, latest_evaluation_date) as last_evaluable_date
    from period

)

select * from final
