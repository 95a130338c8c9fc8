-- One row per entity of CloudQuery's aws_ec2_route_tables, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_route_tables',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        route_table_id,
        vpc_id,
        routes,
        associations,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
