-- Metabase question (c): the ten worst failing controls, by severity and then
-- by how many resources fail, each with its failing resources and why.
with control_summary as (

    select * from {{ ref('soc2__control_summary') }}
    where overall_status = 'fail'

),

control_results as (

    select * from {{ ref('soc2__control_results') }}
    where status = 'fail'

),

ranked_controls as (

    select
        control_id,
        control_title,
        trust_category,
        severity,
        fail_count,
        row_number() over (
            order by {{ soc2.severity_rank('severity') }} desc, fail_count desc, control_id
        ) as control_rank
    from control_summary

),

worst_controls as (

    select * from ranked_controls
    where control_rank <= 10

),

final as (

    select
        worst_controls.control_rank,
        worst_controls.control_id,
        worst_controls.control_title,
        worst_controls.trust_category,
        worst_controls.severity,
        worst_controls.fail_count,
        control_results.account_id,
        control_results.region,
        control_results.resource_type,
        control_results.resource_id,
        control_results.reason
    from worst_controls
    inner join control_results
        on worst_controls.control_id = control_results.control_id

)

select * from final
order by control_rank, account_id nulls last, region, resource_id
