-- One row per entity of CloudQuery's aws_elasticache_replication_groups, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_elasticache_replication_groups',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        replication_group_id,
        at_rest_encryption_enabled,
        transit_encryption_enabled,
        auth_token_enabled,
        automatic_failover,
        multi_az,
        snapshot_retention_limit,
        auto_minor_version_upgrade,
        kms_key_id,
        log_delivery_configurations,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
