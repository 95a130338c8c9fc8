-- One row per entity of CloudQuery's aws_rds_db_parameter_group_db_parameters, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_rds_db_parameter_group_db_parameters',
        natural_key=['db_parameter_group_arn', 'parameter_name']) }}

),

renamed as (

    select
        account_id,
        region,
        db_parameter_group_arn,
        parameter_name,
        parameter_value,
        source,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
