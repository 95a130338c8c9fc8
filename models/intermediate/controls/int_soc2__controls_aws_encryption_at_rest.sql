-- Encryption at rest of storage, messaging, analytics and ML resources, one
-- row per control and resource: EBS volumes and snapshots, EBS encryption by
-- default (one row per account and region of the regions dimension), EFS,
-- SNS topics and SQS queues, Kinesis data streams and Firehose delivery
-- streams, SageMaker notebook instances, endpoint configurations and training
-- jobs with a KMS key, API Gateway stage caches, Glue jobs (S3, CloudWatch
-- and job-bookmark encryption of their security configuration) and Data
-- Catalogs, and field-level encryption on the CloudFront distributions named
-- by soc2_field_level_encryption_distributions (unset: not_evaluated). A flag
-- that was not synced (null) makes the row not_evaluated.
-- A control whose catalog group lists alternatives (`a|b`) adds one
-- not_evaluated row (no account) per alternative that is unavailable while
-- another is available (soc2.unavailable_alternative_rows).
{%- set fle_distributions = var('soc2_field_level_encryption_distributions', []) %}
{% call soc2.control_family() %}
with volumes as (

    select * from {{ ref('stg_soc2__aws_ec2_ebs_volumes') }}

),

regional_configs as (

    select * from {{ ref('stg_soc2__aws_ec2_regional_configs') }}

),

regions as (

    select * from {{ ref('int_soc2__aws_account_regions') }}

),

snapshots as (

    select * from {{ ref('stg_soc2__aws_ec2_ebs_snapshots') }}

),

file_systems as (

    select * from {{ ref('stg_soc2__aws_efs_filesystems') }}

),

topics as (

    select * from {{ ref('stg_soc2__aws_sns_topics') }}

),

queues as (

    select * from {{ ref('stg_soc2__aws_sqs_queues') }}

),

streams as (

    select * from {{ ref('stg_soc2__aws_kinesis_streams') }}

),

delivery_streams as (

    select * from {{ ref('stg_soc2__aws_firehose_delivery_streams') }}

),

notebooks as (

    select * from {{ ref('stg_soc2__aws_sagemaker_notebook_instances') }}

),

endpoint_configs as (

    select * from {{ ref('stg_soc2__aws_sagemaker_endpoint_configurations') }}

),

training_jobs as (

    select * from {{ ref('stg_soc2__aws_sagemaker_training_jobs') }}

),

stages as (

    select * from {{ ref('stg_soc2__aws_apigateway_rest_api_stages') }}

),

glue_jobs as (

    select * from {{ ref('stg_soc2__aws_glue_jobs') }}

),

glue_security_configs as (

    select * from {{ ref('stg_soc2__aws_glue_security_configurations') }}

),

glue_catalog_settings as (

    select * from {{ ref('stg_soc2__aws_glue_datacatalog_encryption_settings') }}

),

distributions as (

    select * from {{ ref('stg_soc2__aws_cloudfront_distributions') }}

),

-- EBS -------------------------------------------------------------------------

ebs_volume_encrypted as (

    select
        'aws_ebs_volume_encrypted' as control_id,
        account_id,
        region,
        'aws_ebs_volume' as resource_type,
        arn as resource_id,
        case
            when encrypted then 'pass'
            when not encrypted then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when encrypted then 'the volume is encrypted with ' || coalesce(nullif(kms_key_id, ''), 'a KMS key')
            when not encrypted
                then 'volume ' || volume_id || ' (' || coalesce(state, 'unknown state')
                || ') is not encrypted; snapshot it, copy the snapshot with encryption, create an encrypted volume '
                || 'from the copy and swap it in (or delete the volume if unused)'
            else 'the Encrypted flag of volume ' || volume_id || ' was not synced'
        end as reason,
        'Encrypted=' || coalesce(cast(encrypted as {{ dbt.type_string() }}), 'null')
        || '; state=' || coalesce(state, 'null') as evidence,
        source_relation,
        synced_at
    from volumes

),

