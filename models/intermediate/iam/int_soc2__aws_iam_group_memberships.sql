-- One row per user and group it belongs to, from either input form (the
-- authorization details name groups, resolved here to their ARNs).
with user_groups as (

    select * from {{ ref('stg_soc2__aws_iam_user_groups') }}

),

links as (

    select * from {{ ref('int_soc2__aws_authz_entity_links') }}
    where entity_type = 'user' and link_type = 'group_name'

),

groups_unified as (

    select * from {{ ref('int_soc2__aws_iam_groups') }}

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

final as (

    select
        user_groups.account_id,
        user_groups.user_arn,
        user_groups.group_arn
    from user_groups
    inner join input_forms
        on user_groups.account_id = input_forms.account_id
        and input_forms.input_form = 'entity_tables'
    union all
    select
        links.account_id,
        links.entity_arn as user_arn,
        groups_unified.group_arn
    from links
    inner join input_forms
        on links.account_id = input_forms.account_id
        and input_forms.input_form = 'authorization_details'
    inner join groups_unified
        on links.account_id = groups_unified.account_id
        and links.link_name = groups_unified.group_name

)

select * from final
