-- One row per Athena workgroup.
with source as (

    {{ soc2.cloudquery_source('aws_athena_work_groups',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as work_group_arn,
        name as work_group_name,
        state as work_group_state,
        lower({{ soc2.json_text(
            'configuration', ['PublishCloudWatchMetricsEnabled']) }}) as publish_cloudwatch_metrics,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