ebs_default_encryption as (

    select
        'aws_ebs_default_encryption' as control_id,
        regions.account_id,
        regions.region,
        case when regions.region = 'global' then 'aws_account' else 'aws_region' end as resource_type,
        case when regions.region = 'global' then regions.account_id else regions.region end as resource_id,
        case
            when regions.evaluation_status != 'evaluated' then regions.evaluation_status
            when regional_configs.ebs_encryption_enabled_by_default then 'pass'
            when not regional_configs.ebs_encryption_enabled_by_default then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when regions.evaluation_status != 'evaluated' then regions.status_reason
            when regional_configs.ebs_encryption_enabled_by_default
                then 'new EBS volumes and snapshot copies are encrypted by default (key '
                || coalesce(regional_configs.ebs_default_kms_key_id, 'alias/aws/ebs') || ')'
            when not regional_configs.ebs_encryption_enabled_by_default
                then 'EBS encryption by default is off in ' || regions.region
                || '; turn it on (EC2 settings, EBS encryption) so that every new volume is encrypted'
            else 'no aws_ec2_regional_configs row for ' || regions.region || ' of this account; sync the region'
        end as reason,
        'EbsEncryptionByDefault='
        || coalesce(cast(regional_configs.ebs_encryption_enabled_by_default as {{ dbt.type_string() }}), 'null')
        || '; region_status=' || regions.evaluation_status as evidence,
        coalesce(regional_configs.source_relation, regions.source_relation) as source_relation,
        coalesce(regional_configs.synced_at, regions.synced_at) as synced_at
    from regions
    left join regional_configs
        on
            regions.account_id = regional_configs.account_id
            and regions.region = regional_configs.region

),

ebs_snapshot_encrypted as (

    select
        'aws_ebs_snapshot_encrypted' as control_id,
        account_id,
        region,
        'aws_ebs_snapshot' as resource_type,
        arn as resource_id,
        case
            when encrypted then 'pass'
            when not encrypted then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when encrypted then 'the snapshot is encrypted'
            when not encrypted
                then 'snapshot ' || snapshot_id || ' is not encrypted; copy it with encryption and delete the original'
            else 'the Encrypted flag of snapshot ' || snapshot_id || ' was not synced'
        end as reason,
        'Encrypted=' || coalesce(cast(encrypted as {{ dbt.type_string() }}), 'null')
        || '; volume=' || coalesce(volume_id, 'null') as evidence,
        source_relation,
        synced_at
    from snapshots

),

-- EFS -------------------------------------------------------------------------

efs_encrypted as (

    select
        'aws_efs_encrypted' as control_id,
        account_id,
        region,
        'aws_efs_file_system' as resource_type,
        arn as resource_id,
        case
            when encrypted then 'pass'
            when not encrypted then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when encrypted then 'the file system is encrypted with ' || coalesce(nullif(kms_key_id, ''), 'a KMS key')
            when not encrypted
                then 'file system ' || file_system_id || ' is not encrypted at rest; encryption is set at creation: '
                || 'create an encrypted file system, copy the data (AWS DataSync) and switch over'
            else 'the Encrypted flag of file system ' || file_system_id || ' was not synced'
        end as reason,
        'Encrypted=' || coalesce(cast(encrypted as {{ dbt.type_string() }}), 'null')
        || '; KmsKeyId=' || coalesce(nullif(kms_key_id, ''), 'null') as evidence,
        source_relation,
        synced_at
    from file_systems

),

-- SNS and SQS -----------------------------------------------------------------

sns_sqs_encrypted as (

    select
        'aws_sns_sqs_encrypted' as control_id,
        account_id,
        region,
        'aws_sns_topic' as resource_type,
        topic_arn as resource_id,
        case when kms_master_key_id is not null then 'pass' else 'fail' end as status,
        case
            when kms_master_key_id is not null then 'messages are encrypted at rest with ' || kms_master_key_id
            else 'topic ' || topic_arn || ' has no KMS key (KmsMasterKeyId); enable server-side encryption '
                || 'with the AWS managed key (alias/aws/sns) or a customer managed key'
        end as reason,
        'KmsMasterKeyId=' || coalesce(kms_master_key_id, 'null') as evidence,
        source_relation,
        synced_at
    from topics

    union all

    select
        'aws_sns_sqs_encrypted' as control_id,
        account_id,
        region,
        'aws_sqs_queue' as resource_type,
        arn as resource_id,
        case
            when nullif(kms_master_key_id, '') is not null or sqs_managed_sse_enabled then 'pass'
            else 'fail'
        end as status,
        case
            when nullif(kms_master_key_id, '') is not null then 'messages are encrypted at rest with ' || kms_master_key_id
            when sqs_managed_sse_enabled then 'messages are encrypted at rest with SQS-managed keys (SSE-SQS)'
            else 'queue ' || coalesce(url, arn) || ' does not encrypt messages at rest; enable SSE-SQS or SSE-KMS'
        end as reason,
        'KmsMasterKeyId=' || coalesce(nullif(kms_master_key_id, ''), 'null')
        || '; SqsManagedSseEnabled=' || coalesce(cast(sqs_managed_sse_enabled as {{ dbt.type_string() }}), 'null')
            as evidence,
        source_relation,
        synced_at
    from queues

),

