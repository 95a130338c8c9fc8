-- One row per entity of CloudQuery's aws_ec2_network_interfaces, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_network_interfaces',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        network_interface_id,
        vpc_id,
        subnet_id,
        interface_type,
        status,
        groups,
        association,
        attachment,
        requester_managed,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
