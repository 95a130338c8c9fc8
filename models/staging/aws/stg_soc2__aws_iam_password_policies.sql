-- One row per account: its password policy (policy_exists false when none is set).
with source as (

    {{ soc2.cloudquery_source('aws_iam_password_policies',
        natural_key=['account_id']) }}

),

renamed as (

    select
        account_id,
        coalesce(policy_exists, false) as is_policy_set,
        minimum_password_length,
        password_reuse_prevention,
        max_password_age as max_password_age_days,
        require_lowercase_characters as requires_lowercase,
        require_uppercase_characters as requires_uppercase,
        require_numbers as requires_numbers,
        require_symbols as requires_symbols,
        expire_passwords as is_expiry_enabled,
        hard_expiry as is_hard_expiry,
        allow_users_to_change_password as allows_users_to_change_password,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
