-- One row per AWS account seen in any raw table the controls read.
with account_ids as (

    select account_id from {{ ref('stg_soc2__aws_iam_accounts') }}
    union
    select account_id from {{ ref('stg_soc2__aws_iam_credential_reports') }}
    union
    select account_id from {{ ref('stg_soc2__aws_iam_users') }}
    union
    select account_id from {{ ref('stg_soc2__aws_iam_roles') }}
    union
    select account_id from {{ ref('stg_soc2__aws_iam_password_policies') }}
    union
    select account_id from {{ ref('stg_soc2__aws_s3_accounts') }}
    union
    select account_id from {{ ref('stg_soc2__aws_s3_buckets') }}

),

final as (

    select account_id
    from account_ids
    where account_id is not null

)

select * from final
