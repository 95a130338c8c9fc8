-- One row per entity of CloudQuery's aws_ec2_ebs_snapshot_attributes, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_ebs_snapshot_attributes',
        natural_key=['snapshot_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        snapshot_arn,
        snapshot_id,
        create_volume_permissions,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
