-- One row per entity of CloudQuery's aws_ssm_instance_compliance_items, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ssm_instance_compliance_items',
        natural_key=['id', 'instance_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        instance_arn,
        id,
        resource_id,
        compliance_type,
        status,
        severity,
        title,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
