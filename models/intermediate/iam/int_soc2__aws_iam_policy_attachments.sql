-- One row per managed policy attached to a user, group or role, from either
-- input form.
with user_attached as (

    select * from {{ ref('stg_soc2__aws_iam_user_attached_policies') }}

),

group_attached as (

    select * from {{ ref('stg_soc2__aws_iam_group_attached_policies') }}

),

role_attached as (

    select * from {{ ref('stg_soc2__aws_iam_role_attached_policies') }}

),

links as (

    select * from {{ ref('int_soc2__aws_authz_entity_links') }}
    where link_type = 'attached_policy'

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

from_tables as (

    select account_id, 'user' as holder_type, user_arn as holder_arn, policy_arn
    from user_attached
    union all
    select account_id, 'group' as holder_type, group_arn as holder_arn, policy_arn
    from group_attached
    union all
    select account_id, 'role' as holder_type, role_arn as holder_arn, policy_arn
    from role_attached

),

final as (

    select
        from_tables.account_id,
        from_tables.holder_type,
        from_tables.holder_arn,
        from_tables.policy_arn
    from from_tables
    inner join input_forms
        on from_tables.account_id = input_forms.account_id
        and input_forms.input_form = 'entity_tables'
    union all
    select
        links.account_id,
        links.entity_type as holder_type,
        links.entity_arn as holder_arn,
        links.link_arn as policy_arn
    from links
    inner join input_forms
        on links.account_id = input_forms.account_id
        and input_forms.input_form = 'authorization_details'

)

select * from final
