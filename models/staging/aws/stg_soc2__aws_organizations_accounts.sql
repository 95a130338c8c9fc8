-- One row per member account of the AWS organisation.
with source as (

    {{ soc2.cloudquery_source('aws_organizations_accounts',
        natural_key=['request_account_id', 'arn']) }}

),

renamed as (

    select
        request_account_id as management_account_id,
        id as account_id,
        arn as organization_account_arn,
        name as account_name,
        email as account_email,
        status as account_status,
        joined_timestamp as joined_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
