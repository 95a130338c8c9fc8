-- One row per AWS Config delivery channel: its delivery status.
with source as (

    {{ soc2.cloudquery_source('aws_config_delivery_channel_statuses',
        natural_key=['account_id', 'region', 'name']) }}

),

renamed as (

    select
        account_id,
        region,
        name as channel_name,
        upper({{ soc2.json_text('config_history_delivery_info', ['LastStatus']) }}) as history_last_status,
        upper({{ soc2.json_text('config_snapshot_delivery_info', ['LastStatus']) }}) as snapshot_last_status,
        upper({{ soc2.json_text('config_stream_delivery_info', ['LastStatus']) }}) as stream_last_status,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
