-- One row per entity of CloudQuery's aws_dax_clusters, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_dax_clusters',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        cluster_name,
        sse_description,
        cluster_endpoint_encryption_type,
        total_nodes,
        nodes,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
