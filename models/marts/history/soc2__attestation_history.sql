{{ config(**soc2.history_table_config()) }}
-- The attestation register as it stood on each evaluation date: every
-- attestation made on or before that day, whether it was current that day,
-- and which one the control's result read (the latest made by then).
with ranked as (

    {{ soc2.attestations_as_of() }}

),

final as (

    select
        control_id,
        attested_by,
        cast(attested_on as date) as attested_on,
        cast(expires_on as date) as expires_on,
        evidence_url,
        notes,
        cast(expires_on as date) >= {{ soc2.evaluation_date() }} as is_current,
        attestation_rank = 1 as is_latest,
        {{ soc2.history_recorded_at() }} as recorded_at,
        {{ soc2.evaluation_date() }} as evaluation_date
    from ranked

)

select * from final
