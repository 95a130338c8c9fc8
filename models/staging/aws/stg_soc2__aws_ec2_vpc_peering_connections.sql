-- One row per entity of CloudQuery's aws_ec2_vpc_peering_connections, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_vpc_peering_connections',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        vpc_peering_connection_id,
        accepter_vpc_info,
        requester_vpc_info,
        status,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
