-- One row per entity of CloudQuery's aws_ssm_instances, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ssm_instances',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        instance_id,
        ping_status,
        last_ping_date_time,
        resource_type,
        platform_type,
        agent_version,
        is_latest_version,
        association_status,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
