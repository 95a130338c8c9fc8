-- One row per virtual MFA device of an account.
with source as (

    {{ soc2.cloudquery_source('aws_iam_virtual_mfa_devices',
        natural_key=['serial_number']) }}

),

renamed as (

    select
        account_id,
        serial_number,
        {{ soc2.json_text(adapter.quote('user'), ['Arn']) }} as assigned_user_arn,
        enable_date as enabled_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
