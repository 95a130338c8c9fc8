-- One row per entity of CloudQuery's aws_emr_cluster_instances, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_emr_cluster_instances',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        id,
        ec2_instance_id,
        instance_group_id,
        instance_fleet_id,
        public_ip_address,
        public_dns_name,
        status,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
