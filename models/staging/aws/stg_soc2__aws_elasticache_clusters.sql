-- One row per entity of CloudQuery's aws_elasticache_clusters, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_elasticache_clusters',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        cache_cluster_id,
        engine,
        engine_version,
        replication_group_id,
        at_rest_encryption_enabled,
        transit_encryption_enabled,
        snapshot_retention_limit,
        auto_minor_version_upgrade,
        preferred_availability_zone,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
