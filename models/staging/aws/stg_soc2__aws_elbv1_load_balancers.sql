-- One row per Classic Load Balancer with its access log setting.
with source as (

    {{ soc2.cloudquery_source('aws_elbv1_load_balancers',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as load_balancer_arn,
        load_balancer_name,
        scheme,
        lower({{ soc2.json_text('attributes', ['AccessLog', 'Enabled']) }}) as access_log_enabled,
        {{ soc2.json_text('attributes', ['AccessLog', 'S3BucketName']) }} as access_log_bucket,
        listener_descriptions,
        {{ soc2.text_array_to_json('availability_zones') }} as availability_zones,
        lower({{ soc2.json_text('attributes', ['CrossZoneLoadBalancing', 'Enabled']) }}) as cross_zone_enabled,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
