-- One row per stored version of a managed policy.
with source as (

    {{ soc2.cloudquery_source('aws_iam_policy_versions',
        natural_key=['account_id', 'policy_arn', 'version_id']) }}

),

renamed as (

    select
        account_id,
        policy_arn,
        version_id,
        is_default_version,
        coalesce({{ soc2.json_to_text('document_json') }}, document) as policy_document_text,
        create_date as created_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
