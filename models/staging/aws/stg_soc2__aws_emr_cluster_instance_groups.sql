-- One row per entity of CloudQuery's aws_emr_cluster_instance_groups, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_emr_cluster_instance_groups',
        natural_key=['cluster_arn', 'id']) }}

),

renamed as (

    select
        account_id,
        region,
        cluster_arn,
        id,
        instance_group_type,
        running_instance_count,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
