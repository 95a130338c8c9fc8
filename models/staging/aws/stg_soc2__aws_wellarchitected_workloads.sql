-- One row per Well-Architected workload.
with source as (

    {{ soc2.cloudquery_source('aws_wellarchitected_workloads',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as workload_arn,
        workload_name,
        cast({{ soc2.json_text('risk_counts', ['HIGH']) }} as {{ dbt.type_bigint() }}) as high_risk_count,
        cast({{ soc2.json_text('risk_counts', ['MEDIUM']) }} as {{ dbt.type_bigint() }}) as medium_risk_count,
        improvement_status,
        updated_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
