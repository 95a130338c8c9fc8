-- One row per entity of CloudQuery's aws_inspector2_findings, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_inspector2_findings',
        natural_key=['request_account_id', 'request_region', 'arn']) }}

),

renamed as (

    select
        request_account_id as account_id,
        request_region as region,
        request_account_id,
        request_region,
        arn,
        aws_account_id,
        severity,
        status,
        type,
        title,
        first_observed_at,
        last_observed_at,
        fix_available,
        resources,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
