-- Controls on IAM roles, from either IAM input form: no role left unused for
-- longer than soc2_stale_role_max_days (service-linked roles exempt), and no
-- CloudWatch cross-account sharing role (CloudWatch-CrossAccountSharingRole)
-- in any account.
{%- set stale_max_days = var('soc2_stale_role_max_days') %}
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

roles as (

    select * from {{ ref('int_soc2__aws_iam_roles') }}

),

role_activity as (

    select
        roles.*,
        coalesce(role_path like '/aws-service-role/%', false) as is_service_linked,
        {{ soc2.days_before_as_of('coalesce(last_used_at, created_at)') }} as idle_days
    from roles

),

stale_roles as (

    select
        'aws_iam_stale_roles' as control_id,
        account_id,
        'global' as region,
        'aws_iam_role' as resource_type,
        role_arn as resource_id,
        case
            when is_service_linked then 'not_applicable'
            when idle_days is null then 'not_evaluated'
            when idle_days > {{ stale_max_days }} then 'fail'
            else 'pass'
        end as status,
        case
            when is_service_linked then 'service-linked role, managed by its AWS service'
            when idle_days is null then 'the role has neither a last-used date nor a creation date'
            when idle_days > {{ stale_max_days }}
                then 'role ' || role_name || case
                    when last_used_at is null then ' was never used since it was created '
                    else ' was last used '
                end || cast(idle_days as {{ dbt.type_string() }})
                || ' days ago (limit {{ stale_max_days }}); review it and delete it if unneeded'
            else 'the role was used or created ' || cast(idle_days as {{ dbt.type_string() }})
                || ' days ago (limit {{ stale_max_days }})'
        end as reason,
        'last_used=' || coalesce({{ soc2.date_text('last_used_at') }}, 'never')
        || '; created=' || coalesce({{ soc2.date_text('created_at') }}, 'unknown') as evidence,
        source_relation,
        synced_at
    from role_activity

),

sharing_roles as (

    select
        account_id,
        min(role_arn) as role_arn
    from roles
    where role_name = 'CloudWatch-CrossAccountSharingRole'
    group by account_id

),

cross_account_sharing as (

    select
        'aws_cloudwatch_cross_account_sharing_disabled' as control_id,
        accounts.account_id,
        'global' as region,
        'aws_account' as resource_type,
        accounts.account_id as resource_id,
        case
            when input_forms.account_id is null then 'not_evaluated'
            when sharing_roles.role_arn is not null then 'fail'
            else 'pass'
        end as status,
        case
            when input_forms.account_id is null
                then 'no IAM users, groups, roles or policies were synced for this account'
            when sharing_roles.role_arn is not null
                then 'role ' || sharing_roles.role_arn || ' shares CloudWatch data with other '
                || 'accounts; delete it unless the sharing is approved (then record a risk exception)'
            else 'the account has no CloudWatch-CrossAccountSharingRole'
        end as reason,
        'sharing_role=' || coalesce(sharing_roles.role_arn, 'none') as evidence,
        cast(null as {{ dbt.type_string() }}) as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from accounts
    left join input_forms
        on accounts.account_id = input_forms.account_id
    left join sharing_roles
        on accounts.account_id = sharing_roles.account_id

),

final as (

    select * from stale_roles
    union all
    select * from cross_account_sharing

)

select * from final
{% endcall %}
