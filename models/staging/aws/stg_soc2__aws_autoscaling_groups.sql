-- One row per entity of CloudQuery's aws_autoscaling_groups, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_autoscaling_groups',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        auto_scaling_group_name,
        {{ soc2.text_array_to_json('availability_zones') }} as availability_zones,
        health_check_type,
        {{ soc2.text_array_to_json('load_balancer_names') }} as load_balancer_names,
        {{ soc2.text_array_to_json('target_group_arns') }} as target_group_arns,
        launch_configuration_name,
        launch_template,
        mixed_instances_policy,
        vpc_zone_identifier,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
