-- Metabase question (e): the pass-rate trend per trust category, one row per
-- evaluation date recorded in the history, for a line chart of
-- control_pass_rate (or criteria_pass_rate) by evaluation_date.
with trust_category_daily as (

    select * from {{ ref('soc2__trust_category_daily') }}

),

final as (

    select
        evaluation_date,
        trust_category,
        controls_evaluated,
        controls_passing,
        control_pass_rate,
        criteria_evaluated,
        criteria_passing,
        criteria_pass_rate
    from trust_category_daily

)

select * from final
order by evaluation_date, trust_category
