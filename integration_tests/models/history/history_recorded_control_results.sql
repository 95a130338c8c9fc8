-- The seeded daily control results of the last run of each evaluation date:
-- what the history must hold after the whole series, in the full day-by-day
-- build (a re-run date keeps its last run's results).
{{ config(materialized='view', enabled=var('soc2_it_scenario', 'full') == 'history') }}

with seeded as (

    select * from {{ ref('history_control_results') }}

),

runs as (

    select distinct
        run_number,
        cast(evaluated_at as date) as evaluation_date
    from seeded

),

last_runs as (

    select
        evaluation_date,
        max(run_number) as run_number
    from runs
    group by evaluation_date

),

final as (

    select
        last_runs.evaluation_date,
        seeded.control_id,
        seeded.account_id,
        seeded.region,
        seeded.resource_type,
        seeded.resource_id,
        seeded.status,
        seeded.reason
    from seeded
    inner join last_runs
        on seeded.run_number = last_runs.run_number

)

select * from final
