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
-- The attestation register as it stood on each evaluation date: every
-- attestation made on or before that day, whether it was current that day,
-- and which one the control's result read (the latest made by then).
with attestations as (

    select * from {{ ref('soc2__manual_attestations') }}
    where cast(attested_on as date) <= {{ soc2.evaluation_date() }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by control_id
            order by attested_on desc, expires_on desc
        ) as attestation_rank
    from attestations

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
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as recorded_at,
        {{ soc2.evaluation_date() }} as evaluation_date
    from ranked

)

select * from final
