-- One row per account with IAM data: which of CloudQuery's two forms the
-- package reads its IAM entities from. The per-entity tables win when they
-- hold anything for the account; otherwise aws_iam_account_authorization_details
-- (also what `soc2 scan` loads from an AWS CLI export).
with entity_accounts as (

    select account_id from {{ ref('stg_soc2__aws_iam_users') }}
    union
    select account_id from {{ ref('stg_soc2__aws_iam_roles') }}
    union
    select account_id from {{ ref('stg_soc2__aws_iam_groups') }}
    union
    select account_id from {{ ref('stg_soc2__aws_iam_policies') }}

),

authz_accounts as (

    select account_id from {{ ref('stg_soc2__aws_iam_account_authorization_details') }}

),

final as (

    select account_id, 'entity_tables' as input_form
    from entity_accounts
    where account_id is not null
    union all
    select authz_accounts.account_id, 'authorization_details' as input_form
    from authz_accounts
    left join entity_accounts
        on authz_accounts.account_id = entity_accounts.account_id
    where entity_accounts.account_id is null and authz_accounts.account_id is not null

)

select * from final
