-- One row per entity of CloudQuery's aws_dms_replication_instances, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_dms_replication_instances',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        replication_instance_identifier,
        publicly_accessible,
        multi_az,
        auto_minor_version_upgrade,
        kms_key_id,
        engine_version,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
