-- One row per entity of CloudQuery's aws_ec2_subnets, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_subnets',
        natural_key=['request_account_id', 'request_region', 'arn']) }}

),

renamed as (

    select
        request_account_id as account_id,
        request_region as region,
        request_account_id,
        request_region,
        arn,
        tags,
        subnet_id,
        vpc_id,
        owner_id,
        availability_zone,
        availability_zone_id,
        map_public_ip_on_launch,
        cidr_block,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
