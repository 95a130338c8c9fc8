-- Resilience controls: database backups and their retention (RDS, DynamoDB
-- point-in-time recovery, Redshift, ElastiCache, DocumentDB, Neptune, tags
-- copied to snapshots), high availability (RDS Multi-AZ, load balancers in
-- several zones with cross-zone balancing, other data services deployed
-- across zones), deletion protection, DynamoDB auto scaling and automatic
-- minor version upgrades. Every check first builds one fact row per resource
-- (verdict true, false, or null when the sync did not record the deciding
-- column) in `checks`; `final` turns it into the contract's status and reason.
-- RDS clusters with engine docdb or neptune are decided from their own
-- tables; RDS instances of a cluster are decided on the cluster
-- (not_applicable). A control whose catalog group lists alternatives adds one
-- not_evaluated row per unavailable alternative (soc2.unavailable_alternative_rows).
{% call soc2.control_family() %}
{%- set db_min_days = var('soc2_db_backup_min_retention_days', 7) | int -%}
{%- set cache_min_days = var('soc2_elasticache_snapshot_min_retention_days', 15) | int -%}
with rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_clusters as (

    select * from {{ ref('stg_soc2__aws_rds_clusters') }}
    where engine not in ('docdb', 'neptune')

),

dynamodb_tables as (

    select * from {{ ref('stg_soc2__aws_dynamodb_tables') }}

),

continuous_backups as (

    select * from {{ ref('stg_soc2__aws_dynamodb_table_continuous_backups') }}

),

redshift_clusters as (

    select * from {{ ref('stg_soc2__aws_redshift_clusters') }}

),

replication_groups as (

    select * from {{ ref('stg_soc2__aws_elasticache_replication_groups') }}

),

cache_clusters as (

    select * from {{ ref('stg_soc2__aws_elasticache_clusters') }}

),

docdb_clusters as (

    select * from {{ ref('stg_soc2__aws_docdb_clusters') }}

),

neptune_clusters as (

    select * from {{ ref('stg_soc2__aws_neptune_clusters') }}

),

v2_load_balancers as (

    select * from {{ ref('stg_soc2__aws_elbv2_load_balancers') }}

),

v2_load_balancer_attributes as (

    select * from {{ ref('stg_soc2__aws_elbv2_load_balancer_attributes') }}

),

classic_load_balancers as (

    select * from {{ ref('stg_soc2__aws_elbv1_load_balancers') }}

),

dms_instances as (

    select * from {{ ref('stg_soc2__aws_dms_replication_instances') }}

),

search_domains as (

    select * from {{ ref('stg_soc2__aws_elasticsearch_domains') }}

),

efs_filesystems as (

    select * from {{ ref('stg_soc2__aws_efs_filesystems') }}

),

fsx_file_systems as (

    select * from {{ ref('stg_soc2__aws_fsx_file_systems') }}

),

network_firewalls as (

    select * from {{ ref('stg_soc2__aws_networkfirewall_firewalls') }}

),

cloudformation_stacks as (

    select * from {{ ref('stg_soc2__aws_cloudformation_stacks') }}

),

scalable_targets as (

    select * from {{ ref('stg_soc2__aws_applicationautoscaling_scalable_targets') }}

),

scaling_policies as (

    select * from {{ ref('stg_soc2__aws_applicationautoscaling_policies') }}

),

mq_brokers as (

    select * from {{ ref('stg_soc2__aws_mq_brokers') }}

),

-- Shared shapes ----------------------------------------------------------------

standalone_rds_instances as (

    select
        rds_instances.*,
        case
            when db_cluster_identifier is not null
                then 'instance of cluster ' || db_cluster_identifier || ', decided on the cluster'
        end as cluster_member_reason
    from rds_instances

),

v2_attribute_values as (

    select
        load_balancer_arn,
        count(*) as attribute_count,
        max(case when attribute_key = 'deletion_protection.enabled' then lower(attribute_value) end)
            as deletion_protection_enabled,
        max(case when attribute_key = 'load_balancing.cross_zone.enabled' then lower(attribute_value) end)
            as cross_zone_enabled
    from v2_load_balancer_attributes
    group by load_balancer_arn

),

v2_zones as (

    select
        v2_load_balancers.load_balancer_arn,
        count(zone_rows.zone_name) as zone_count
    from v2_load_balancers
    left join (
        select
            v2_load_balancers.load_balancer_arn,
            {{ soc2.json_text('availability_zone', ['ZoneName']) }} as zone_name
        from v2_load_balancers
        {{ soc2.unnest_lateral(soc2.json_as_array('v2_load_balancers.availability_zones'),
            'availability_zone', 'zone_index', 'zones') }}
    ) as zone_rows
        on v2_load_balancers.load_balancer_arn = zone_rows.load_balancer_arn
    where v2_load_balancers.availability_zones is not null
    group by v2_load_balancers.load_balancer_arn

),

