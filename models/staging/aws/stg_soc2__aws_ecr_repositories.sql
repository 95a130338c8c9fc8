-- One row per entity of CloudQuery's aws_ecr_repositories, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ecr_repositories',
        natural_key=['arn', 'registry_id']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        registry_id,
        repository_name,
        image_scanning_configuration,
        image_tag_mutability,
        encryption_configuration,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
