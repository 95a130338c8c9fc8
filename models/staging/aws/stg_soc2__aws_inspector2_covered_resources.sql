-- One row per entity of CloudQuery's aws_inspector2_covered_resources, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_inspector2_covered_resources',
        natural_key=['request_account_id', 'request_region', 'account_id', 'resource_id']) }}

),

renamed as (

    select
        request_region as region,
        request_account_id,
        request_region,
        account_id,
        resource_id,
        resource_type,
        scan_type,
        scan_status,
        last_scanned_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
