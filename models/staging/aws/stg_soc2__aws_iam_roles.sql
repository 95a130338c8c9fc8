-- One row per IAM role, with its trust policy.
with source as (

    {{ soc2.cloudquery_source('aws_iam_roles',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        arn as role_arn,
        role_id,
        role_name,
        path as role_path,
        description as role_description,
        {{ soc2.json_text('permissions_boundary', ['PermissionsBoundaryArn']) }}
            as permissions_boundary_arn,
        {{ soc2.json_to_text('assume_role_policy_document') }} as trust_policy_text,
        tags,
        max_session_duration as max_session_duration_seconds,
        create_date as created_at,
        {{ soc2.json_text('role_last_used', ['LastUsedDate']) }} as role_last_used_text,
        {{ soc2.json_text('role_last_used', ['Region']) }} as role_last_used_region,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
