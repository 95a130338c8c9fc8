-- One row per IAM principal (user or role) of every account, whichever input
-- form it came from.
with users as (

    select * from {{ ref('int_soc2__aws_iam_users') }}

),

roles as (

    select * from {{ ref('int_soc2__aws_iam_roles') }}

),

final as (

    select
        account_id,
        user_arn as principal_arn,
        'user' as principal_type,
        user_name as principal_name,
        permissions_boundary_arn,
        false as is_service_linked,
        created_at,
        password_last_used_at as last_used_at,
        input_form,
        source_relation,
        synced_at
    from users
    union all
    select
        account_id,
        role_arn as principal_arn,
        'role' as principal_type,
        role_name as principal_name,
        permissions_boundary_arn,
        coalesce(role_path like '/aws-service-role/%', false) as is_service_linked,
        created_at,
        last_used_at,
        input_form,
        source_relation,
        synced_at
    from roles

)

select * from final
