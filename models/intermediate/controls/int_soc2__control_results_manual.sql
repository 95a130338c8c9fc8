-- Organisational controls that no inventory can test, tracked as
-- attestations: pass while the latest attestation made on or before the
-- evaluation date is current, fail once it has expired, manual while none is
-- recorded.
with catalog as (

    select * from {{ ref('soc2__control_catalog') }}
    where control_type = 'manual'

),

latest_attestations as (

    {{ soc2.attestations_as_of() }}

),

attested as (

    select
        catalog.control_id,
        catalog.control_title,
        catalog.trust_category,
        catalog.criteria,
        catalog.severity,
        catalog.cloud,
        latest_attestations.attested_by,
        latest_attestations.attested_on,
        latest_attestations.expires_on,
        latest_attestations.evidence_url,
        latest_attestations.control_id is not null as has_attestation,
        cast(latest_attestations.expires_on as date) >= {{ soc2.evaluation_date() }} as is_current
    from catalog
    left join latest_attestations
        on
            catalog.control_id = latest_attestations.control_id
            and latest_attestations.attestation_rank = 1

),

final as (

    select
        control_id,
        control_title,
        trust_category,
        criteria,
        severity,
        cloud,
        cast(null as {{ dbt.type_string() }}) as account_id,
        'global' as region,
        'attestation' as resource_type,
        control_id as resource_id,
        case
            when not has_attestation then 'manual'
            when is_current then 'pass'
            else 'fail'
        end as status,
        case
            when not has_attestation
                then 'no attestation recorded; add one to the soc2__manual_attestations seed'
            when is_current
                then
                    'attested by ' || attested_by || ' on '
                    || {{ soc2.date_text('attested_on') }} || ', valid until '
                    || {{ soc2.date_text('expires_on') }}
            else
                'attestation by ' || attested_by || ' expired on '
                || {{ soc2.date_text('expires_on') }} || '; renew it'
        end as reason,
        coalesce(evidence_url, 'none') as evidence,
        'soc2__manual_attestations' as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from attested

)

select * from final
