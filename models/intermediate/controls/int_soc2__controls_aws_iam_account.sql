-- Account-level IAM controls: the password policy's strength, and no expired
-- IAM server certificate left stored (one row per certificate).
{%- set min_length = var('soc2_password_min_length') %}
{%- set reuse = var('soc2_password_reuse_prevention') %}
{%- set max_age = var('soc2_password_max_age_days') %}
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

password_policies as (

    select * from {{ ref('stg_soc2__aws_iam_password_policies') }}

),

server_certificates as (

    select * from {{ ref('stg_soc2__aws_iam_server_certificates') }}

),

account_policies as (

    select
        accounts.account_id,
        password_policies.account_id is not null as has_row,
        password_policies.is_policy_set,
        password_policies.minimum_password_length,
        password_policies.password_reuse_prevention,
        password_policies.max_password_age_days,
        password_policies.is_expiry_enabled,
        password_policies.requires_uppercase,
        password_policies.requires_lowercase,
        password_policies.requires_numbers,
        password_policies.requires_symbols,
        password_policies.source_relation,
        password_policies.synced_at
    from accounts
    left join password_policies
        on accounts.account_id = password_policies.account_id

),

gaps as (

    select
        account_policies.*,
        concat_ws(
            '; ',
            case
                when coalesce(minimum_password_length, 0) < {{ min_length }}
                    then
                        'minimum length '
                        || coalesce(
                            cast(minimum_password_length as {{ dbt.type_string() }}), 'unset'
                        )
                        || ' < {{ min_length }}'
            end,
            case
                when coalesce(password_reuse_prevention, 0) < {{ reuse }}
                    then
                        'reuse prevention '
                        || coalesce(
                            cast(password_reuse_prevention as {{ dbt.type_string() }}), 'unset'
                        )
                        || ' < {{ reuse }}'
            end,
            case
                when
                    not coalesce(is_expiry_enabled, false)
                    or coalesce(max_password_age_days, 0) = 0
                    or max_password_age_days > {{ max_age }}
                    then
                        'maximum age '
                        || coalesce(cast(max_password_age_days as {{ dbt.type_string() }}), 'unset')
                        || ' days (limit {{ max_age }})'
            end,
            case when not coalesce(requires_uppercase, false) then 'no upper-case requirement' end,
            case when not coalesce(requires_lowercase, false) then 'no lower-case requirement' end,
            case when not coalesce(requires_numbers, false) then 'no number requirement' end,
            case when not coalesce(requires_symbols, false) then 'no symbol requirement' end
        ) as unmet_requirements
    from account_policies

),

password_policy as (

    select
        'aws_iam_password_policy_strong' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case
            when not has_row then 'not_evaluated'
            when not is_policy_set then 'fail'
            when unmet_requirements != '' then 'fail'
            else 'pass'
        end as status,
        case
            when not has_row
                then 'aws_iam_password_policies has no row for this account (not synced for it)'
            when not is_policy_set then 'the account has no password policy; set one'
            when unmet_requirements != ''
                then 'password policy too weak: ' || unmet_requirements
            else 'the password policy meets every requirement'
        end as reason,
        'policy_exists=' || coalesce(cast(is_policy_set as {{ dbt.type_string() }}), 'unknown')
        || '; minimum_length='
        || coalesce(cast(minimum_password_length as {{ dbt.type_string() }}), 'unset')
        || '; reuse_prevention='
        || coalesce(cast(password_reuse_prevention as {{ dbt.type_string() }}), 'unset')
        || '; max_age_days='
        || coalesce(cast(max_password_age_days as {{ dbt.type_string() }}), 'unset')
            as evidence,
        source_relation,
        synced_at
    from gaps

),

expired_server_certs as (

    select
        'aws_iam_expired_server_certs_removed' as control_id,
        account_id,
        'global' as region,
        'aws_iam_server_certificate' as resource_type,
        certificate_arn as resource_id,
        case
            when expires_at is null then 'not_evaluated'
            when expires_at <= {{ soc2.as_of_timestamp() }} then 'fail'
            else 'pass'
        end as status,
        case
            when expires_at is null then 'the certificate has no expiration date'
            when expires_at <= {{ soc2.as_of_timestamp() }}
                then 'server certificate ' || certificate_name || ' expired on '
                || {{ soc2.date_text('expires_at') }} || '; delete it from IAM'
            else 'the certificate expires on ' || {{ soc2.date_text('expires_at') }}
        end as reason,
        'expiration=' || coalesce({{ soc2.date_text('expires_at') }}, 'unknown') as evidence,
        source_relation,
        synced_at
    from server_certificates

),

final as (

    select * from password_policy
    union all
    select * from expired_server_certs

)

select * from final
{% endcall %}
