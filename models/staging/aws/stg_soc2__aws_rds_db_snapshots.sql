-- One row per entity of CloudQuery's aws_rds_db_snapshots, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_rds_db_snapshots',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        db_snapshot_identifier,
        db_instance_identifier,
        engine,
        snapshot_type,
        encrypted,
        kms_key_id,
        attributes,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