-- Kinesis and Firehose --------------------------------------------------------

delivery_streams_sse as (

    select
        account_id,
        region,
        arn,
        delivery_stream_name,
        upper({{ soc2.json_text('delivery_stream_encryption_configuration', ['Status']) }}) as sse_status,
        upper({{ soc2.json_text('delivery_stream_encryption_configuration', ['KeyType']) }}) as key_type,
        source_relation,
        synced_at
    from delivery_streams

),

kinesis_firehose_encrypted as (

    select
        'aws_kinesis_firehose_encrypted' as control_id,
        account_id,
        region,
        'aws_kinesis_stream' as resource_type,
        arn as resource_id,
        case
            when upper(encryption_type) = 'KMS' then 'pass'
            when encryption_type is not null then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when upper(encryption_type) = 'KMS' then 'records are encrypted at rest with ' || coalesce(nullif(key_id, ''), 'a KMS key')
            when encryption_type is not null
                then 'stream ' || stream_name || ' does not encrypt records at rest; enable server-side encryption '
                || 'with the AWS managed key (alias/aws/kinesis) or a customer managed key'
            else 'the EncryptionType of stream ' || stream_name || ' was not synced'
        end as reason,
        'EncryptionType=' || coalesce(encryption_type, 'null') as evidence,
        source_relation,
        synced_at
    from streams

    union all

    select
        'aws_kinesis_firehose_encrypted' as control_id,
        account_id,
        region,
        'aws_firehose_delivery_stream' as resource_type,
        arn as resource_id,
        case when sse_status = 'ENABLED' then 'pass' else 'fail' end as status,
        case
            when sse_status = 'ENABLED' then 'server-side encryption is on (' || coalesce(key_type, 'key type unknown') || ')'
            else 'delivery stream ' || delivery_stream_name || ' has server-side encryption '
                || coalesce(sse_status, 'not configured')
                || '; enable it (a stream fed by a Kinesis data stream cannot: encrypt that stream instead)'
        end as reason,
        'Status=' || coalesce(sse_status, 'null') || '; KeyType=' || coalesce(key_type, 'null') as evidence,
        source_relation,
        synced_at
    from delivery_streams_sse

),

-- SageMaker -------------------------------------------------------------------

training_jobs_keys as (

    select
        account_id,
        region,
        arn,
        training_job_name,
        nullif({{ soc2.json_text('output_data_config', ['KmsKeyId']) }}, '') as output_kms_key_id,
        nullif({{ soc2.json_text('resource_config', ['VolumeKmsKeyId']) }}, '') as volume_kms_key_id,
        source_relation,
        synced_at
    from training_jobs

),

