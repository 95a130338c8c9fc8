-- One row per entity of CloudQuery's aws_sagemaker_notebook_instances, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_sagemaker_notebook_instances',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        notebook_instance_name,
        direct_internet_access,
        subnet_id,
        kms_key_id,
        root_access,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
