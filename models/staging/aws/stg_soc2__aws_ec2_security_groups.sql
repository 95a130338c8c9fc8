-- One row per entity of CloudQuery's aws_ec2_security_groups, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_security_groups',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        description,
        group_id,
        group_name,
        ip_permissions,
        ip_permissions_egress,
        owner_id,
        vpc_id,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
