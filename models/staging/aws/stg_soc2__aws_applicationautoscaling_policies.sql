-- One row per entity of CloudQuery's aws_applicationautoscaling_policies, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_applicationautoscaling_policies',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        service_namespace,
        resource_id,
        scalable_dimension,
        policy_type,
        policy_name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
