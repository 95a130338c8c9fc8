-- One row per entity of CloudQuery's aws_neptune_cluster_snapshots, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_neptune_cluster_snapshots',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        db_cluster_identifier,
        storage_encrypted,
        attributes,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
