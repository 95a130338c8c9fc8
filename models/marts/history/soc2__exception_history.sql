{{ config(**soc2.history_table_config()) }}
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
        {{ soc2.history_recorded_at() }} as recorded_at,
        {{ soc2.evaluation_date() }} as evaluation_date
    from exceptions

)

select * from final
