-- One row per managed policy: its default version (newer plugin layout).
with source as (

    {{ soc2.cloudquery_source('aws_iam_policy_default_versions',
        natural_key=['account_id', 'policy_arn']) }}

),

renamed as (

    select
        account_id,
        policy_arn,
        version_id,
        coalesce(is_default_version, true) as is_default_version,
        coalesce({{ soc2.json_to_text('document_json') }}, document) as policy_document_text,
        create_date as created_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
