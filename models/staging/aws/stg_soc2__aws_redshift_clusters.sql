-- One row per Redshift provisioned cluster with its audit logging status.
with source as (

    {{ soc2.cloudquery_source('aws_redshift_clusters',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as cluster_arn,
        cluster_identifier,
        lower({{ soc2.json_text('logging_status', ['LoggingEnabled']) }}) as audit_logging_enabled,
        {{ soc2.json_text('logging_status', ['LogDestinationType']) }} as log_destination_type,
        publicly_accessible,
        encrypted,
        nullif(kms_key_id, '') as kms_key_id,
        tags,
        automated_snapshot_retention_period,
        allow_version_upgrade,
        multi_az,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
