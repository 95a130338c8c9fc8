-- One row per entity of CloudQuery's aws_transfer_servers, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_transfer_servers',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        server_id,
        {{ soc2.text_array_to_json('protocols') }} as protocols,
        endpoint_type,
        security_policy_name,
        state,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
