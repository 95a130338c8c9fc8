-- One row per inline policy of a group.
with source as (

    {{ soc2.cloudquery_source('aws_iam_group_policies',
        natural_key=['account_id', 'group_arn', 'policy_name']) }}

),

renamed as (

    select
        account_id,
        group_arn,
        group_name,
        policy_name,
        {{ soc2.json_to_text('policy_document') }} as policy_document_text,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
