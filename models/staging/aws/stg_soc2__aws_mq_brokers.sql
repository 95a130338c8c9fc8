-- One row per Amazon MQ broker with its general and audit log settings.
with source as (

    {{ soc2.cloudquery_source('aws_mq_brokers',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as broker_arn,
        broker_name,
        lower({{ soc2.json_text('logs', ['General']) }}) as general_logs_enabled,
        lower({{ soc2.json_text('logs', ['Audit']) }}) as audit_logs_enabled,
        auto_minor_version_upgrade,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
