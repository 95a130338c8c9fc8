-- One row per Trusted Advisor check: its latest result.
with source as (

    {{ soc2.cloudquery_source('aws_support_trusted_advisor_check_summaries',
        natural_key=['account_id', 'region', 'language_code', 'check_id']) }}

),

renamed as (

    select
        account_id,
        region,
        language_code,
        check_id,
        lower(status) as check_status,
        has_flagged_resources,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
