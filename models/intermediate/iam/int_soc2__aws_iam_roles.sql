-- One row per IAM role with its trust policy, from either input form.
with roles as (

    select * from {{ ref('stg_soc2__aws_iam_roles') }}

),

authz_entities as (

    select * from {{ ref('int_soc2__aws_authz_entities') }}
    where entity_type = 'role'

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

from_tables as (

    select
        roles.account_id,
        roles.role_arn,
        roles.role_name,
        roles.role_path,
        roles.permissions_boundary_arn,
        roles.trust_policy_text,
        roles.created_at,
        {{ soc2.text_to_timestamp('roles.role_last_used_text') }} as last_used_at,
        input_forms.input_form,
        roles.source_relation,
        roles.synced_at
    from roles
    inner join input_forms
        on roles.account_id = input_forms.account_id
        and input_forms.input_form = 'entity_tables'

),

from_authz as (

    select
        authz_entities.account_id,
        authz_entities.entity_arn as role_arn,
        authz_entities.entity_name as role_name,
        authz_entities.entity_path as role_path,
        authz_entities.permissions_boundary_arn,
        authz_entities.trust_policy_text,
        authz_entities.created_at,
        {{ soc2.text_to_timestamp('authz_entities.last_used_text') }} as last_used_at,
        input_forms.input_form,
        authz_entities.source_relation,
        authz_entities.synced_at
    from authz_entities
    inner join input_forms
        on authz_entities.account_id = input_forms.account_id
        and input_forms.input_form = 'authorization_details'

),

final as (

    select * from from_tables
    union all
    select * from from_authz

)

select * from final
