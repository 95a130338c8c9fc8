-- One row per Trusted Advisor check available to the account.
with source as (

    {{ soc2.cloudquery_source('aws_support_trusted_advisor_checks',
        natural_key=['account_id', 'region', 'language_code', 'id']) }}

),

renamed as (

    select
        account_id,
        region,
        language_code,
        id as check_id,
        name as check_name,
        category as check_category,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
