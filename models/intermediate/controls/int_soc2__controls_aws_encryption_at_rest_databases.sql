-- Encryption at rest of databases, one row per control and resource: RDS DB
-- instances and clusters (Neptune and DocumentDB engines excluded: they are
-- judged by the other-databases control), RDS / Aurora / Neptune / DocumentDB
-- snapshots (a cluster snapshot listed by several tables counted once),
-- DocumentDB, Neptune, DAX and ElastiCache replication groups, DynamoDB tables
-- with a KMS key (AWS managed or customer managed; the AWS-owned default key
-- fails), OpenSearch / Elasticsearch domains and Redshift clusters with a KMS
-- key. A flag that was not synced (null) makes the row not_evaluated.
-- A control whose catalog group lists alternatives (`a|b`) adds one
-- not_evaluated row (no account) per alternative that is unavailable while
-- another is available (soc2.unavailable_alternative_rows).
{% call soc2.control_family() %}
with rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_clusters as (

    select * from {{ ref('stg_soc2__aws_rds_clusters') }}

),

db_snapshots as (

    select * from {{ ref('stg_soc2__aws_rds_db_snapshots') }}

),

rds_cluster_snapshots as (

    select * from {{ ref('stg_soc2__aws_rds_cluster_snapshots') }}

),

docdb_cluster_snapshots as (

    select * from {{ ref('stg_soc2__aws_docdb_cluster_snapshots') }}

),

neptune_cluster_snapshots as (

    select * from {{ ref('stg_soc2__aws_neptune_cluster_snapshots') }}

),

docdb_clusters as (

    select * from {{ ref('stg_soc2__aws_docdb_clusters') }}

),

neptune_clusters as (

    select * from {{ ref('stg_soc2__aws_neptune_clusters') }}

),

dax_clusters as (

    select * from {{ ref('stg_soc2__aws_dax_clusters') }}

),

elasticache_groups as (

    select * from {{ ref('stg_soc2__aws_elasticache_replication_groups') }}

),

dynamodb_tables as (

    select * from {{ ref('stg_soc2__aws_dynamodb_tables') }}

),

search_domains as (

    select * from {{ ref('stg_soc2__aws_elasticsearch_domains') }}

),

redshift_clusters as (

    select * from {{ ref('stg_soc2__aws_redshift_clusters') }}

),

-- RDS ---------------------------------------------------------------------

rds_storage as (

    select
        account_id,
        region,
        'aws_rds_db_instance' as resource_type,
        db_instance_arn as resource_id,
        'DB instance ' || db_instance_identifier as resource_label,
        engine,
        storage_encrypted,
        kms_key_id,
        source_relation,
        synced_at
    from rds_instances
    where coalesce(engine, '') not in ('docdb', 'neptune')

    union all

    select
        account_id,
        region,
        'aws_rds_db_cluster' as resource_type,
        db_cluster_arn as resource_id,
        'DB cluster ' || db_cluster_identifier as resource_label,
        engine,
        storage_encrypted,
        kms_key_id,
        source_relation,
        synced_at
    from rds_clusters
    where coalesce(engine, '') not in ('docdb', 'neptune')

),

rds_storage_encrypted as (

    select
        'aws_rds_storage_encrypted' as control_id,
        account_id,
        region,
        resource_type,
        resource_id,
        case
            when storage_encrypted then 'pass'
            when not storage_encrypted then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when storage_encrypted then 'storage is encrypted with ' || coalesce(kms_key_id, 'a KMS key')
            when not storage_encrypted
                then resource_label || ' stores its data unencrypted; encryption cannot be turned on in place: '
                || 'restore an encrypted copy of a snapshot (or migrate) and switch over'
            else 'StorageEncrypted of ' || resource_label || ' was not synced; sync aws_rds_instances and aws_rds_clusters with it'
        end as reason,
        'engine=' || coalesce(engine, 'null')
        || '; StorageEncrypted=' || coalesce(cast(storage_encrypted as {{ dbt.type_string() }}), 'null')
        || '; KmsKeyId=' || coalesce(kms_key_id, 'null') as evidence,
        source_relation,
        synced_at
    from rds_storage

),

