-- One row per account: the output of GetAccountAuthorizationDetails, its four
-- lists kept as JSON (exploded in models/intermediate/iam).
with source as (

    {{ soc2.cloudquery_source('aws_iam_account_authorization_details',
        natural_key=['account_id']) }}

),

renamed as (

    select
        account_id,
        user_detail_list,
        group_detail_list,
        role_detail_list,
        policies as policy_detail_list,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
