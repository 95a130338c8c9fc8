-- One row per entity of CloudQuery's aws_sagemaker_training_jobs, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_sagemaker_training_jobs',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        training_job_name,
        output_data_config,
        resource_config,
        enable_inter_container_traffic_encryption,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
