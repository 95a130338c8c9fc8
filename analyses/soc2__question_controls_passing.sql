-- Metabase question (a): controls passing per trust category and per account.
-- A control's status in one account follows the package's one rule
-- (soc2.control_overall_status, as in soc2__control_summary) over that
-- account's results. account_id is null for the results that belong to no
-- account: manual controls and threshold checks.
with control_results as (

    select * from {{ ref('soc2__control_results') }}

),

per_account_counts as (

    select
        trust_category,
        account_id,
        control_id,
        sum(case when status = 'pass' then 1 else 0 end) as pass_count,
        sum(case when status = 'fail' then 1 else 0 end) as fail_count,
        sum(case when status = 'not_evaluated' then 1 else 0 end) as not_evaluated_count,
        sum(case when status = 'manual' then 1 else 0 end) as manual_count,
        sum(case when status = 'excepted' then 1 else 0 end) as excepted_count
    from control_results
    group by trust_category, account_id, control_id

),

per_account_status as (

    select
        trust_category,
        account_id,
        control_id,
        {{ soc2.control_overall_status(
            'fail_count', 'not_evaluated_count', 'manual_count', 'excepted_count', 'pass_count') }}
        as account_status
    from per_account_counts

),

counted as (

    select
        trust_category,
        account_id,
        count(*) as controls,
        sum(case when account_status = 'pass' then 1 else 0 end) as controls_passing,
        sum(case when account_status = 'fail' then 1 else 0 end) as controls_failing,
        sum(case when account_status = 'not_evaluated' then 1 else 0 end) as controls_not_evaluated,
        sum(
            case when account_status in ('manual', 'excepted', 'not_applicable') then 1 else 0 end
        ) as controls_other
    from per_account_status
    group by trust_category, account_id

),

final as (

    select
        trust_category,
        account_id,
        controls,
        controls_passing,
        controls_failing,
        controls_not_evaluated,
        controls_other,
        case
            when controls_passing + controls_failing > 0
                then
                    cast(controls_passing as {{ soc2.sql_type('double') }})
                    / (controls_passing + controls_failing)
        end as control_pass_rate
    from counted

)

select * from final
order by trust_category, account_id nulls last