sagemaker_encrypted as (

    select
        'aws_sagemaker_encrypted' as control_id,
        account_id,
        region,
        'aws_sagemaker_notebook_instance' as resource_type,
        arn as resource_id,
        case when nullif(kms_key_id, '') is not null then 'pass' else 'fail' end as status,
        case
            when nullif(kms_key_id, '') is not null then 'the notebook storage volume is encrypted with ' || kms_key_id
            else 'notebook instance ' || notebook_instance_name || ' has no KMS key for its storage volume; '
                || 'recreate it with a KMS key (the key cannot be added later)'
        end as reason,
        'KmsKeyId=' || coalesce(nullif(kms_key_id, ''), 'null') as evidence,
        source_relation,
        synced_at
    from notebooks

    union all

    select
        'aws_sagemaker_encrypted' as control_id,
        account_id,
        region,
        'aws_sagemaker_endpoint_configuration' as resource_type,
        arn as resource_id,
        case when nullif(kms_key_id, '') is not null then 'pass' else 'fail' end as status,
        case
            when nullif(kms_key_id, '') is not null then 'endpoint storage volumes are encrypted with ' || kms_key_id
            else 'endpoint configuration ' || endpoint_config_name || ' has no KMS key for the storage volumes of its '
                || 'instances; create a new endpoint configuration with a KMS key and update the endpoints to it'
        end as reason,
        'KmsKeyId=' || coalesce(nullif(kms_key_id, ''), 'null') as evidence,
        source_relation,
        synced_at
    from endpoint_configs

    union all

    select
        'aws_sagemaker_encrypted' as control_id,
        account_id,
        region,
        'aws_sagemaker_training_job' as resource_type,
        arn as resource_id,
        case
            when output_kms_key_id is not null and volume_kms_key_id is not null then 'pass'
            else 'fail'
        end as status,
        case
            when output_kms_key_id is not null and volume_kms_key_id is not null
                then 'the output and the training volumes are encrypted with KMS keys'
            else 'training job ' || training_job_name || ' has no KMS key for '
                || case
                    when output_kms_key_id is null and volume_kms_key_id is null then 'its output nor its volumes'
                    when output_kms_key_id is null then 'its output (OutputDataConfig.KmsKeyId)'
                    else 'its volumes (ResourceConfig.VolumeKmsKeyId)'
                end
                || '; set both keys on the jobs it is rerun as'
        end as reason,
        'OutputKmsKeyId=' || coalesce(output_kms_key_id, 'null')
        || '; VolumeKmsKeyId=' || coalesce(volume_kms_key_id, 'null') as evidence,
        source_relation,
        synced_at
    from training_jobs_keys

),

-- API Gateway stage caches ----------------------------------------------------

stage_method_settings as (

    select
        stages.stage_arn,
        {{ soc2.json_element_text('method_key') }} as method_key,
        lower({{ soc2.json_text(
            soc2.json_value_at_key('stages.method_settings', soc2.json_element_text('method_key')),
            ['CachingEnabled']) }}) as caching_enabled,
        lower({{ soc2.json_text(
            soc2.json_value_at_key('stages.method_settings', soc2.json_element_text('method_key')),
            ['CacheDataEncrypted']) }}) as cache_data_encrypted
    from stages
    {{ soc2.unnest_lateral(soc2.json_object_keys_array('stages.method_settings'), 'method_key', 'method_index', 'methods') }}

),

stage_caching as (

    select
        stage_arn,
        count(*) as caching_methods,
        nullif({{ soc2.string_agg_distinct(
            "case when coalesce(cache_data_encrypted, 'false') != 'true' then method_key end", ', ') }}, '')
            as unencrypted_methods
    from stage_method_settings
    where caching_enabled = 'true'
    group by stage_arn

),

apigw_cache_encrypted as (

    select
        'aws_apigw_cache_encrypted' as control_id,
        stages.account_id,
        stages.region,
        'aws_apigateway_stage' as resource_type,
        stages.stage_arn as resource_id,
        case
            when stage_caching.unencrypted_methods is not null then 'fail'
            when stages.cache_cluster_enabled or stage_caching.stage_arn is not null then 'pass'
            else 'not_applicable'
        end as status,
        case
            when stage_caching.unencrypted_methods is not null
                then 'stage ' || stages.stage_name || ' caches responses unencrypted for '
                || stage_caching.unencrypted_methods || '; turn on "Encrypt cache data" in those method settings'
            when stages.cache_cluster_enabled or stage_caching.stage_arn is not null
                then 'every method that caches responses encrypts the cache data'
            else 'the stage has no cache cluster and no method caches responses'
        end as reason,
        'CacheClusterEnabled=' || coalesce(cast(stages.cache_cluster_enabled as {{ dbt.type_string() }}), 'null')
        || '; caching_methods=' || cast(coalesce(stage_caching.caching_methods, 0) as {{ dbt.type_string() }})
        || '; unencrypted=' || coalesce(stage_caching.unencrypted_methods, 'none') as evidence,
        stages.source_relation,
        stages.synced_at
    from stages
    left join stage_caching
        on stages.stage_arn = stage_caching.stage_arn

),

-- Glue ------------------------------------------------------------------------

glue_s3_modes as (

    select
        glue_security_configs.account_id,
        glue_security_configs.region,
        glue_security_configs.name,
        upper({{ soc2.json_text('s3_encryption', ['S3EncryptionMode']) }}) as s3_mode
    from glue_security_configs
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('glue_security_configs.encryption_configuration', ['S3Encryption'])),
        's3_encryption', 's3_index', 's3_encryptions') }}

),

