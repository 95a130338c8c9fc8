-- One row per managed policy and account (AWS-managed policies repeat per account).
with source as (

    {{ soc2.cloudquery_source('aws_iam_policies',
        natural_key=['account_id', 'id']) }}

),

renamed as (

    select
        account_id,
        arn as policy_arn,
        policy_id,
        policy_name,
        path as policy_path,
        description as policy_description,
        default_version_id,
        arn like 'arn:aws:iam::aws:policy/%' as is_aws_managed,
        is_attachable,
        attachment_count,
        permissions_boundary_usage_count,
        policy_version_list,
        tags,
        create_date as created_at,
        update_date as updated_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
