-- One row per entity of CloudQuery's aws_kms_keys, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_kms_keys',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        rotation_enabled,
        tags,
        arn,
        replica_keys,
        key_id,
        aws_account_id,
        cloud_hsm_cluster_id,
        creation_date,
        custom_key_store_id,
        customer_master_key_spec,
        deletion_date,
        description,
        enabled,
        {{ soc2.text_array_to_json('encryption_algorithms') }} as encryption_algorithms,
        expiration_model,
        key_manager,
        key_spec,
        key_state,
        key_usage,
        {{ soc2.text_array_to_json('mac_algorithms') }} as mac_algorithms,
        multi_region,
        multi_region_configuration,
        origin,
        pending_deletion_window_in_days,
        {{ soc2.text_array_to_json('signing_algorithms') }} as signing_algorithms,
        valid_to,
        xks_key_configuration,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
