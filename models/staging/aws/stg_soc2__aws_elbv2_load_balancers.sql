-- One row per Application, Network or Gateway Load Balancer.
with source as (

    {{ soc2.cloudquery_source('aws_elbv2_load_balancers',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as load_balancer_arn,
        load_balancer_name,
        type as load_balancer_type,
        scheme,
        availability_zones,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
