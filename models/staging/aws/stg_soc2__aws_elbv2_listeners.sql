-- One row per entity of CloudQuery's aws_elbv2_listeners, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_elbv2_listeners',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        load_balancer_arn,
        port,
        protocol,
        ssl_policy,
        default_actions,
        certificates,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
