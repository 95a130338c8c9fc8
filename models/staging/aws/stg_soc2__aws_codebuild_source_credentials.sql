-- One row per CodeBuild source credential (per server type and region).
with source as (

    {{ soc2.cloudquery_source('aws_codebuild_source_credentials',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as source_credential_arn,
        upper(auth_type) as auth_type,
        upper(server_type) as server_type,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
