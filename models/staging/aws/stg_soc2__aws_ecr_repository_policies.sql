-- One row per entity of CloudQuery's aws_ecr_repository_policies, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ecr_repository_policies',
        natural_key=['repository_arn', 'registry_id']) }}

),

renamed as (

    select
        account_id,
        region,
        repository_arn,
        registry_id,
        repository_name,
        policy_json,
        policy_text,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
