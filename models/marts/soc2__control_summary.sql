-- One row per control of the catalog: how many resources are in each status
-- and the control's overall status (fail if any resource fails; then
-- not_evaluated, manual, excepted, pass; not_applicable when nothing applies;
-- not_evaluated when the control produced no row at all).
with catalog as (

    select * from {{ ref('soc2__control_catalog') }}

),

control_results as (

    select * from {{ ref('soc2__control_results') }}

),

counts as (

    select
        control_id,
        count(*) as result_count,
        sum(case when status = 'pass' then 1 else 0 end) as pass_count,
        sum(case when status = 'fail' then 1 else 0 end) as fail_count,
        sum(case when status = 'not_applicable' then 1 else 0 end) as not_applicable_count,
        sum(case when status = 'not_evaluated' then 1 else 0 end) as not_evaluated_count,
        sum(case when status = 'manual' then 1 else 0 end) as manual_count,
        sum(case when status = 'excepted' then 1 else 0 end) as excepted_count,
        count(distinct account_id) as account_count
    from control_results
    group by control_id

),

final as (

    select
        catalog.control_id,
        catalog.control_title,
        catalog.trust_category,
        catalog.criteria,
        catalog.severity,
        catalog.control_type,
        coalesce(counts.result_count, 0) as result_count,
        coalesce(counts.pass_count, 0) as pass_count,
        coalesce(counts.fail_count, 0) as fail_count,
        coalesce(counts.not_applicable_count, 0) as not_applicable_count,
        coalesce(counts.not_evaluated_count, 0) as not_evaluated_count,
        coalesce(counts.manual_count, 0) as manual_count,
        coalesce(counts.excepted_count, 0) as excepted_count,
        coalesce(counts.account_count, 0) as account_count,
        case
            when counts.control_id is null then 'not_evaluated'
            else {{ soc2.control_overall_status(
                'counts.fail_count', 'counts.not_evaluated_count', 'counts.manual_count',
                'counts.excepted_count', 'counts.pass_count') }}
        end as overall_status,
        case
            when counts.pass_count + counts.fail_count > 0
                then
                    cast(counts.pass_count as {{ dbt.type_float() }})
                    / (counts.pass_count + counts.fail_count)
        end as pass_rate
    from catalog
    left join counts
        on catalog.control_id = counts.control_id

)

select * from final
