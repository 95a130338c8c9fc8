-- One row per entity of CloudQuery's aws_fsx_file_systems, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_fsx_file_systems',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        file_system_id,
        file_system_type,
        windows_configuration,
        ontap_configuration,
        open_zfs_configuration,
        lustre_configuration,
        kms_key_id,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
