-- One row per IAM Access Analyzer analyzer.
with source as (

    {{ soc2.cloudquery_source('aws_accessanalyzer_analyzers',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as analyzer_arn,
        name as analyzer_name,
        upper(status) as analyzer_status,
        upper(type) as analyzer_type,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
