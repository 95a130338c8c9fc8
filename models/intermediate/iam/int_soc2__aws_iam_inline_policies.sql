-- One row per inline policy of a user, group or role, from either input form.
with user_policies as (

    select * from {{ ref('stg_soc2__aws_iam_user_policies') }}

),

group_policies as (

    select * from {{ ref('stg_soc2__aws_iam_group_policies') }}

),

role_policies as (

    select * from {{ ref('stg_soc2__aws_iam_role_policies') }}

),

links as (

    select * from {{ ref('int_soc2__aws_authz_entity_links') }}
    where link_type = 'inline_policy'

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

from_tables as (

    select
        account_id, 'user' as holder_type, user_arn as holder_arn, policy_name,
        policy_document_text, source_relation, synced_at
    from user_policies
    union all
    select
        account_id, 'group' as holder_type, group_arn as holder_arn, policy_name,
        policy_document_text, source_relation, synced_at
    from group_policies
    union all
    select
        account_id, 'role' as holder_type, role_arn as holder_arn, policy_name,
        policy_document_text, source_relation, synced_at
    from role_policies

),

final as (

    select from_tables.*
    from from_tables
    inner join input_forms
        on from_tables.account_id = input_forms.account_id
        and input_forms.input_form = 'entity_tables'
    union all
    select
        links.account_id,
        links.entity_type as holder_type,
        links.entity_arn as holder_arn,
        links.link_name as policy_name,
        links.document_text as policy_document_text,
        links.source_relation,
        links.synced_at
    from links
    inner join input_forms
        on links.account_id = input_forms.account_id
        and input_forms.input_form = 'authorization_details'

)

select * from final