-- Snapshots: one row per snapshot ARN; the RDS cluster-snapshot row, which
-- also lists Neptune and DocumentDB snapshots, is preferred over theirs.

snapshot_candidates as (

    select
        account_id,
        region,
        'aws_rds_db_snapshot' as resource_type,
        arn as resource_id,
        'DB snapshot ' || db_snapshot_identifier as resource_label,
        engine,
        encrypted as is_encrypted,
        1 as source_rank,
        source_relation,
        synced_at
    from db_snapshots

    union all

    select
        account_id,
        region,
        'aws_rds_db_cluster_snapshot' as resource_type,
        arn as resource_id,
        'cluster snapshot ' || db_cluster_snapshot_identifier as resource_label,
        lower(engine) as engine,
        storage_encrypted as is_encrypted,
        1 as source_rank,
        source_relation,
        synced_at
    from rds_cluster_snapshots

    union all

    select
        account_id,
        region,
        'aws_rds_db_cluster_snapshot' as resource_type,
        arn as resource_id,
        'DocumentDB cluster snapshot ' || coalesce(db_cluster_snapshot_identifier, arn) as resource_label,
        'docdb' as engine,
        storage_encrypted as is_encrypted,
        2 as source_rank,
        source_relation,
        synced_at
    from docdb_cluster_snapshots

    union all

    select
        account_id,
        region,
        'aws_rds_db_cluster_snapshot' as resource_type,
        arn as resource_id,
        'Neptune cluster snapshot ' || arn as resource_label,
        'neptune' as engine,
        storage_encrypted as is_encrypted,
        2 as source_rank,
        source_relation,
        synced_at
    from neptune_cluster_snapshots

),

ranked_snapshots as (

    select
        *,
        row_number() over (
            partition by account_id, region, resource_id
            order by source_rank, source_relation
        ) as snapshot_rank
    from snapshot_candidates

),

db_snapshot_encrypted as (

    select
        'aws_db_snapshot_encrypted' as control_id,
        account_id,
        region,
        resource_type,
        resource_id,
        case
            when is_encrypted then 'pass'
            when not is_encrypted then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when is_encrypted then 'the snapshot is encrypted'
            when not is_encrypted
                then resource_label || ' is not encrypted; copy it with encryption (a KMS key) and delete the unencrypted copy, '
                || 'and encrypt the source database so that new snapshots are encrypted'
            else 'the encryption flag of ' || resource_label || ' was not synced'
        end as reason,
        'engine=' || coalesce(engine, 'null')
        || '; encrypted=' || coalesce(cast(is_encrypted as {{ dbt.type_string() }}), 'null') as evidence,
        source_relation,
        synced_at
    from ranked_snapshots
    where snapshot_rank = 1

),

-- DocumentDB, Neptune (from their own tables, else from aws_rds_clusters),
-- DAX and ElastiCache --------------------------------------------------------

