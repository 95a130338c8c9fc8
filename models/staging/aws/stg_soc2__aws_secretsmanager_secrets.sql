-- One row per entity of CloudQuery's aws_secretsmanager_secrets, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_secretsmanager_secrets',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        name,
        rotation_enabled,
        rotation_rules,
        rotation_lambda_arn,
        last_rotated_date,
        next_rotation_date,
        last_accessed_date,
        created_date,
        kms_key_id,
        policy,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
