-- One row per entity of CloudQuery's aws_ec2_eips, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_eips',
        natural_key=['account_id', 'region', 'allocation_id']) }}

),

renamed as (

    select
        account_id,
        region,
        tags,
        allocation_id,
        public_ip,
        association_id,
        instance_id,
        network_interface_id,
        domain,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
