-- One row per entity of CloudQuery's aws_sagemaker_endpoint_configurations, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_sagemaker_endpoint_configurations',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        endpoint_config_name,
        kms_key_id,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
