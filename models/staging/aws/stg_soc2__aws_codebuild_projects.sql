-- One row per CodeBuild project: environment, sources and log settings.
with source as (

    {{ soc2.cloudquery_source('aws_codebuild_projects',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as project_arn,
        name as project_name,
        lower({{ soc2.json_text('environment', ['PrivilegedMode']) }}) as privileged_mode,
        {{ soc2.json_value('environment', ['EnvironmentVariables']) }} as environment_variables,
        upper({{ soc2.json_text('source', ['Type']) }}) as source_type,
        {{ soc2.json_text('source', ['Location']) }} as source_location,
        upper({{ soc2.json_text('source', ['Auth', 'Type']) }}) as source_auth_type,
        secondary_sources,
        upper({{ soc2.json_text('logs_config', ['CloudWatchLogs', 'Status']) }}) as cloudwatch_logs_status,
        upper({{ soc2.json_text('logs_config', ['S3Logs', 'Status']) }}) as s3_logs_status,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
