-- One row per credential-report line (users and the root account).
with source as (

    {{ soc2.cloudquery_source('aws_iam_credential_reports',
        natural_key=['arn', 'user_creation_time']) }}

),

renamed as (

    select
        {{ dbt.split_part('arn', "':'", 5) }} as account_id,
        arn as user_arn,
        {{ adapter.quote('user') }} as user_name,
        {{ adapter.quote('user') }} = '<root_account>' as is_root,
        lower(password_enabled) = 'true' as is_password_enabled,
        password_status,
        coalesce(mfa_active, false) as is_mfa_active,
        coalesce(access_key1_active, false) as is_access_key_1_active,
        coalesce(access_key2_active, false) as is_access_key_2_active,
        user_creation_time as user_created_at,
        password_last_used as password_last_used_at,
        password_last_changed as password_last_changed_at,
        access_key_1_last_rotated as access_key_1_last_rotated_at,
        access_key_2_last_rotated as access_key_2_last_rotated_at,
        access_key_1_last_used_date as access_key_1_last_used_at,
        access_key_2_last_used_date as access_key_2_last_used_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
