-- One row per IAM group, from either input form.
with groups_table as (

    select * from {{ ref('stg_soc2__aws_iam_groups') }}

),

authz_entities as (

    select * from {{ ref('int_soc2__aws_authz_entities') }}
    where entity_type = 'group'

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

final as (

    select
        groups_table.account_id,
        groups_table.group_arn,
        groups_table.group_name,
        input_forms.input_form
    from groups_table
    inner join input_forms
        on groups_table.account_id = input_forms.account_id
        and input_forms.input_form = 'entity_tables'
    union all
    select
        authz_entities.account_id,
        authz_entities.entity_arn as group_arn,
        authz_entities.entity_name as group_name,
        input_forms.input_form
    from authz_entities
    inner join input_forms
        on authz_entities.account_id = input_forms.account_id
        and input_forms.input_form = 'authorization_details'

)

select * from final
