-- The criterion rule (soc2.criterion_status and soc2.criterion_evidence_basis)
-- on every case of seeds/expected/criterion_status_cases.csv: a returned row
-- is a case whose status or basis differs from the expected one.
with cases as (

    select * from {{ ref('criterion_status_cases') }}

),

evaluated as (

    select
        case_name,
        expected_status,
        expected_basis,
        {{ soc2.criterion_status(
            'automation', 'automated_count', 'automated_failing', 'automated_not_evaluated',
            'attestation_count', 'attestation_current', 'attestation_expired') }} as actual_status,
        {{ soc2.criterion_evidence_basis('automated_count', 'attestation_count') }} as actual_basis
    from cases

)

select * from evaluated
where actual_status != expected_status or actual_basis != expected_basis
