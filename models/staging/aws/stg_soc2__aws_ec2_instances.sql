-- One row per entity of CloudQuery's aws_ec2_instances, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_instances',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        instance_id,
        vpc_id,
        subnet_id,
        public_ip_address,
        state,
        metadata_options,
        monitoring,
        ebs_optimized,
        instance_type,
        image_id,
        network_interfaces,
        security_groups,
        iam_instance_profile,
        enclave_options,
        launch_time,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
