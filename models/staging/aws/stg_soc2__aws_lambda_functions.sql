-- One row per entity of CloudQuery's aws_lambda_functions, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_lambda_functions',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        configuration,
        policy_document,
        concurrency,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
