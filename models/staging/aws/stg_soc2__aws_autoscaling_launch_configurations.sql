-- One row per entity of CloudQuery's aws_autoscaling_launch_configurations, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_autoscaling_launch_configurations',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        launch_configuration_name,
        associate_public_ip_address,
        metadata_options,
        instance_monitoring,
        ebs_optimized,
        user_data,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
