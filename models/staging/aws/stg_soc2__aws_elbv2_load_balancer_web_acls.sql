-- One row per entity of CloudQuery's aws_elbv2_load_balancer_web_acls, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_elbv2_load_balancer_web_acls',
        natural_key=['load_balancer_arn', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        load_balancer_arn,
        arn,
        id,
        name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
