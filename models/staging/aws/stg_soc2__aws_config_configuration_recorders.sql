-- One row per AWS Config configuration recorder.
with source as (

    {{ soc2.cloudquery_source('aws_config_configuration_recorders',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as recorder_arn,
        name as recorder_name,
        coalesce(status_recording, false) as is_recording,
        upper(status_last_status) as last_status,
        lower({{ soc2.json_text('recording_group', ['AllSupported']) }}) = 'true' as records_all_supported,
        lower({{ soc2.json_text('recording_group', ['IncludeGlobalResourceTypes']) }}) = 'true'
            as includes_global_resource_types,
        recording_group,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
