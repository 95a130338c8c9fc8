-- Controls on how IAM users receive permissions: through groups or roles,
-- never by policies attached to the user itself.
{% call soc2.control_family() %}
with users as (

    select * from {{ ref('stg_soc2__aws_iam_users') }}

),

user_policies as (

    select * from {{ ref('stg_soc2__aws_iam_user_policies') }}

),

user_attached_policies as (

    select * from {{ ref('stg_soc2__aws_iam_user_attached_policies') }}

),

inline_counts as (

    select account_id, user_arn, count(*) as inline_policy_count
    from user_policies
    group by account_id, user_arn

),

attached_counts as (

    select account_id, user_arn, count(*) as attached_policy_count
    from user_attached_policies
    group by account_id, user_arn

),

user_grants as (

    select
        users.account_id,
        users.user_arn,
        users.user_name,
        coalesce(inline_counts.inline_policy_count, 0) as inline_policy_count,
        coalesce(attached_counts.attached_policy_count, 0) as attached_policy_count,
        users.source_relation,
        users.synced_at
    from users
    left join inline_counts
        on
            users.account_id = inline_counts.account_id
            and users.user_arn = inline_counts.user_arn
    left join attached_counts
        on
            users.account_id = attached_counts.account_id
            and users.user_arn = attached_counts.user_arn

),

no_direct_policies as (

    select
        'aws_iam_user_no_direct_policies' as control_id,
        account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        user_arn as resource_id,
        case
            when inline_policy_count + attached_policy_count > 0 then 'fail'
            else 'pass'
        end as status,
        case
            when inline_policy_count + attached_policy_count > 0
                then
                    'user ' || user_name || ' has '
                    || cast(inline_policy_count as {{ dbt.type_string() }}) || ' inline and '
                    || cast(attached_policy_count as {{ dbt.type_string() }})
                    || ' directly attached policies; grant through groups or roles'
            else 'the user has no policy of its own'
        end as reason,
        'inline_policies=' || cast(inline_policy_count as {{ dbt.type_string() }})
        || '; attached_policies=' || cast(attached_policy_count as {{ dbt.type_string() }})
            as evidence,
        source_relation,
        synced_at
    from user_grants

),

final as (

    select * from no_direct_policies

)

select * from final
{% endcall %}
