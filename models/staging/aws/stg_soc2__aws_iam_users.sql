-- One row per IAM user.
with source as (

    {{ soc2.cloudquery_source('aws_iam_users',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        arn as user_arn,
        user_id,
        user_name,
        path as user_path,
        {{ soc2.json_text('permissions_boundary', ['PermissionsBoundaryArn']) }}
            as permissions_boundary_arn,
        tags,
        create_date as created_at,
        password_last_used as password_last_used_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
