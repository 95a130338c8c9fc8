-- One row per IAM role and AWS service: when the role last authenticated to it
-- (IAM access advisor, GenerateServiceLastAccessedDetails).
with source as (

    {{ soc2.cloudquery_source('aws_iam_role_last_accessed_details',
        natural_key=['account_id', 'role_arn', 'service_namespace']) }}

),

renamed as (

    select
        account_id,
        role_arn,
        service_namespace,
        service_name,
        last_authenticated as last_authenticated_at,
        last_authenticated_entity as last_authenticated_entity_arn,
        last_authenticated_region,
        total_authenticated_entities as authenticated_entity_count,
        tracked_actions_last_accessed,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
