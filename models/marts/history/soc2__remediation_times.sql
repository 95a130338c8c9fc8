-- Per control: its failure episodes, the mean and 90th-percentile
-- (nearest-rank) days to remediate the closed ones, and what is open now and
-- for how long.
with episodes as (

    select * from {{ ref('soc2__control_failure_episodes') }}

),

statistics as (

    {{ soc2.remediation_statistics('episodes', ['control_id']) }}

),

catalog as (

    select * from {{ ref('soc2__control_catalog') }}

),

final as (

    select
        statistics.control_id,
        catalog.control_title,
        catalog.trust_category,
        catalog.severity,
        statistics.episode_count,
        statistics.closed_episode_count,
        statistics.reopened_episode_count,
        statistics.mean_days_to_remediate,
        statistics.p90_days_to_remediate,
        statistics.max_days_to_remediate,
        statistics.open_episode_count,
        statistics.oldest_open_days,
        statistics.open_since
    from statistics
    left join catalog
        on statistics.control_id = catalog.control_id

)

select * from final
