-- Per severity: the failure episodes of every control of that severity, the
-- mean and 90th-percentile (nearest-rank) days to remediate the closed ones,
-- and what is open now and for how long.
with episodes as (

    select * from {{ ref('soc2__control_failure_episodes') }}

),

statistics as (

    {{ soc2.remediation_statistics('episodes', ['severity']) }}

),

final as (

    select
        severity,
        episode_count,
        closed_episode_count,
        reopened_episode_count,
        mean_days_to_remediate,
        p90_days_to_remediate,
        max_days_to_remediate,
        open_episode_count,
        oldest_open_days,
        open_since
    from statistics

)

select * from final
