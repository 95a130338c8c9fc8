-- One row per IAM user, from the per-entity table or, for accounts synced
-- only as authorization details, from that form.
with users as (

    select * from {{ ref('stg_soc2__aws_iam_users') }}

),

authz_entities as (

    select * from {{ ref('int_soc2__aws_authz_entities') }}
    where entity_type = 'user'

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

from_tables as (

    select
        users.account_id,
        users.user_arn,
        users.user_name,
        users.permissions_boundary_arn,
        users.created_at,
        users.password_last_used_at,
        input_forms.input_form,
        users.source_relation,
        users.synced_at
    from users
    inner join input_forms
        on users.account_id = input_forms.account_id
        and input_forms.input_form = 'entity_tables'

),

from_authz as (

    select
        authz_entities.account_id,
        authz_entities.entity_arn as user_arn,
        authz_entities.entity_name as user_name,
        authz_entities.permissions_boundary_arn,
        authz_entities.created_at,
        cast(null as {{ dbt.type_timestamp() }}) as password_last_used_at,
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
