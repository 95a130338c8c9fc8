-- Controls on how IAM users receive permissions: through groups or roles,
-- never by policies attached to the user itself; every user in a group and
-- every group with a member (either IAM input form).
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

all_users as (

    select * from {{ ref('int_soc2__aws_iam_users') }}

),

iam_groups as (

    select * from {{ ref('int_soc2__aws_iam_groups') }}

),

group_memberships as (

    select * from {{ ref('int_soc2__aws_iam_group_memberships') }}

),

user_group_counts as (

    select account_id, user_arn, count(distinct group_arn) as group_count
    from group_memberships
    group by account_id, user_arn

),

group_member_counts as (

    select account_id, group_arn, count(distinct user_arn) as member_count
    from group_memberships
    group by account_id, group_arn

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

user_in_group as (

    select
        'aws_iam_user_in_group' as control_id,
        all_users.account_id,
        'global' as region,
        'aws_iam_user' as resource_type,
        all_users.user_arn as resource_id,
        case when user_group_counts.group_count > 0 then 'pass' else 'fail' end as status,
        case
            when user_group_counts.group_count > 0
                then 'the user belongs to '
                || cast(user_group_counts.group_count as {{ dbt.type_string() }}) || ' groups'
            else 'user ' || all_users.user_name
                || ' belongs to no group; grant its permissions through a group'
        end as reason,
        'groups=' || cast(coalesce(user_group_counts.group_count, 0) as {{ dbt.type_string() }})
            as evidence,
        all_users.source_relation,
        all_users.synced_at
    from all_users
    left join user_group_counts
        on
            all_users.account_id = user_group_counts.account_id
            and all_users.user_arn = user_group_counts.user_arn

),

group_not_empty as (

    select
        'aws_iam_group_not_empty' as control_id,
        iam_groups.account_id,
        'global' as region,
        'aws_iam_group' as resource_type,
        iam_groups.group_arn as resource_id,
        case when group_member_counts.member_count > 0 then 'pass' else 'fail' end as status,
        case
            when group_member_counts.member_count > 0
                then 'the group has '
                || cast(group_member_counts.member_count as {{ dbt.type_string() }}) || ' members'
            else 'group ' || iam_groups.group_name || ' has no member; delete it or add its users'
        end as reason,
        'members=' || cast(coalesce(group_member_counts.member_count, 0) as {{ dbt.type_string() }})
            as evidence,
        cast(null as {{ dbt.type_string() }}) as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from iam_groups
    left join group_member_counts
        on
            iam_groups.account_id = group_member_counts.account_id
            and iam_groups.group_arn = group_member_counts.group_arn

),

final as (

    select * from no_direct_policies
    union all
    select * from user_in_group
    union all
    select * from group_not_empty

)

select * from final
{% endcall %}
