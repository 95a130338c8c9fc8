-- One row per entity of CloudQuery's aws_rds_db_parameter_groups, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_rds_db_parameter_groups',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        db_parameter_group_name,
        db_parameter_group_family,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
