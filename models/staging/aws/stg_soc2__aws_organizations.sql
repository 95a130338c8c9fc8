-- One row per synced account that belongs to an organisation.
with source as (

    {{ soc2.cloudquery_source('aws_organizations',
        natural_key=['request_account_id', 'arn']) }}

),

renamed as (

    select
        request_account_id as account_id,
        arn as organization_arn,
        id as organization_id,
        master_account_id as management_account_id,
        feature_set,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
