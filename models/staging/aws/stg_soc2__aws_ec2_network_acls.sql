-- One row per entity of CloudQuery's aws_ec2_network_acls, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_network_acls',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        network_acl_id,
        vpc_id,
        is_default,
        entries,
        associations,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
