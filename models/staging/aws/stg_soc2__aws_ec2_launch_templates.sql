-- One row per entity of CloudQuery's aws_ec2_launch_templates, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_launch_templates',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        launch_template_id,
        launch_template_name,
        default_version_number,
        latest_version_number,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
