-- One row per account and AWS region, enabled or not.
with source as (

    {{ soc2.cloudquery_source('aws_regions',
        natural_key=['account_id', 'region']) }}

),

renamed as (

    select
        account_id,
        region,
        coalesce(enabled, opt_in_status in ('opt-in-not-required', 'opted-in')) as is_enabled,
        opt_in_status,
        region_name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
