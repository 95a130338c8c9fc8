-- One row per entity of CloudQuery's aws_kafka_clusters, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_kafka_clusters',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        arn,
        tags,
        cluster_name,
        cluster_type,
        state,
        provisioned,
        serverless,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
