-- One row per AWS Organizations policy (service control policies and others),
-- as synced from the management account.
with source as (

    {{ soc2.cloudquery_source('aws_organizations_policies',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id as management_account_id,
        arn as organization_policy_arn,
        id as organization_policy_id,
        name as organization_policy_name,
        type as organization_policy_type,
        aws_managed as is_aws_managed,
        {{ soc2.json_to_text('content') }} as policy_document_text,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