glue_s3_summary as (

    select
        account_id,
        region,
        name,
        {{ soc2.string_agg_distinct("coalesce(s3_mode, 'null')", ',') }} as s3_modes,
        max(case when coalesce(s3_mode, 'DISABLED') = 'DISABLED' then 1 else 0 end) as has_disabled_s3
    from glue_s3_modes
    group by account_id, region, name

),

glue_security_summary as (

    select
        glue_security_configs.account_id,
        glue_security_configs.region,
        glue_security_configs.name,
        glue_s3_summary.s3_modes,
        upper({{ soc2.json_text('glue_security_configs.encryption_configuration',
            ['CloudWatchEncryption', 'CloudWatchEncryptionMode']) }}) as cloudwatch_mode,
        upper({{ soc2.json_text('glue_security_configs.encryption_configuration',
            ['JobBookmarksEncryption', 'JobBookmarksEncryptionMode']) }}) as bookmarks_mode,
        coalesce(glue_s3_summary.has_disabled_s3, 1) = 0 as is_s3_encrypted
    from glue_security_configs
    left join glue_s3_summary
        on
            glue_security_configs.account_id = glue_s3_summary.account_id
            and glue_security_configs.region = glue_s3_summary.region
            and glue_security_configs.name = glue_s3_summary.name

),

glue_job_findings as (

    select
        glue_jobs.account_id,
        glue_jobs.region,
        glue_jobs.job_arn,
        glue_jobs.job_name,
        glue_jobs.security_configuration,
        glue_security_summary.name as found_configuration,
        nullif(
            case when not glue_security_summary.is_s3_encrypted then 'S3 output, ' else '' end
            || case when coalesce(glue_security_summary.cloudwatch_mode, 'DISABLED') = 'DISABLED'
                then 'CloudWatch logs, ' else '' end
            || case when coalesce(glue_security_summary.bookmarks_mode, 'DISABLED') = 'DISABLED'
                then 'job bookmarks, ' else '' end,
            '') as unencrypted_parts,
        'security_configuration=' || coalesce(glue_jobs.security_configuration, 'none')
        || '; S3=' || coalesce(glue_security_summary.s3_modes, 'null')
        || '; CloudWatch=' || coalesce(glue_security_summary.cloudwatch_mode, 'null')
        || '; JobBookmarks=' || coalesce(glue_security_summary.bookmarks_mode, 'null') as evidence,
        glue_jobs.source_relation,
        glue_jobs.synced_at
    from glue_jobs
    left join glue_security_summary
        on
            glue_jobs.account_id = glue_security_summary.account_id
            and glue_jobs.region = glue_security_summary.region
            and glue_jobs.security_configuration = glue_security_summary.name

),

glue_encryption as (

    select
        'aws_glue_encryption' as control_id,
        account_id,
        region,
        'aws_glue_job' as resource_type,
        job_arn as resource_id,
        case
            when security_configuration is null then 'fail'
            when found_configuration is null then 'not_evaluated'
            when unencrypted_parts is not null then 'fail'
            else 'pass'
        end as status,
        case
            when security_configuration is null
                then 'job ' || job_name || ' has no security configuration, so its S3 output, CloudWatch logs and '
                || 'job bookmarks are not encrypted by it; attach one that encrypts all three'
            when found_configuration is null
                then 'the security configuration ' || security_configuration
                || ' of the job is not in aws_glue_security_configurations'
            when unencrypted_parts is not null
                then 'the security configuration ' || security_configuration || ' of job ' || job_name
                || ' leaves unencrypted: ' || substring(unencrypted_parts, 1, length(unencrypted_parts) - 2)
                || '; enable SSE-KMS or SSE-S3 for S3, SSE-KMS for CloudWatch and CSE-KMS for bookmarks'
            else 'the security configuration ' || security_configuration
                || ' encrypts S3 output, CloudWatch logs and job bookmarks'
        end as reason,
        evidence,
        source_relation,
        synced_at
    from glue_job_findings

    union all

    select
        'aws_glue_encryption' as control_id,
        account_id,
        region,
        'aws_glue_data_catalog' as resource_type,
        'arn:aws:glue:' || region || ':' || account_id || ':catalog' as resource_id,
        case
            when upper({{ soc2.json_text('encryption_at_rest', ['CatalogEncryptionMode']) }}) != 'DISABLED' then 'pass'
            else 'fail'
        end as status,
        case
            when upper({{ soc2.json_text('encryption_at_rest', ['CatalogEncryptionMode']) }}) != 'DISABLED'
                then 'the Data Catalog metadata is encrypted ('
                || {{ soc2.json_text('encryption_at_rest', ['CatalogEncryptionMode']) }} || ')'
            else 'the Glue Data Catalog of ' || region || ' does not encrypt its metadata; '
                || 'turn on metadata encryption (SSE-KMS) in the catalog settings'
        end as reason,
        'CatalogEncryptionMode='
        || coalesce({{ soc2.json_text('encryption_at_rest', ['CatalogEncryptionMode']) }}, 'null') as evidence,
        source_relation,
        synced_at
    from glue_catalog_settings

),

