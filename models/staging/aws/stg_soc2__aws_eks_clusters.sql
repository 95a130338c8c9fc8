-- One row per EKS cluster with its control-plane logging configuration.
with source as (

    {{ soc2.cloudquery_source('aws_eks_clusters',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as cluster_arn,
        name as cluster_name,
        version as kubernetes_version,
        {{ soc2.json_value('logging', ['ClusterLogging']) }} as cluster_logging,
        resources_vpc_config,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
