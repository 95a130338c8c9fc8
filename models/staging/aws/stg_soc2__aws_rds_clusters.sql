-- One row per RDS DB cluster: engine, CloudWatch log exports and IAM authentication.
with source as (

    {{ soc2.cloudquery_source('aws_rds_clusters',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as db_cluster_arn,
        db_cluster_identifier,
        lower(engine) as engine,
        {{ soc2.text_array_to_text('enabled_cloudwatch_logs_exports', ',') }} as enabled_log_exports,
        iam_database_authentication_enabled,
        storage_encrypted,
        nullif(kms_key_id, '') as kms_key_id,
        db_cluster_parameter_group,
        tags,
        backup_retention_period,
        multi_az,
        deletion_protection,
        copy_tags_to_snapshot,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
