-- One row per GuardDuty detector.
with source as (

    {{ soc2.cloudquery_source('aws_guardduty_detectors',
        natural_key=['request_account_id', 'request_region', 'arn', 'id']) }}

),

renamed as (

    select
        request_account_id as account_id,
        request_region as region,
        arn as detector_arn,
        id as detector_id,
        upper(status) as detector_status,
        features,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
