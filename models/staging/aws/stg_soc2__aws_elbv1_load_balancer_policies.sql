-- One row per entity of CloudQuery's aws_elbv1_load_balancer_policies, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_elbv1_load_balancer_policies',
        natural_key=['load_balancer_arn', 'policy_name']) }}

),

renamed as (

    select
        account_id,
        region,
        load_balancer_arn,
        load_balancer_name,
        policy_name,
        policy_type_name,
        policy_attribute_descriptions,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
