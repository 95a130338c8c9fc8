-- One row per GuardDuty finding.
with source as (

    {{ soc2.cloudquery_source('aws_guardduty_detector_findings',
        natural_key=['request_account_id', 'request_region', 'detector_arn', 'arn']) }}

),

renamed as (

    select
        request_account_id as account_id,
        request_region as region,
        detector_arn,
        arn as finding_arn,
        id as finding_id,
        account_id as finding_account_id,
        type as finding_type,
        title as finding_title,
        severity,
        created_at,
        updated_at,
        lower({{ soc2.json_text('service', ['Archived']) }}) = 'true' as is_archived,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
