-- Controls on the root user of each account, from the <root_account> line of
-- the credential report: MFA, and no active access keys.
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

credential_reports as (

    select * from {{ ref('stg_soc2__aws_iam_credential_reports') }}
    where is_root

),

root_users as (

    select
        accounts.account_id,
        'arn:aws:iam::' || accounts.account_id || ':root' as root_arn,
        credential_reports.user_arn is not null as has_report_line,
        credential_reports.is_mfa_active,
        credential_reports.is_access_key_1_active,
        credential_reports.is_access_key_2_active,
        credential_reports.source_relation,
        credential_reports.synced_at
    from accounts
    left join credential_reports
        on accounts.account_id = credential_reports.account_id

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

final as (

    select * from root_mfa
    union all
    select * from root_keys

)

select * from final
{% endcall %}
