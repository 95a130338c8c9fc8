{{ config(
    materialized='incremental',
    incremental_strategy=soc2.history_incremental_strategy(),
    unique_key='evaluation_date',
    partition_by=soc2.history_partition_by(),
    file_format=soc2.history_file_format(),
    on_schema_change='append_new_columns',
    full_refresh=soc2.history_full_refresh(),
    pre_hook=["{{ soc2.history_pre_hook(this) }}"],
    post_hook=["{{ soc2.apply_history_retention(this) }}"],
) }}
-- The risk-exception register as it stood on each evaluation date: every
-- row of the register, and whether it was in force that day (approved on or
-- before it, not expired). "Which exceptions applied on day D" is answered
-- from what the register said on D, not from today's register.
with exceptions as (

    {{ soc2.risk_exception_register() }}

),

final as (

    select
        control_id,
        account_id,
        region,
        resource_pattern,
        justification,
        approved_by,
        approved_on,
        expires_on,
        {{ soc2.exception_in_force('exceptions', soc2.evaluation_date()) }} as is_in_force,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as recorded_at,
        {{ soc2.evaluation_date() }} as evaluation_date
    from exceptions

)

select * from final
