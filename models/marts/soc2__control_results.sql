-- Every control result, automated and manual, in the control-result contract:
-- one row per control, account, region and resource.
with automated as (

    select * from {{ ref('int_soc2__control_results_automated') }}

),

manual as (

    select * from {{ ref('int_soc2__control_results_manual') }}

),

unioned as (

    select * from automated
    union all
    select * from manual

),

final as (

    select
        control_id
        || '|' || coalesce(account_id, '-')
        || '|' || region
        || '|' || resource_id as result_id,
        control_id,
        control_title,
        trust_category,
        criteria,
        severity,
        cloud,
        account_id,
        region,
        resource_type,
        resource_id,
        status,
        reason,
        evidence,
        source_relation,
        synced_at,
        {{ soc2.as_of_timestamp() }} as evaluated_at
    from unioned

)

select * from final