other_database_candidates as (

    select
        account_id,
        region,
        'aws_docdb_cluster' as resource_type,
        arn as resource_id,
        'DocumentDB cluster ' || db_cluster_identifier as resource_label,
        storage_encrypted as is_encrypted,
        'StorageEncrypted=' || coalesce(cast(storage_encrypted as {{ dbt.type_string() }}), 'null') as evidence,
        1 as source_rank,
        source_relation,
        synced_at
    from docdb_clusters

    union all

    select
        account_id,
        region,
        'aws_neptune_cluster' as resource_type,
        arn as resource_id,
        'Neptune cluster ' || db_cluster_identifier as resource_label,
        storage_encrypted as is_encrypted,
        'StorageEncrypted=' || coalesce(cast(storage_encrypted as {{ dbt.type_string() }}), 'null') as evidence,
        1 as source_rank,
        source_relation,
        synced_at
    from neptune_clusters

    union all

    select
        account_id,
        region,
        case when engine = 'docdb' then 'aws_docdb_cluster' else 'aws_neptune_cluster' end as resource_type,
        db_cluster_arn as resource_id,
        case when engine = 'docdb' then 'DocumentDB' else 'Neptune' end
        || ' cluster ' || db_cluster_identifier as resource_label,
        storage_encrypted as is_encrypted,
        'StorageEncrypted=' || coalesce(cast(storage_encrypted as {{ dbt.type_string() }}), 'null') as evidence,
        2 as source_rank,
        source_relation,
        synced_at
    from rds_clusters
    where engine in ('docdb', 'neptune')

    union all

    select
        account_id,
        region,
        'aws_dax_cluster' as resource_type,
        arn as resource_id,
        'DAX cluster ' || cluster_name as resource_label,
        case
            when upper({{ soc2.json_text('sse_description', ['Status']) }}) = 'ENABLED' then true
            when {{ soc2.json_text('sse_description', ['Status']) }} is not null then false
        end as is_encrypted,
        'SSEDescription.Status=' || coalesce({{ soc2.json_text('sse_description', ['Status']) }}, 'null') as evidence,
        1 as source_rank,
        source_relation,
        synced_at
    from dax_clusters

    union all

    select
        account_id,
        region,
        'aws_elasticache_replication_group' as resource_type,
        arn as resource_id,
        'ElastiCache replication group ' || replication_group_id as resource_label,
        at_rest_encryption_enabled as is_encrypted,
        'AtRestEncryptionEnabled='
        || coalesce(cast(at_rest_encryption_enabled as {{ dbt.type_string() }}), 'null') as evidence,
        1 as source_rank,
        source_relation,
        synced_at
    from elasticache_groups

),

ranked_other_databases as (

    select
        *,
        row_number() over (
            partition by account_id, region, resource_id
            order by source_rank, source_relation
        ) as database_rank
    from other_database_candidates

),

other_db_storage_encrypted as (

    select
        'aws_other_db_storage_encrypted' as control_id,
        account_id,
        region,
        resource_type,
        resource_id,
        case
            when is_encrypted then 'pass'
            when not is_encrypted then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when is_encrypted then 'data at rest is encrypted'
            when not is_encrypted
                then resource_label || ' stores its data unencrypted; encryption at rest is set at creation: '
                || 'create an encrypted copy (restore a snapshot or back up and restore with encryption on) and switch over'
            else 'the encryption-at-rest setting of ' || resource_label || ' was not synced'
        end as reason,
        evidence,
        source_relation,
        synced_at
    from ranked_other_databases
    where database_rank = 1

),

-- DynamoDB: a table whose SSEDescription is null uses the AWS-owned key,
-- which the account can neither audit nor control: it fails (DECISIONS).

dynamodb_tables_sse as (

    select
        account_id,
        region,
        arn,
        table_name,
        upper({{ soc2.json_text('sse_description', ['Status']) }}) as sse_status,
        upper({{ soc2.json_text('sse_description', ['SSEType']) }}) as sse_type,
        {{ soc2.json_text('sse_description', ['KMSMasterKeyArn']) }} as kms_key_arn,
        source_relation,
        synced_at
    from dynamodb_tables

),

dynamodb_kms_encryption as (

    select
        'aws_dynamodb_kms_encryption' as control_id,
        account_id,
        region,
        'aws_dynamodb_table' as resource_type,
        arn as resource_id,
        case when sse_type = 'KMS' and sse_status = 'ENABLED' then 'pass' else 'fail' end as status,
        case
            when sse_type = 'KMS' and sse_status = 'ENABLED'
                then 'the table is encrypted with the KMS key ' || coalesce(kms_key_arn, '(not named)')
            when sse_type is null and sse_status is null
                then 'table ' || table_name || ' is encrypted only with the AWS-owned key, whose use the account cannot audit '
                || 'or restrict; switch its encryption to the AWS managed key (aws/dynamodb) or a customer managed KMS key'
            else 'table ' || table_name || ' has server-side encryption ' || coalesce(sse_type, 'of no type')
                || ' in state ' || coalesce(sse_status, 'unknown')
                || '; encrypt it with the AWS managed key (aws/dynamodb) or a customer managed KMS key'
        end as reason,
        'SSEType=' || coalesce(sse_type, 'null') || '; Status=' || coalesce(sse_status, 'null')
        || '; KMSMasterKeyArn=' || coalesce(kms_key_arn, 'null') as evidence,
        source_relation,
        synced_at
    from dynamodb_tables_sse

),

