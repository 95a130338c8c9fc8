-- One row per entity of CloudQuery's aws_ec2_instance_types, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_instance_types',
        natural_key=['account_id', 'region', 'instance_type']) }}

),

renamed as (

    select
        account_id,
        region,
        instance_type,
        ebs_info,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
