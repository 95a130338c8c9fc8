-- One row per MFA device assigned to a user.
with source as (

    {{ soc2.cloudquery_source('aws_iam_mfa_devices',
        natural_key=['serial_number']) }}

),

renamed as (

    select
        account_id,
        serial_number,
        user_name,
        enable_date as enabled_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
