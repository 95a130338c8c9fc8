-- One row per managed policy and account, from either input form.
with policies as (

    select * from {{ ref('stg_soc2__aws_iam_policies') }}

),

authz_entities as (

    select * from {{ ref('int_soc2__aws_authz_entities') }}
    where entity_type = 'policy'

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

final as (

    select
        policies.account_id,
        policies.policy_arn,
        policies.policy_name,
        policies.is_aws_managed,
        policies.default_version_id,
        input_forms.input_form
    from policies
    inner join input_forms
        on policies.account_id = input_forms.account_id
        and input_forms.input_form = 'entity_tables'
    union all
    select
        authz_entities.account_id,
        authz_entities.entity_arn as policy_arn,
        authz_entities.entity_name as policy_name,
        authz_entities.entity_arn like 'arn:aws:iam::aws:policy/%' as is_aws_managed,
        authz_entities.default_version_id,
        input_forms.input_form
    from authz_entities
    inner join input_forms
        on authz_entities.account_id = input_forms.account_id
        and input_forms.input_form = 'authorization_details'

)

select * from final
