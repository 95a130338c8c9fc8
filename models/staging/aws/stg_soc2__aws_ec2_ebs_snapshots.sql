-- One row per entity of CloudQuery's aws_ec2_ebs_snapshots, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_ebs_snapshots',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        snapshot_id,
        volume_id,
        owner_id,
        encrypted,
        kms_key_id,
        state,
        start_time,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
