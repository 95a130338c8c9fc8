-- One row per entity of CloudQuery's aws_neptune_clusters, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_neptune_clusters',
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
        kms_key_id,
        backup_retention_period,
        copy_tags_to_snapshot,
        deletion_protection,
        iam_database_authentication_enabled,
        multi_az,
        {{ soc2.text_array_to_json('enabled_cloudwatch_logs_exports') }} as enabled_cloudwatch_logs_exports,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
