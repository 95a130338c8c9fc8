-- One row per active EMR cluster with its Kerberos settings.
with source as (

    {{ soc2.cloudquery_source('aws_emr_clusters',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as cluster_arn,
        id as cluster_id,
        name as cluster_name,
        nullif({{ soc2.json_text('kerberos_attributes', ['Realm']) }}, '') as kerberos_realm,
        nullif(security_configuration, '') as security_configuration_name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
