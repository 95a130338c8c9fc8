-- One row per access key of a user.
with source as (

    {{ soc2.cloudquery_source('aws_iam_user_access_keys',
        natural_key=['account_id', 'user_arn', 'access_key_id']) }}

),

renamed as (

    select
        account_id,
        user_arn,
        user_name,
        access_key_id,
        status as key_status,
        status = 'Active' as is_active,
        last_used_service_name,
        create_date as created_at,
        coalesce(last_rotated, create_date) as last_rotated_at,
        last_used as last_used_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
