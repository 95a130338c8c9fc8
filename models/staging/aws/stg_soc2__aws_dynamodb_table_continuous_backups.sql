-- One row per entity of CloudQuery's aws_dynamodb_table_continuous_backups, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_dynamodb_table_continuous_backups',
        natural_key=['table_arn']) }}

),

renamed as (

    select
        account_id,
        region,
        table_arn,
        continuous_backups_status,
        point_in_time_recovery_description,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
