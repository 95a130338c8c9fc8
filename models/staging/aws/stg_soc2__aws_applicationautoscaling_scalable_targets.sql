-- One row per entity of CloudQuery's aws_applicationautoscaling_scalable_targets, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_applicationautoscaling_scalable_targets',
        natural_key=['account_id', 'region', 'resource_id']) }}

),

renamed as (

    select
        account_id,
        region,
        service_namespace,
        resource_id,
        scalable_dimension,
        min_capacity,
        max_capacity,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
