-- One row per entity of CloudQuery's aws_lambda_runtimes, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_lambda_runtimes',
        natural_key=['name']) }}

),

renamed as (

    select
        name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
