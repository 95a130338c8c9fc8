-- One row per account: the IAM account summary (GetAccountSummary).
with source as (

    {{ soc2.cloudquery_source('aws_iam_accounts',
        natural_key=['account_id']) }}

),

renamed as (

    select
        account_id,
        users as user_count,
        groups as group_count,
        policies as policy_count,
        mfa_devices as mfa_device_count,
        mfa_devices_in_use as mfa_devices_in_use_count,
        account_mfa_enabled as is_root_mfa_enabled,
        account_access_keys_present as has_root_access_keys,
        account_signing_certificates_present as has_root_signing_certificates,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
