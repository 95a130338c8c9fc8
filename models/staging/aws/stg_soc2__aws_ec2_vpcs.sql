-- One row per VPC.
with source as (

    {{ soc2.cloudquery_source('aws_ec2_vpcs',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as vpc_arn,
        vpc_id,
        coalesce(is_default, false) as is_default,
        cidr_block,
        state as vpc_state,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
