-- One row per entity of CloudQuery's aws_ec2_ebs_volumes, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_ebs_volumes',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        attachments,
        availability_zone,
        create_time,
        encrypted,
        fast_restored,
        iops,
        kms_key_id,
        multi_attach_enabled,
        outpost_arn,
        size,
        snapshot_id,
        sse_type,
        state,
        throughput,
        volume_id,
        volume_type,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
