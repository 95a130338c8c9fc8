-- Controls on the credentials of IAM users: console MFA, unused credentials
-- (credential report), access-key rotation and at most one active key
-- (access keys); MFA for every user and for holders of the admin managed
-- policy, and no access key issued at user creation and never used
-- (credential report).
{%- set key_max_age = var('soc2_access_key_max_age_days') %}
{%- set unused_max_days = var('soc2_unused_credentials_max_days') %}
{% call soc2.control_family() %}
with credential_reports as (

    select * from {{ ref('stg_soc2__aws_iam_credential_reports') }}
    where not is_root

),

access_keys as (

    select * from {{ ref('stg_soc2__aws_iam_user_access_keys') }}

),

users as (

    select * from {{ ref('stg_soc2__aws_iam_users') }}

),

policy_attachments as (

    select * from {{ ref('int_soc2__aws_iam_policy_attachments') }}

),

group_memberships as (

    select * from {{ ref('int_soc2__aws_iam_group_memberships') }}

),

{#- users holding AdministratorAccess directly or through a group #}
admin_holders as (

    select
        policy_attachments.holder_arn as user_arn,
        cast('directly' as {{ dbt.type_string() }}) as held_through
    from policy_attachments
    where
        policy_attachments.holder_type = 'user'
        and policy_attachments.policy_arn = 'arn:aws:iam::aws:policy/AdministratorAccess'
    union all
    select
        group_memberships.user_arn,
        'group ' || group_memberships.group_arn as held_through
    from group_memberships
    inner join policy_attachments
        on
            group_memberships.group_arn = policy_attachments.holder_arn
            and policy_attachments.holder_type = 'group'
    where policy_attachments.policy_arn = 'arn:aws:iam::aws:policy/AdministratorAccess'

),

admin_users as (

    select
        user_arn,
        {{ soc2.string_agg_distinct('held_through', ', ') }} as held_through
    from admin_holders
    group by user_arn

),

report_users as (

    select
        credential_reports.*,
        {{ soc2.days_before_as_of(
            'coalesce(password_last_used_at, password_last_changed_at, user_created_at)'
        ) }} as password_idle_days,
        {{ soc2.days_before_as_of(
            'coalesce(access_key_1_last_used_at, access_key_1_last_rotated_at, user_created_at)'
        ) }} as access_key_1_idle_days,
        {{ soc2.days_before_as_of(
            'coalesce(access_key_2_last_used_at, access_key_2_last_rotated_at, user_created_at)'
        ) }} as access_key_2_idle_days
    from credential_reports

),

console_mfa as (

    select
        'aws_iam_console_users_mfa' as control_id,
        account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        user_arn as resource_id,
        case
            when not is_password_enabled then 'not_applicable'
            when is_mfa_active then 'pass'
            else 'fail'
        end as status,
        case
            when not is_password_enabled then 'the user has no console password'
            when is_mfa_active then 'the console user has an active MFA device'
            else 'user ' || user_name || ' can sign in to the console without MFA; assign an MFA device'
        end as reason,
        'password_enabled=' || cast(is_password_enabled as {{ dbt.type_string() }})
        || '; mfa_active=' || cast(is_mfa_active as {{ dbt.type_string() }}) as evidence,
        source_relation,
        synced_at
    from report_users

),

unused_findings as (

    select
        report_users.*,
        is_password_enabled and password_idle_days > {{ unused_max_days }}
            as is_password_stale,
        is_access_key_1_active and access_key_1_idle_days > {{ unused_max_days }}
            as is_access_key_1_stale,
        is_access_key_2_active and access_key_2_idle_days > {{ unused_max_days }}
            as is_access_key_2_stale
    from report_users

),

unused_credentials as (

    select
        'aws_iam_unused_credentials_disabled' as control_id,
        account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        user_arn as resource_id,
        case
            when not (is_password_enabled or is_access_key_1_active or is_access_key_2_active)
                then 'not_applicable'
            when is_password_stale or is_access_key_1_stale or is_access_key_2_stale
                then 'fail'
            else 'pass'
        end as status,
        case
            when not (is_password_enabled or is_access_key_1_active or is_access_key_2_active)
                then 'the user has no enabled password and no active access key'
            when is_password_stale or is_access_key_1_stale or is_access_key_2_stale
                then concat_ws('; ',
                    case when is_password_stale then 'password unused for '
                        || cast(password_idle_days as {{ dbt.type_string() }}) || ' days' end,
                    case when is_access_key_1_stale then 'access key 1 unused for '
                        || cast(access_key_1_idle_days as {{ dbt.type_string() }}) || ' days' end,
                    case when is_access_key_2_stale then 'access key 2 unused for '
                        || cast(access_key_2_idle_days as {{ dbt.type_string() }}) || ' days' end
                ) || '; limit {{ unused_max_days }}; disable or remove them'
            else 'every enabled credential was used within {{ unused_max_days }} days'
        end as reason,
        'password_idle_days=' || coalesce(cast(
            case when is_password_enabled then password_idle_days end
            as {{ dbt.type_string() }}), 'n/a')
        || '; access_key_1_idle_days=' || coalesce(cast(
            case when is_access_key_1_active then access_key_1_idle_days end
            as {{ dbt.type_string() }}), 'n/a')
        || '; access_key_2_idle_days=' || coalesce(cast(
            case when is_access_key_2_active then access_key_2_idle_days end
            as {{ dbt.type_string() }}), 'n/a') as evidence,
        source_relation,
        synced_at
    from unused_findings

),

key_ages as (

    select
        access_keys.*,
        {{ soc2.days_before_as_of('last_rotated_at') }} as key_age_days
    from access_keys

),

keys_rotated as (

    select
        'aws_iam_access_keys_rotated' as control_id,
        account_id,
        'global' as region,
        'aws_iam_access_key' as resource_type,
        access_key_id as resource_id,
        case
            when not is_active then 'not_applicable'
            when key_age_days is null then 'not_evaluated'
            when key_age_days > {{ key_max_age }} then 'fail'
            else 'pass'
        end as status,
        case
            when not is_active then 'the access key is inactive'
            when key_age_days is null then 'the access key has no creation or rotation date'
            when key_age_days > {{ key_max_age }}
                then 'access key ' || access_key_id || ' of ' || user_name
                || ' last rotated ' || cast(key_age_days as {{ dbt.type_string() }})
                || ' days ago; limit {{ key_max_age }}'
            else 'access key rotated ' || cast(key_age_days as {{ dbt.type_string() }})
                || ' days ago; limit {{ key_max_age }}'
        end as reason,
        'user_arn=' || coalesce(user_arn, '') || '; status=' || coalesce(key_status, '')
        || '; last_rotated=' || coalesce({{ soc2.date_text('last_rotated_at') }}, 'unknown')
            as evidence,
        source_relation,
        synced_at
    from key_ages

),

active_key_counts as (

    select
        account_id,
        user_arn,
        sum(case when is_active then 1 else 0 end) as active_key_count
    from access_keys
    group by account_id, user_arn

),

single_key as (

    select
        'aws_iam_user_single_active_key' as control_id,
        users.account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        users.user_arn as resource_id,
        case
            when coalesce(active_key_counts.active_key_count, 0) > 1 then 'fail'
            else 'pass'
        end as status,
        case
            when coalesce(active_key_counts.active_key_count, 0) > 1
                then 'user ' || users.user_name || ' has '
                || cast(active_key_counts.active_key_count as {{ dbt.type_string() }})
                || ' active access keys; keep one'
            else 'the user has at most one active access key'
        end as reason,
        'active_keys=' || cast(coalesce(active_key_counts.active_key_count, 0)
            as {{ dbt.type_string() }}) as evidence,
        users.source_relation,
        users.synced_at
    from users
    left join active_key_counts
        on users.account_id = active_key_counts.account_id
        and users.user_arn = active_key_counts.user_arn

),

user_mfa as (

    select
        'aws_iam_user_mfa' as control_id,
        account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        user_arn as resource_id,
        case when is_mfa_active then 'pass' else 'fail' end as status,
        case
            when is_mfa_active then 'the user has an active MFA device'
            else 'user ' || user_name || ' has no MFA device; assign one (hardware preferred)'
        end as reason,
        'mfa_active=' || cast(is_mfa_active as {{ dbt.type_string() }}) as evidence,
        source_relation,
        synced_at
    from report_users

),

admin_users_mfa as (

    select
        'aws_iam_admin_users_mfa' as control_id,
        report_users.account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        report_users.user_arn as resource_id,
        case
            when admin_users.user_arn is null then 'not_applicable'
            when report_users.is_mfa_active then 'pass'
            else 'fail'
        end as status,
        case
            when admin_users.user_arn is null
                then 'the user does not hold AdministratorAccess'
            when report_users.is_mfa_active
                then 'the user holds AdministratorAccess (' || admin_users.held_through
                || ') and has an active MFA device'
            else 'user ' || report_users.user_name || ' holds AdministratorAccess ('
                || admin_users.held_through || ') without MFA; assign an MFA device'
        end as reason,
        'administrator_access=' || coalesce(admin_users.held_through, 'none')
        || '; mfa_active=' || cast(report_users.is_mfa_active as {{ dbt.type_string() }})
            as evidence,
        report_users.source_relation,
        report_users.synced_at
    from report_users
    left join admin_users
        on report_users.user_arn = admin_users.user_arn

),

{#- a key counts as issued at setup when it was created (last rotated) within
    10 minutes of the user, the heuristic of the reference checks #}
initial_keys as (

    select
        report_users.*,
        is_access_key_1_active
        and access_key_1_last_used_at is null
        and access_key_1_last_rotated_at is not null
        and {{ dbt.datediff('user_created_at', 'access_key_1_last_rotated_at', 'minute') }} <= 10
            as is_key_1_initial_unused,
        is_access_key_2_active
        and access_key_2_last_used_at is null
        and access_key_2_last_rotated_at is not null
        and {{ dbt.datediff('user_created_at', 'access_key_2_last_rotated_at', 'minute') }} <= 10
            as is_key_2_initial_unused
    from report_users

),

no_initial_key as (

    select
        'aws_iam_no_initial_access_key' as control_id,
        account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        user_arn as resource_id,
        case
            when not (is_access_key_1_active or is_access_key_2_active) then 'not_applicable'
            when is_key_1_initial_unused or is_key_2_initial_unused then 'fail'
            else 'pass'
        end as status,
        case
            when not (is_access_key_1_active or is_access_key_2_active)
                then 'the user has no active access key'
            when is_key_1_initial_unused or is_key_2_initial_unused
                then 'user ' || user_name || ' has an active access key created with the user and '
                || 'never used; delete it and issue keys only when needed'
            else 'every active access key was used or created after the user was set up'
        end as reason,
        'key_1_initial_unused=' || cast(coalesce(is_key_1_initial_unused, false) as {{ dbt.type_string() }})
        || '; key_2_initial_unused=' || cast(coalesce(is_key_2_initial_unused, false) as {{ dbt.type_string() }})
            as evidence,
        source_relation,
        synced_at
    from initial_keys

),

final as (

    select * from console_mfa
    union all
    select * from user_mfa
    union all
    select * from admin_users_mfa
    union all
    select * from no_initial_key
    union all
    select * from unused_credentials
    union all
    select * from keys_rotated
    union all
    select * from single_key

)

select * from final
{% endcall %}