-- CloudFront field-level encryption ---------------------------------------

distribution_fle as (

    select
        account_id,
        distribution_arn,
        distribution_id,
        nullif({{ soc2.json_text('distribution_config', ['DefaultCacheBehavior', 'FieldLevelEncryptionId']) }}, '')
            as field_level_encryption_id,
        {%- if fle_distributions %}
        (
            {%- for pattern in fle_distributions %}
            {{ soc2.wildcard_match('distribution_id', "'" ~ pattern ~ "'") }}
            or {{ soc2.wildcard_match('distribution_arn', "'" ~ pattern ~ "'") }}
            or {{ soc2.wildcard_match('domain_name', "'" ~ pattern ~ "'") }}
            {{- ' or' if not loop.last }}
            {%- endfor %}
        )
        {%- else %}
        cast(null as {{ dbt.type_boolean() }})
        {%- endif %} as is_designated,
        source_relation,
        synced_at
    from distributions

),

cloudfront_field_level_encryption as (

    select
        'aws_cloudfront_field_level_encryption' as control_id,
        account_id,
        'global' as region,
        'aws_cloudfront_distribution' as resource_type,
        distribution_arn as resource_id,
        case
            when is_designated is null then 'not_evaluated'
            when not is_designated then 'not_applicable'
            when field_level_encryption_id is not null then 'pass'
            else 'fail'
        end as status,
        case
            when is_designated is null
                then 'the var soc2_field_level_encryption_distributions, which names the distributions that '
                || 'receive sensitive form fields, is not set'
            when not is_designated
                then 'the distribution is not listed in soc2_field_level_encryption_distributions'
            when field_level_encryption_id is not null
                then 'the default cache behaviour uses the field-level encryption configuration '
                || field_level_encryption_id
            else 'distribution ' || distribution_id || ' receives sensitive form fields '
                || '(soc2_field_level_encryption_distributions) but its default cache behaviour has no field-level '
                || 'encryption configuration; create one for those fields and attach it'
        end as reason,
        'FieldLevelEncryptionId=' || coalesce(field_level_encryption_id, 'null')
        || '; designated=' || coalesce(cast(is_designated as {{ dbt.type_string() }}), 'unset') as evidence,
        source_relation,
        synced_at
    from distribution_fle

),

-- alternatives that are unavailable while another is available

sns_sqs_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_sns_sqs_encrypted',
        ['aws_sns_topics', 'aws_sqs_queues']) }}

),

kinesis_firehose_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_kinesis_firehose_encrypted',
        ['aws_kinesis_streams', 'aws_firehose_delivery_streams']) }}

),

sagemaker_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_sagemaker_encrypted',
        ['aws_sagemaker_notebook_instances', 'aws_sagemaker_endpoint_configurations', 'aws_sagemaker_training_jobs']) }}

),

glue_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_glue_encryption',
        ['aws_glue_jobs', 'aws_glue_datacatalog_encryption_settings']) }}

),

final as (

    select * from ebs_volume_encrypted
    union all
    select * from ebs_default_encryption
    union all
    select * from ebs_snapshot_encrypted
    union all
    select * from efs_encrypted
    union all
    select * from sns_sqs_encrypted
    union all
    select * from kinesis_firehose_encrypted
    union all
    select * from sagemaker_encrypted
    union all
    select * from apigw_cache_encrypted
    union all
    select * from glue_encryption
    union all
    select * from cloudfront_field_level_encryption
    union all
    select * from sns_sqs_unavailable
    union all
    select * from kinesis_firehose_unavailable
    union all
    select * from sagemaker_unavailable
    union all
    select * from glue_unavailable

)

select * from final
{% endcall %}