-- OpenSearch / Elasticsearch -----------------------------------------------

search_domains_encryption as (

    select
        account_id,
        region,
        domain_arn,
        domain_name,
        lower({{ soc2.json_text('encryption_at_rest_options', ['Enabled']) }}) as at_rest_enabled,
        {{ soc2.json_text('encryption_at_rest_options', ['KmsKeyId']) }} as kms_key_id,
        source_relation,
        synced_at
    from search_domains

),

opensearch_encrypted_at_rest as (

    select
        'aws_opensearch_encrypted_at_rest' as control_id,
        account_id,
        region,
        'aws_opensearch_domain' as resource_type,
        domain_arn as resource_id,
        case
            when at_rest_enabled = 'true' then 'pass'
            when at_rest_enabled = 'false' then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when at_rest_enabled = 'true' then 'encryption at rest is on (key ' || coalesce(kms_key_id, 'AWS managed') || ')'
            when at_rest_enabled = 'false'
                then 'domain ' || domain_name || ' does not encrypt its data at rest; enable encryption at rest '
                || '(in place on OpenSearch 1.x and later and Elasticsearch 6.7 and later, otherwise on a new domain)'
            else 'EncryptionAtRestOptions of domain ' || domain_name || ' was not synced'
        end as reason,
        'EncryptionAtRestOptions.Enabled=' || coalesce(at_rest_enabled, 'null')
        || '; KmsKeyId=' || coalesce(kms_key_id, 'null') as evidence,
        source_relation,
        synced_at
    from search_domains_encryption

),

-- Redshift ------------------------------------------------------------------

redshift_encrypted as (

    select
        'aws_redshift_encrypted' as control_id,
        account_id,
        region,
        'aws_redshift_cluster' as resource_type,
        cluster_arn as resource_id,
        case
            when encrypted and kms_key_id is not null then 'pass'
            when encrypted is not null then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when encrypted and kms_key_id is not null then 'the cluster is encrypted with the KMS key ' || kms_key_id
            when encrypted
                then 'cluster ' || cluster_identifier || ' is encrypted without a KMS key of the account (an HSM or the AWS-owned key); '
                || 'change its encryption to an AWS KMS key'
            when not encrypted
                then 'cluster ' || cluster_identifier || ' is not encrypted; modify the cluster to encrypt it with a KMS key'
            else 'the Encrypted flag of cluster ' || cluster_identifier || ' was not synced'
        end as reason,
        'Encrypted=' || coalesce(cast(encrypted as {{ dbt.type_string() }}), 'null')
        || '; KmsKeyId=' || coalesce(kms_key_id, 'null') as evidence,
        source_relation,
        synced_at
    from redshift_clusters

),

-- alternatives that are unavailable while another is available

rds_storage_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_rds_storage_encrypted',
        ['aws_rds_instances', 'aws_rds_clusters']) }}

),

db_snapshot_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_db_snapshot_encrypted',
        ['aws_rds_db_snapshots', 'aws_rds_cluster_snapshots', 'aws_docdb_cluster_snapshots', 'aws_neptune_cluster_snapshots']) }}

),

other_db_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_other_db_storage_encrypted',
        ['aws_docdb_clusters', 'aws_neptune_clusters', 'aws_rds_clusters', 'aws_dax_clusters', 'aws_elasticache_replication_groups']) }}

),

final as (

    select * from rds_storage_encrypted
    union all
    select * from db_snapshot_encrypted
    union all
    select * from other_db_storage_encrypted
    union all
    select * from dynamodb_kms_encryption
    union all
    select * from opensearch_encrypted_at_rest
    union all
    select * from redshift_encrypted
    union all
    select * from rds_storage_unavailable
    union all
    select * from db_snapshot_unavailable
    union all
    select * from other_db_unavailable

)

select * from final
{% endcall %}