classic_zones as (

    select
        classic_load_balancers.load_balancer_arn,
        count(*) as zone_count
    from classic_load_balancers
    {{ soc2.unnest_lateral(soc2.json_as_array('classic_load_balancers.availability_zones'),
        'availability_zone', 'zone_index', 'zones') }}
    group by classic_load_balancers.load_balancer_arn

),

{#- CloudQuery keys scalable targets by account, region and resource id (one
    row per table), so the read and write dimensions are told apart by the
    scaling policies, which are keyed by their ARN. #}
dynamodb_scaling as (

    select
        scalable_targets.account_id,
        scalable_targets.region,
        scalable_targets.resource_id,
        max(case when scaling_policies.scalable_dimension = 'dynamodb:table:ReadCapacityUnits'
            then 1 else 0 end) as read_scaled,
        max(case when scaling_policies.scalable_dimension = 'dynamodb:table:WriteCapacityUnits'
            then 1 else 0 end) as write_scaled
    from scalable_targets
    left join scaling_policies
        on scalable_targets.account_id = scaling_policies.account_id
        and scalable_targets.region = scaling_policies.region
        and scalable_targets.resource_id = scaling_policies.resource_id
        and scaling_policies.service_namespace = 'dynamodb'
    where scalable_targets.service_namespace = 'dynamodb'
    group by scalable_targets.account_id, scalable_targets.region, scalable_targets.resource_id

),

fsx_deployment as (

    select
        fsx_file_systems.*,
        upper(coalesce(
            {{ soc2.json_text('windows_configuration', ['DeploymentType']) }},
            {{ soc2.json_text('ontap_configuration', ['DeploymentType']) }},
            {{ soc2.json_text('open_zfs_configuration', ['DeploymentType']) }},
            {{ soc2.json_text('lustre_configuration', ['DeploymentType']) }}
        )) as deployment_type
    from fsx_file_systems

),

-- One fact row per control and resource -------------------------------------

