-- One row per attribute of an Application, Network or Gateway Load Balancer.
with source as (

    {{ soc2.cloudquery_source('aws_elbv2_load_balancer_attributes',
        natural_key=['load_balancer_arn', 'key']) }}

),

renamed as (

    select
        account_id,
        region,
        load_balancer_arn,
        {{ adapter.quote("key") }} as attribute_key,
        {{ adapter.quote("value") }} as attribute_value,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
