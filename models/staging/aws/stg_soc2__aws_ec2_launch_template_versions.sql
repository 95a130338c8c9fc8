-- One row per entity of CloudQuery's aws_ec2_launch_template_versions, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_launch_template_versions',
        natural_key=['arn', 'version_number']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        version_number,
        default_version,
        launch_template_id,
        launch_template_data,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
