-- Service authentication controls: RDS instances and clusters use IAM
-- database authentication (where the engine supports it), and EMR clusters
-- authenticate with Kerberos (the cluster's Kerberos attributes, or else its
-- named security configuration). An RDS instance that belongs to a cluster
-- is decided on the cluster.
{% call soc2.control_family() %}
with rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_clusters as (

    select * from {{ ref('stg_soc2__aws_rds_clusters') }}

),

emr_clusters as (

    select * from {{ ref('stg_soc2__aws_emr_clusters') }}

),

emr_security_configurations as (

    select * from {{ ref('stg_soc2__aws_emr_security_configurations') }}

),

rds_databases as (

    select
        account_id,
        region,
        'aws_rds_db_instance' as resource_type,
        db_instance_arn as resource_arn,
        db_instance_identifier as identifier,
        db_cluster_identifier,
        engine,
        iam_database_authentication_enabled,
        source_relation,
        synced_at
    from rds_instances
    union all
    select
        account_id,
        region,
        'aws_rds_db_cluster' as resource_type,
        db_cluster_arn as resource_arn,
        db_cluster_identifier as identifier,
        cast(null as {{ dbt.type_string() }}) as db_cluster_identifier,
        engine,
        iam_database_authentication_enabled,
        source_relation,
        synced_at
    from rds_clusters

),

rds_iam_authentication as (

    select
        'aws_rds_iam_authentication' as control_id,
        account_id,
        region,
        resource_type,
        resource_arn as resource_id,
        case
            when db_cluster_identifier is not null then 'not_applicable'
            when not (
                engine like 'mysql%' or engine like 'mariadb%' or engine like 'postgres%'
                or engine like 'aurora%'
            ) then 'not_applicable'
            when iam_database_authentication_enabled then 'pass'
            else 'fail'
        end as status,
        case
            when db_cluster_identifier is not null
                then 'the instance belongs to cluster ' || db_cluster_identifier
                || ', where IAM database authentication is evaluated'
            when not (
                engine like 'mysql%' or engine like 'mariadb%' or engine like 'postgres%'
                or engine like 'aurora%'
            ) then 'engine ' || coalesce(engine, 'unknown') || ' does not support IAM database authentication'
            when iam_database_authentication_enabled
                then 'IAM database authentication is on'
            else identifier || ' (' || engine
                || ') does not use IAM database authentication; enable it so that database logins follow IAM identities and policies'
        end as reason,
        'engine=' || coalesce(engine, 'null') || '; iam_database_authentication_enabled='
        || case
            when iam_database_authentication_enabled then 'true'
            when not iam_database_authentication_enabled then 'false'
            else 'null'
        end as evidence,
        source_relation,
        synced_at
    from rds_databases

),

rds_iam_authentication_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_rds_iam_authentication',
        ['aws_rds_instances', 'aws_rds_clusters']) }}

),

emr_kerberos_state as (

    select
        emr_clusters.*,
        emr_security_configurations.security_configuration_name is not null as has_known_configuration,
        emr_security_configurations.kerberos_provider
    from emr_clusters
    left join emr_security_configurations
        on emr_clusters.account_id = emr_security_configurations.account_id
        and emr_clusters.region = emr_security_configurations.region
        and emr_clusters.security_configuration_name = emr_security_configurations.security_configuration_name

),

emr_kerberos_enabled as (

    select
        'aws_emr_kerberos_enabled' as control_id,
        account_id,
        region,
        'aws_emr_cluster' as resource_type,
        cluster_arn as resource_id,
        case
            when kerberos_realm is not null or kerberos_provider is not null then 'pass'
            when security_configuration_name is not null and not has_known_configuration
                then 'not_evaluated'
            else 'fail'
        end as status,
        case
            when kerberos_realm is not null
                then 'the cluster authenticates with Kerberos (realm ' || kerberos_realm || ')'
            when kerberos_provider is not null
                then 'the security configuration ' || security_configuration_name
                || ' sets up Kerberos authentication (' || kerberos_provider || ')'
            when security_configuration_name is not null and not has_known_configuration
                then 'the cluster has no Kerberos attributes and its security configuration '
                || security_configuration_name || ' is not in aws_emr_security_configurations'
            else 'EMR cluster ' || cluster_name
                || ' does not use Kerberos authentication; launch it with a security configuration that enables Kerberos'
        end as reason,
        'realm=' || coalesce(kerberos_realm, 'null')
        || '; security_configuration=' || coalesce(security_configuration_name, 'none')
        || '; kerberos_provider=' || coalesce(kerberos_provider, 'null') as evidence,
        source_relation,
        synced_at
    from emr_kerberos_state

),

final as (

    select * from rds_iam_authentication
    union all
    select * from rds_iam_authentication_unavailable
    union all
    select * from emr_kerberos_enabled

)

select * from final
{% endcall %}
