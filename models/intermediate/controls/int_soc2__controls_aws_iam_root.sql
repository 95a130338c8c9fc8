-- Controls on the root user of each account, from the <root_account> line of
-- the credential report: MFA, no active access keys, an MFA device that is
-- not virtual (aws_iam_virtual_mfa_devices; MFA read from the credential
-- report or else aws_iam_accounts) and no recent use.
{%- set root_unused_min_days = var('soc2_root_unused_min_days') %}
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

credential_reports as (

    select * from {{ ref('stg_soc2__aws_iam_credential_reports') }}
    where is_root

),

iam_accounts as (

    select * from {{ ref('stg_soc2__aws_iam_accounts') }}

),

virtual_mfa_devices as (

    select * from {{ ref('stg_soc2__aws_iam_virtual_mfa_devices') }}

),

root_virtual_devices as (

    select
        account_id,
        min(serial_number) as serial_number
    from virtual_mfa_devices
    where
        assigned_user_arn like '%:root'
        or serial_number like '%:mfa/root-account-mfa-device'
    group by account_id

),

root_users as (

    select
        accounts.account_id,
        'arn:aws:iam::' || accounts.account_id || ':root' as root_arn,
        credential_reports.user_arn is not null as has_report_line,
        credential_reports.is_mfa_active,
        credential_reports.is_access_key_1_active,
        credential_reports.is_access_key_2_active,
        credential_reports.password_last_used_at,
        credential_reports.access_key_1_last_used_at,
        credential_reports.access_key_2_last_used_at,
        coalesce(credential_reports.is_mfa_active, iam_accounts.is_root_mfa_enabled)
            as is_any_mfa_active,
        case
            when credential_reports.user_arn is not null then 'credential report'
            when iam_accounts.account_id is not null then 'aws_iam_accounts'
        end as mfa_source,
        root_virtual_devices.serial_number as virtual_serial_number,
        coalesce(credential_reports.source_relation, iam_accounts.source_relation)
            as source_relation,
        coalesce(credential_reports.synced_at, iam_accounts.synced_at) as synced_at
    from accounts
    left join credential_reports
        on accounts.account_id = credential_reports.account_id
    left join iam_accounts
        on accounts.account_id = iam_accounts.account_id
    left join root_virtual_devices
        on accounts.account_id = root_virtual_devices.account_id

),

root_mfa as (

    select
        'aws_iam_root_mfa_enabled' as control_id,
        account_id,
        'global' as region,
        'aws_iam_root_user' as resource_type,
        root_arn as resource_id,
        case
            when not has_report_line then 'not_evaluated'
            when is_mfa_active then 'pass'
            else 'fail'
        end as status,
        case
            when not has_report_line
                then 'the credential report has no <root_account> line for this account'
            when is_mfa_active then 'the root user has an active MFA device'
            else 'the root user has no MFA device; enable a hardware or virtual MFA device for it'
        end as reason,
        'mfa_active=' || coalesce(cast(is_mfa_active as {{ dbt.type_string() }}), 'unknown')
            as evidence,
        source_relation,
        synced_at
    from root_users

),

root_keys as (

    select
        'aws_iam_root_no_access_keys' as control_id,
        account_id,
        'global' as region,
        'aws_iam_root_user' as resource_type,
        root_arn as resource_id,
        case
            when not has_report_line then 'not_evaluated'
            when is_access_key_1_active or is_access_key_2_active then 'fail'
            else 'pass'
        end as status,
        case
            when not has_report_line
                then 'the credential report has no <root_account> line for this account'
            when is_access_key_1_active or is_access_key_2_active
                then 'the root user has an active access key; delete it and use IAM roles instead'
            else 'the root user has no active access key'
        end as reason,
        'access_key_1_active='
        || coalesce(cast(is_access_key_1_active as {{ dbt.type_string() }}), 'unknown')
        || '; access_key_2_active='
        || coalesce(cast(is_access_key_2_active as {{ dbt.type_string() }}), 'unknown')
            as evidence,
        source_relation,
        synced_at
    from root_users

),

root_hardware_mfa as (

    select
        'aws_iam_root_hardware_mfa_enabled' as control_id,
        account_id,
        'global' as region,
        'aws_iam_root_user' as resource_type,
        root_arn as resource_id,
        case
            when mfa_source is null then 'not_evaluated'
            when not is_any_mfa_active then 'fail'
            when virtual_serial_number is not null then 'fail'
            else 'pass'
        end as status,
        case
            when mfa_source is null
                then 'neither the credential report nor aws_iam_accounts has the root user of this account'
            when not is_any_mfa_active
                then 'the root user has no MFA device; enable a hardware MFA device for it'
            when virtual_serial_number is not null
                then 'the root user signs in with virtual MFA device ' || virtual_serial_number
                || '; replace it with a hardware device'
            else 'the root user has MFA and no virtual MFA device is assigned to it (hardware device)'
        end as reason,
        'mfa_active=' || coalesce(cast(is_any_mfa_active as {{ dbt.type_string() }}), 'unknown')
        || ' (' || coalesce(mfa_source, 'no source') || '); virtual_device='
        || coalesce(virtual_serial_number, 'none') as evidence,
        source_relation,
        synced_at
    from root_users

),

root_usage as (

    select
        root_users.*,
        {#- greatest() skips nulls on DuckDB, PostgreSQL and Spark alike #}
        {{ soc2.days_before_as_of(
            'greatest(password_last_used_at, access_key_1_last_used_at, access_key_2_last_used_at)'
        ) }} as days_since_last_use
    from root_users

),

root_not_used as (

    select
        'aws_iam_root_not_used_recently' as control_id,
        account_id,
        'global' as region,
        'aws_iam_root_user' as resource_type,
        root_arn as resource_id,
        case
            when not has_report_line then 'not_evaluated'
            when days_since_last_use is null then 'pass'
            when days_since_last_use < {{ root_unused_min_days }} then 'fail'
            else 'pass'
        end as status,
        case
            when not has_report_line
                then 'the credential report has no <root_account> line for this account'
            when days_since_last_use is null
                then 'the root user has never signed in or used an access key'
            when days_since_last_use < {{ root_unused_min_days }}
                then 'the root user was used ' || cast(days_since_last_use as {{ dbt.type_string() }})
                || ' days ago (limit {{ root_unused_min_days }}); use IAM users or roles for daily work '
                || 'and review why root was used'
            else 'the root user was last used ' || cast(days_since_last_use as {{ dbt.type_string() }})
                || ' days ago, at least {{ root_unused_min_days }} days ago'
        end as reason,
        'password_last_used=' || coalesce({{ soc2.date_text('password_last_used_at') }}, 'never')
        || '; access_key_1_last_used=' || coalesce({{ soc2.date_text('access_key_1_last_used_at') }}, 'never')
        || '; access_key_2_last_used=' || coalesce({{ soc2.date_text('access_key_2_last_used_at') }}, 'never')
            as evidence,
        source_relation,
        synced_at
    from root_usage

),

final as (

    select * from root_mfa
    union all
    select * from root_keys
    union all
    select * from root_hardware_mfa
    union all
    select * from root_not_used

)

select * from final
{% endcall %}