checks as (

    -- RDS automated backups
    select
        'aws_rds_automated_backups' as control_id,
        account_id,
        region,
        'aws_rds_db_instance' as resource_type,
        db_instance_arn as resource_id,
        backup_retention_period >= {{ db_min_days }} as verdict,
        'instance ' || db_instance_identifier || ' keeps automated backups '
        || cast(backup_retention_period as {{ dbt.type_string() }}) || ' days' as pass_reason,
        'instance ' || db_instance_identifier || ' keeps automated backups '
        || cast(backup_retention_period as {{ dbt.type_string() }})
        || ' days (0 = off), under {{ db_min_days }} (var soc2_db_backup_min_retention_days); raise its backup retention period'
            as fail_reason,
        'backup_retention_period' as deciding_column,
        cluster_member_reason as not_applicable_reason,
        'BackupRetentionPeriod=' || coalesce(cast(backup_retention_period as {{ dbt.type_string() }}), 'null') as evidence,
        source_relation,
        synced_at
    from standalone_rds_instances
    union all
    select
        'aws_rds_automated_backups',
        account_id,
        region,
        'aws_rds_db_cluster',
        db_cluster_arn,
        backup_retention_period >= {{ db_min_days }},
        'cluster ' || db_cluster_identifier || ' keeps automated backups '
        || cast(backup_retention_period as {{ dbt.type_string() }}) || ' days',
        'cluster ' || db_cluster_identifier || ' keeps automated backups '
        || cast(backup_retention_period as {{ dbt.type_string() }})
        || ' days, under {{ db_min_days }} (var soc2_db_backup_min_retention_days); raise its backup retention period',
        'backup_retention_period',
        cast(null as {{ dbt.type_string() }}),
        'BackupRetentionPeriod=' || coalesce(cast(backup_retention_period as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from rds_clusters
    union all
    -- DynamoDB point-in-time recovery
    select
        'aws_dynamodb_pitr',
        dynamodb_tables.account_id,
        dynamodb_tables.region,
        'aws_dynamodb_table',
        dynamodb_tables.arn,
        case
            when continuous_backups.table_arn is not null
                then upper(coalesce({{ soc2.json_text('continuous_backups.point_in_time_recovery_description',
                    ['PointInTimeRecoveryStatus']) }}, '')) = 'ENABLED'
        end,
        'table ' || dynamodb_tables.table_name || ' has point-in-time recovery on',
        'table ' || dynamodb_tables.table_name || ' has point-in-time recovery off; turn it on (UpdateContinuousBackups)',
        'its continuous backups (no aws_dynamodb_table_continuous_backups row)',
        cast(null as {{ dbt.type_string() }}),
        'PointInTimeRecoveryStatus=' || coalesce({{ soc2.json_text('continuous_backups.point_in_time_recovery_description',
            ['PointInTimeRecoveryStatus']) }}, 'null'),
        dynamodb_tables.source_relation,
        dynamodb_tables.synced_at
    from dynamodb_tables
    left join continuous_backups
        on dynamodb_tables.arn = continuous_backups.table_arn
    union all
    -- Redshift automated snapshots
    select
        'aws_redshift_automated_snapshots',
        account_id,
        region,
        'aws_redshift_cluster',
        cluster_arn,
        automated_snapshot_retention_period >= {{ db_min_days }},
        'cluster ' || cluster_identifier || ' keeps automated snapshots '
        || cast(automated_snapshot_retention_period as {{ dbt.type_string() }}) || ' days',
        'cluster ' || cluster_identifier || ' keeps automated snapshots '
        || cast(automated_snapshot_retention_period as {{ dbt.type_string() }})
        || ' days (0 = off), under {{ db_min_days }} (var soc2_db_backup_min_retention_days); raise its automated snapshot retention',
        'automated_snapshot_retention_period',
        cast(null as {{ dbt.type_string() }}),
        'AutomatedSnapshotRetentionPeriod=' || coalesce(cast(automated_snapshot_retention_period as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from redshift_clusters
    union all
    -- ElastiCache (Redis/Valkey) automatic backups
    select
        'aws_elasticache_backups',
        account_id,
        region,
        'aws_elasticache_replication_group',
        arn,
        snapshot_retention_limit >= {{ cache_min_days }},
        'replication group ' || replication_group_id || ' keeps automatic snapshots '
        || cast(snapshot_retention_limit as {{ dbt.type_string() }}) || ' days',
        'replication group ' || replication_group_id || ' keeps automatic snapshots '
        || cast(snapshot_retention_limit as {{ dbt.type_string() }})
        || ' days (0 = off), under {{ cache_min_days }} (var soc2_elasticache_snapshot_min_retention_days); raise its snapshot retention limit',
        'snapshot_retention_limit',
        cast(null as {{ dbt.type_string() }}),
        'SnapshotRetentionLimit=' || coalesce(cast(snapshot_retention_limit as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from replication_groups
    union all
    select
        'aws_elasticache_backups',
        account_id,
        region,
        'aws_elasticache_cluster',
        arn,
        snapshot_retention_limit >= {{ cache_min_days }},
        'cache cluster ' || cache_cluster_id || ' keeps automatic snapshots '
        || cast(snapshot_retention_limit as {{ dbt.type_string() }}) || ' days',
        'cache cluster ' || cache_cluster_id || ' keeps automatic snapshots '
        || cast(snapshot_retention_limit as {{ dbt.type_string() }})
        || ' days (0 = off), under {{ cache_min_days }} (var soc2_elasticache_snapshot_min_retention_days); raise its snapshot retention limit',
        'snapshot_retention_limit',
        case
            when replication_group_id is not null
                then 'member of replication group ' || replication_group_id || ', decided on the group'
            when lower(coalesce(engine, '')) not in ('redis', 'valkey')
                then 'engine ' || coalesce(engine, 'unknown') || ' has no automatic backups'
        end,
        'SnapshotRetentionLimit=' || coalesce(cast(snapshot_retention_limit as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from cache_clusters
    union all
    -- DocumentDB and Neptune backup retention
    select
        'aws_other_db_backups',
        account_id,
        region,
        'aws_docdb_cluster',
        arn,
        backup_retention_period >= {{ db_min_days }},
        'DocumentDB cluster ' || db_cluster_identifier || ' keeps backups '
        || cast(backup_retention_period as {{ dbt.type_string() }}) || ' days',
        'DocumentDB cluster ' || db_cluster_identifier || ' keeps backups '
        || cast(backup_retention_period as {{ dbt.type_string() }})
        || ' days, under {{ db_min_days }} (var soc2_db_backup_min_retention_days); raise its backup retention period',
        'backup_retention_period',
        cast(null as {{ dbt.type_string() }}),
        'BackupRetentionPeriod=' || coalesce(cast(backup_retention_period as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from docdb_clusters
    union all
    select
        'aws_other_db_backups',
        account_id,
        region,
        'aws_neptune_cluster',
        arn,
        backup_retention_period >= {{ db_min_days }},
        'Neptune cluster ' || db_cluster_identifier || ' keeps backups '
        || cast(backup_retention_period as {{ dbt.type_string() }}) || ' days',
        'Neptune cluster ' || db_cluster_identifier || ' keeps backups '
        || cast(backup_retention_period as {{ dbt.type_string() }})
        || ' days, under {{ db_min_days }} (var soc2_db_backup_min_retention_days); raise its backup retention period',
        'backup_retention_period',
        cast(null as {{ dbt.type_string() }}),
        'BackupRetentionPeriod=' || coalesce(cast(backup_retention_period as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from neptune_clusters
    union all
    -- Tags copied to snapshots
    select
        'aws_copy_tags_to_snapshots',
        account_id,
        region,
        'aws_rds_db_instance',
        db_instance_arn,
        copy_tags_to_snapshot,
        'instance ' || db_instance_identifier || ' copies its tags to snapshots',
        'instance ' || db_instance_identifier || ' does not copy its tags to snapshots; turn on CopyTagsToSnapshot',
        'copy_tags_to_snapshot',
        cluster_member_reason,
        'CopyTagsToSnapshot=' || coalesce(cast(copy_tags_to_snapshot as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from standalone_rds_instances
    union all
    select
        'aws_copy_tags_to_snapshots',
        account_id,
        region,
        'aws_rds_db_cluster',
        db_cluster_arn,
        copy_tags_to_snapshot,
        'cluster ' || db_cluster_identifier || ' copies its tags to snapshots',
        'cluster ' || db_cluster_identifier || ' does not copy its tags to snapshots; turn on CopyTagsToSnapshot',
        'copy_tags_to_snapshot',
        cast(null as {{ dbt.type_string() }}),
        'CopyTagsToSnapshot=' || coalesce(cast(copy_tags_to_snapshot as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from rds_clusters
    union all
    select
        'aws_copy_tags_to_snapshots',
        account_id,
        region,
        'aws_neptune_cluster',
        arn,
        copy_tags_to_snapshot,
        'Neptune cluster ' || db_cluster_identifier || ' copies its tags to snapshots',
        'Neptune cluster ' || db_cluster_identifier || ' does not copy its tags to snapshots; turn on CopyTagsToSnapshot',
        'copy_tags_to_snapshot',
        cast(null as {{ dbt.type_string() }}),
        'CopyTagsToSnapshot=' || coalesce(cast(copy_tags_to_snapshot as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from neptune_clusters
    union all
    -- RDS Multi-AZ
    select
        'aws_rds_multi_az',
        account_id,
        region,
        'aws_rds_db_instance',
        db_instance_arn,
        multi_az,
        'instance ' || db_instance_identifier || ' is a Multi-AZ deployment',
        'instance ' || db_instance_identifier || ' runs in one Availability Zone; convert it to a Multi-AZ deployment',
        'multi_az',
        cluster_member_reason,
        'MultiAZ=' || coalesce(cast(multi_az as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from standalone_rds_instances
    union all
    select
        'aws_rds_multi_az',
        account_id,
        region,
        'aws_rds_db_cluster',
        db_cluster_arn,
        multi_az,
        'cluster ' || db_cluster_identifier || ' has instances in more than one Availability Zone',
        'cluster ' || db_cluster_identifier || ' has all its instances in one Availability Zone; add a reader in another zone',
        'multi_az',
        cast(null as {{ dbt.type_string() }}),
        'MultiAZ=' || coalesce(cast(multi_az as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from rds_clusters
    union all
    -- Load balancers: several zones, cross-zone balancing
    select
        'aws_elb_multi_az_cross_zone__v2',
        v2_load_balancers.account_id,
        v2_load_balancers.region,
        'aws_elbv2_load_balancer',
        v2_load_balancers.load_balancer_arn,
        case
            when v2_zones.zone_count is null then cast(null as {{ dbt.type_boolean() }})
            when v2_load_balancers.load_balancer_type = 'application' then v2_zones.zone_count >= 2
            when v2_attribute_values.load_balancer_arn is null then cast(null as {{ dbt.type_boolean() }})
            else v2_zones.zone_count >= 2 and coalesce(v2_attribute_values.cross_zone_enabled, 'false') = 'true'
        end,
        v2_load_balancers.load_balancer_name || ' spans '
        || cast(v2_zones.zone_count as {{ dbt.type_string() }}) || ' Availability Zones with cross-zone load balancing',
        v2_load_balancers.load_balancer_name || ' spans '
        || coalesce(cast(v2_zones.zone_count as {{ dbt.type_string() }}), '?')
        || ' Availability Zone(s), cross-zone load balancing '
        || coalesce(v2_attribute_values.cross_zone_enabled, 'false')
        || '; enable it in at least two zones and (network, gateway) turn on load_balancing.cross_zone.enabled',
        case
            when v2_zones.zone_count is null then 'availability_zones'
            else 'its attributes (no aws_elbv2_load_balancer_attributes row)'
        end,
        cast(null as {{ dbt.type_string() }}),
        'zones=' || coalesce(cast(v2_zones.zone_count as {{ dbt.type_string() }}), 'null')
        || '; cross_zone=' || case
            when v2_load_balancers.load_balancer_type = 'application' then 'always'
            else coalesce(v2_attribute_values.cross_zone_enabled, 'null')
        end,
        v2_load_balancers.source_relation,
        v2_load_balancers.synced_at
    from v2_load_balancers
    left join v2_zones
        on v2_load_balancers.load_balancer_arn = v2_zones.load_balancer_arn
    left join v2_attribute_values
        on v2_load_balancers.load_balancer_arn = v2_attribute_values.load_balancer_arn
    union all
    select
        'aws_elb_multi_az_cross_zone__classic',
        classic_load_balancers.account_id,
        classic_load_balancers.region,
        'aws_elb_load_balancer',
        classic_load_balancers.load_balancer_arn,
        case
            when classic_load_balancers.availability_zones is null then cast(null as {{ dbt.type_boolean() }})
            else coalesce(classic_zones.zone_count, 0) >= 2
                and coalesce(classic_load_balancers.cross_zone_enabled, 'false') = 'true'
        end,
        classic_load_balancers.load_balancer_name || ' spans '
        || cast(classic_zones.zone_count as {{ dbt.type_string() }}) || ' Availability Zones with cross-zone load balancing',
        classic_load_balancers.load_balancer_name || ' spans '
        || coalesce(cast(classic_zones.zone_count as {{ dbt.type_string() }}), '0')
        || ' Availability Zone(s), cross-zone load balancing '
        || coalesce(classic_load_balancers.cross_zone_enabled, 'false')
        || '; enable it in at least two zones with cross-zone load balancing on',
        'availability_zones',
        cast(null as {{ dbt.type_string() }}),
        'zones=' || coalesce(cast(classic_zones.zone_count as {{ dbt.type_string() }}), 'null')
        || '; cross_zone=' || coalesce(classic_load_balancers.cross_zone_enabled, 'null'),
        classic_load_balancers.source_relation,
        classic_load_balancers.synced_at
    from classic_load_balancers
    left join classic_zones
        on classic_load_balancers.load_balancer_arn = classic_zones.load_balancer_arn
    union all
    -- Other data services across zones
    select
        'aws_other_ha_multi_az',
        account_id,
        region,
        'aws_elasticache_replication_group',
        arn,
        case
            when automatic_failover is null or multi_az is null then cast(null as {{ dbt.type_boolean() }})
            else lower(automatic_failover) = 'enabled' and lower(multi_az) = 'enabled'
        end,
        'replication group ' || replication_group_id || ' has automatic failover and Multi-AZ',
        'replication group ' || replication_group_id || ' has automatic failover ' || coalesce(automatic_failover, 'null')
        || ' and Multi-AZ ' || coalesce(multi_az, 'null') || '; turn both on (needs a replica in another zone)',
        'automatic_failover and multi_az',
        cast(null as {{ dbt.type_string() }}),
        'AutomaticFailover=' || coalesce(automatic_failover, 'null') || '; MultiAZ=' || coalesce(multi_az, 'null'),
        source_relation,
        synced_at
    from replication_groups
    union all
    select
        'aws_other_ha_multi_az',
        account_id,
        region,
        'aws_dms_replication_instance',
        arn,
        multi_az,
        'replication instance ' || replication_instance_identifier || ' is Multi-AZ',
        'replication instance ' || replication_instance_identifier || ' runs in one Availability Zone; turn on Multi-AZ',
        'multi_az',
        cast(null as {{ dbt.type_string() }}),
        'MultiAZ=' || coalesce(cast(multi_az as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from dms_instances
    union all
    select
        'aws_other_ha_multi_az',
        account_id,
        region,
        'aws_redshift_cluster',
        cluster_arn,
        case when multi_az is not null then lower(multi_az) = 'enabled' end,
        'cluster ' || cluster_identifier || ' is a Multi-AZ deployment',
        'cluster ' || cluster_identifier || ' runs in one Availability Zone (MultiAZ ' || coalesce(multi_az, 'null')
        || '); relocate it to a Multi-AZ deployment (RA3 node types)',
        'multi_az',
        cast(null as {{ dbt.type_string() }}),
        'MultiAZ=' || coalesce(multi_az, 'null'),
        source_relation,
        synced_at
    from redshift_clusters
    union all
    select
        'aws_other_ha_multi_az',
        account_id,
        region,
        'aws_opensearch_domain',
        domain_arn,
        case
            when elasticsearch_cluster_config is not null
                then lower(coalesce({{ soc2.json_text('elasticsearch_cluster_config', ['ZoneAwarenessEnabled']) }}, 'false')) = 'true'
                and lower(coalesce({{ soc2.json_text('elasticsearch_cluster_config', ['DedicatedMasterEnabled']) }}, 'false')) = 'true'
                and coalesce(cast({{ soc2.json_text('elasticsearch_cluster_config', ['DedicatedMasterCount']) }}
                    as {{ dbt.type_bigint() }}), 0) >= 3
        end,
        'domain ' || domain_name || ' has zone awareness and at least three dedicated master nodes',
        'domain ' || domain_name || ' lacks zone awareness or three dedicated master nodes'
        || ' (ZoneAwarenessEnabled ' || coalesce({{ soc2.json_text('elasticsearch_cluster_config', ['ZoneAwarenessEnabled']) }}, 'null')
        || ', DedicatedMasterCount ' || coalesce({{ soc2.json_text('elasticsearch_cluster_config', ['DedicatedMasterCount']) }}, 'null')
        || '); turn on zone awareness and three dedicated masters',
        'elasticsearch_cluster_config',
        cast(null as {{ dbt.type_string() }}),
        'ZoneAwarenessEnabled=' || coalesce({{ soc2.json_text('elasticsearch_cluster_config', ['ZoneAwarenessEnabled']) }}, 'null')
        || '; DedicatedMasterCount=' || coalesce({{ soc2.json_text('elasticsearch_cluster_config', ['DedicatedMasterCount']) }}, 'null'),
        source_relation,
        synced_at
    from search_domains
    union all
    select
        'aws_other_ha_multi_az',
        account_id,
        region,
        'aws_efs_file_system',
        arn,
        availability_zone_name is null,
        'file system ' || file_system_id || ' stores data across Availability Zones (Regional)',
        'file system ' || file_system_id || ' is One Zone (' || coalesce(availability_zone_name, '?')
        || '); use a Regional file system for data that must survive a zone outage',
        'availability_zone_name',
        cast(null as {{ dbt.type_string() }}),
        'AvailabilityZoneName=' || coalesce(availability_zone_name, 'none'),
        source_relation,
        synced_at
    from efs_filesystems
    union all
    select
        'aws_other_ha_multi_az',
        account_id,
        region,
        'aws_fsx_file_system',
        arn,
        case when deployment_type is not null then deployment_type like 'MULTI_AZ%' end,
        'file system ' || file_system_id || ' is deployed ' || coalesce(deployment_type, '?'),
        'file system ' || file_system_id || ' is deployed ' || coalesce(deployment_type, '?')
        || ' in one Availability Zone; use a Multi-AZ deployment type',
        'the deployment type',
        case
            when upper(coalesce(file_system_type, '')) = 'LUSTRE'
                then 'FSx for Lustre has no Multi-AZ deployment type'
        end,
        'DeploymentType=' || coalesce(deployment_type, 'null'),
        source_relation,
        synced_at
    from fsx_deployment
    union all
    -- Deletion protection
    select
        'aws_deletion_protection',
        account_id,
        region,
        'aws_rds_db_instance',
        db_instance_arn,
        deletion_protection,
        'instance ' || db_instance_identifier || ' has deletion protection on',
        'instance ' || db_instance_identifier || ' has deletion protection off; turn it on',
        'deletion_protection',
        cluster_member_reason,
        'DeletionProtection=' || coalesce(cast(deletion_protection as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from standalone_rds_instances
    union all
    select
        'aws_deletion_protection',
        account_id,
        region,
        'aws_rds_db_cluster',
        db_cluster_arn,
        deletion_protection,
        'cluster ' || db_cluster_identifier || ' has deletion protection on',
        'cluster ' || db_cluster_identifier || ' has deletion protection off; turn it on',
        'deletion_protection',
        cast(null as {{ dbt.type_string() }}),
        'DeletionProtection=' || coalesce(cast(deletion_protection as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from rds_clusters
    union all
    select
        'aws_deletion_protection',
        account_id,
        region,
        'aws_docdb_cluster',
        arn,
        deletion_protection,
        'DocumentDB cluster ' || db_cluster_identifier || ' has deletion protection on',
        'DocumentDB cluster ' || db_cluster_identifier || ' has deletion protection off; turn it on',
        'deletion_protection',
        cast(null as {{ dbt.type_string() }}),
        'DeletionProtection=' || coalesce(cast(deletion_protection as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from docdb_clusters
    union all
    select
        'aws_deletion_protection',
        account_id,
        region,
        'aws_neptune_cluster',
        arn,
        deletion_protection,
        'Neptune cluster ' || db_cluster_identifier || ' has deletion protection on',
        'Neptune cluster ' || db_cluster_identifier || ' has deletion protection off; turn it on',
        'deletion_protection',
        cast(null as {{ dbt.type_string() }}),
        'DeletionProtection=' || coalesce(cast(deletion_protection as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from neptune_clusters
    union all
    select
        'aws_deletion_protection',
        account_id,
        region,
        'aws_dynamodb_table',
        arn,
        deletion_protection_enabled,
        'table ' || table_name || ' has deletion protection on',
        'table ' || table_name || ' has deletion protection off; turn it on',
        'deletion_protection_enabled',
        cast(null as {{ dbt.type_string() }}),
        'DeletionProtectionEnabled=' || coalesce(cast(deletion_protection_enabled as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from dynamodb_tables
    union all
    select
        'aws_deletion_protection',
        v2_load_balancer_attributes.account_id,
        v2_load_balancer_attributes.region,
        'aws_elbv2_load_balancer',
        v2_load_balancer_attributes.load_balancer_arn,
        max(case
            when v2_load_balancer_attributes.attribute_key = 'deletion_protection.enabled'
                then lower(v2_load_balancer_attributes.attribute_value)
        end) = 'true',
        'load balancer ' || v2_load_balancer_attributes.load_balancer_arn || ' has deletion protection on',
        'load balancer ' || v2_load_balancer_attributes.load_balancer_arn
        || ' has deletion protection off (deletion_protection.enabled not true); turn it on',
        'deletion_protection.enabled',
        cast(null as {{ dbt.type_string() }}),
        'deletion_protection.enabled=' || coalesce(max(case
            when v2_load_balancer_attributes.attribute_key = 'deletion_protection.enabled'
                then lower(v2_load_balancer_attributes.attribute_value)
        end), 'absent'),
        max(v2_load_balancer_attributes.source_relation),
        max(v2_load_balancer_attributes.synced_at)
    from v2_load_balancer_attributes
    group by
        v2_load_balancer_attributes.account_id,
        v2_load_balancer_attributes.region,
        v2_load_balancer_attributes.load_balancer_arn
    union all
    select
        'aws_deletion_protection',
        account_id,
        region,
        'aws_networkfirewall_firewall',
        arn,
        delete_protection,
        'firewall ' || firewall_name || ' has delete protection on',
        'firewall ' || firewall_name || ' has delete protection off; turn it on',
        'delete_protection',
        cast(null as {{ dbt.type_string() }}),
        'DeleteProtection=' || coalesce(cast(delete_protection as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from network_firewalls
    union all
    select
        'aws_deletion_protection',
        account_id,
        region,
        'aws_cloudformation_stack',
        arn,
        enable_termination_protection,
        'stack ' || stack_name || ' has termination protection on',
        'stack ' || stack_name || ' has termination protection off; turn it on',
        'enable_termination_protection',
        case
            when upper(coalesce(stack_status, '')) = 'DELETE_COMPLETE' then 'the stack is deleted'
        end,
        'EnableTerminationProtection=' || coalesce(cast(enable_termination_protection as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from cloudformation_stacks
    union all
    -- DynamoDB auto scaling
    select
        'aws_dynamodb_autoscaling',
        dynamodb_tables.account_id,
        dynamodb_tables.region,
        'aws_dynamodb_table',
        dynamodb_tables.arn,
        upper(coalesce({{ soc2.json_text('dynamodb_tables.billing_mode_summary', ['BillingMode']) }}, 'PROVISIONED'))
        = 'PAY_PER_REQUEST'
        or (coalesce(dynamodb_scaling.read_scaled, 0) = 1 and coalesce(dynamodb_scaling.write_scaled, 0) = 1),
        'table ' || dynamodb_tables.table_name || case
            when upper(coalesce({{ soc2.json_text('dynamodb_tables.billing_mode_summary', ['BillingMode']) }}, ''))
                = 'PAY_PER_REQUEST' then ' is on-demand'
            else ' scales its read and write capacity with Application Auto Scaling'
        end,
        'table ' || dynamodb_tables.table_name
        || ' has provisioned capacity without read and write auto scaling policies; add scalable targets and policies, or switch to on-demand',
        'billing_mode_summary',
        cast(null as {{ dbt.type_string() }}),
        'BillingMode=' || coalesce({{ soc2.json_text('dynamodb_tables.billing_mode_summary', ['BillingMode']) }}, 'PROVISIONED')
        || '; read_scaled=' || cast(coalesce(dynamodb_scaling.read_scaled, 0) as {{ dbt.type_string() }})
        || '; write_scaled=' || cast(coalesce(dynamodb_scaling.write_scaled, 0) as {{ dbt.type_string() }}),
        dynamodb_tables.source_relation,
        dynamodb_tables.synced_at
    from dynamodb_tables
    left join dynamodb_scaling
        on dynamodb_tables.account_id = dynamodb_scaling.account_id
        and dynamodb_tables.region = dynamodb_scaling.region
        and 'table/' || dynamodb_tables.table_name = dynamodb_scaling.resource_id
    union all
    -- Automatic minor version upgrades
    select
        'aws_auto_minor_version_upgrade',
        account_id,
        region,
        'aws_rds_db_instance',
        db_instance_arn,
        auto_minor_version_upgrade,
        'instance ' || db_instance_identifier || ' applies minor engine upgrades automatically',
        'instance ' || db_instance_identifier || ' does not apply minor engine upgrades automatically; turn on AutoMinorVersionUpgrade',
        'auto_minor_version_upgrade',
        cast(null as {{ dbt.type_string() }}),
        'AutoMinorVersionUpgrade=' || coalesce(cast(auto_minor_version_upgrade as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from rds_instances
    union all
    select
        'aws_auto_minor_version_upgrade',
        account_id,
        region,
        'aws_elasticache_replication_group',
        arn,
        auto_minor_version_upgrade,
        'replication group ' || replication_group_id || ' applies minor engine upgrades automatically',
        'replication group ' || replication_group_id || ' does not apply minor engine upgrades automatically; turn on AutoMinorVersionUpgrade',
        'auto_minor_version_upgrade',
        cast(null as {{ dbt.type_string() }}),
        'AutoMinorVersionUpgrade=' || coalesce(cast(auto_minor_version_upgrade as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from replication_groups
    union all
    select
        'aws_auto_minor_version_upgrade',
        account_id,
        region,
        'aws_elasticache_cluster',
        arn,
        auto_minor_version_upgrade,
        'cache cluster ' || cache_cluster_id || ' applies minor engine upgrades automatically',
        'cache cluster ' || cache_cluster_id || ' does not apply minor engine upgrades automatically; turn on AutoMinorVersionUpgrade',
        'auto_minor_version_upgrade',
        case
            when replication_group_id is not null
                then 'member of replication group ' || replication_group_id || ', decided on the group'
        end,
        'AutoMinorVersionUpgrade=' || coalesce(cast(auto_minor_version_upgrade as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from cache_clusters
    union all
    select
        'aws_auto_minor_version_upgrade',
        account_id,
        region,
        'aws_mq_broker',
        broker_arn,
        auto_minor_version_upgrade,
        'broker ' || broker_name || ' applies minor engine upgrades automatically',
        'broker ' || broker_name || ' does not apply minor engine upgrades automatically; turn on AutoMinorVersionUpgrade',
        'auto_minor_version_upgrade',
        cast(null as {{ dbt.type_string() }}),
        'AutoMinorVersionUpgrade=' || coalesce(cast(auto_minor_version_upgrade as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from mq_brokers
    union all
    select
        'aws_auto_minor_version_upgrade',
        account_id,
        region,
        'aws_dms_replication_instance',
        arn,
        auto_minor_version_upgrade,
        'replication instance ' || replication_instance_identifier || ' applies minor engine upgrades automatically',
        'replication instance ' || replication_instance_identifier
        || ' does not apply minor engine upgrades automatically; turn on AutoMinorVersionUpgrade',
        'auto_minor_version_upgrade',
        cast(null as {{ dbt.type_string() }}),
        'AutoMinorVersionUpgrade=' || coalesce(cast(auto_minor_version_upgrade as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from dms_instances
    union all
    select
        'aws_auto_minor_version_upgrade',
        account_id,
        region,
        'aws_redshift_cluster',
        cluster_arn,
        allow_version_upgrade,
        'cluster ' || cluster_identifier || ' takes engine upgrades in its maintenance window',
        'cluster ' || cluster_identifier || ' does not take engine upgrades in its maintenance window; turn on AllowVersionUpgrade',
        'allow_version_upgrade',
        cast(null as {{ dbt.type_string() }}),
        'AllowVersionUpgrade=' || coalesce(cast(allow_version_upgrade as {{ dbt.type_string() }}), 'null'),
        source_relation,
        synced_at
    from redshift_clusters

),

check_results as (

    select
        control_id,
        account_id,
        region,
        resource_type,
        resource_id,
        case
            when not_applicable_reason is not null then 'not_applicable'
            when verdict is null then 'not_evaluated'
            when verdict then 'pass'
            else 'fail'
        end as status,
        case
            when not_applicable_reason is not null then not_applicable_reason
            when verdict is null then 'the sync did not record ' || deciding_column || '; sync it to evaluate the resource'
            when verdict then pass_reason
            else fail_reason
        end as reason,
        evidence,
        source_relation,
        synced_at
    from checks

),

{%- set alternatives = {
    'aws_rds_automated_backups': ['aws_rds_instances', 'aws_rds_clusters'],
    'aws_elasticache_backups': ['aws_elasticache_replication_groups', 'aws_elasticache_clusters'],
    'aws_other_db_backups': ['aws_docdb_clusters', 'aws_neptune_clusters'],
    'aws_copy_tags_to_snapshots': ['aws_rds_instances', 'aws_rds_clusters', 'aws_neptune_clusters'],
    'aws_rds_multi_az': ['aws_rds_instances', 'aws_rds_clusters'],
    'aws_other_ha_multi_az': ['aws_elasticache_replication_groups', 'aws_dms_replication_instances',
        'aws_redshift_clusters', 'aws_elasticsearch_domains', 'aws_efs_filesystems', 'aws_fsx_file_systems'],
    'aws_deletion_protection': ['aws_rds_instances', 'aws_rds_clusters', 'aws_dynamodb_tables',
        'aws_elbv2_load_balancer_attributes', 'aws_docdb_clusters', 'aws_neptune_clusters',
        'aws_networkfirewall_firewalls', 'aws_cloudformation_stacks'],
    'aws_auto_minor_version_upgrade': ['aws_rds_instances', 'aws_elasticache_replication_groups',
        'aws_elasticache_clusters', 'aws_mq_brokers', 'aws_dms_replication_instances', 'aws_redshift_clusters'],
} %}

unavailable_alternatives as (

    {%- for control_id, tables in alternatives.items() %}
    {{ soc2.unavailable_alternative_rows(control_id, tables) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select * from check_results
    union all
    select * from unavailable_alternatives

)

select * from final
{% endcall %}
