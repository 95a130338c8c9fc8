-- One row per entity of CloudQuery's aws_redshift_cluster_parameters, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_redshift_cluster_parameters',
        natural_key=['cluster_arn', 'parameter_name']) }}

),

renamed as (

    select
        account_id,
        region,
        cluster_arn,
        parameter_name,
        parameter_value,
        source,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
