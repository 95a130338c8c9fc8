-- S3 controls: account-level Block Public Access, and per bucket its public
-- access block, a policy that grants no public access, TLS-only policy,
-- access logging, default encryption, versioning and MFA delete. A bucket with no row in a child table has that
-- feature unconfigured (CloudQuery writes no row), which fails; a child table
-- that was not synced at all makes the control not_evaluated (decided from
-- the catalog's required_tables by int_soc2__control_results_automated).
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

s3_accounts as (

    select * from {{ ref('stg_soc2__aws_s3_accounts') }}

),

buckets as (

    select * from {{ ref('stg_soc2__aws_s3_buckets') }}

),

encryption_rules as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_encryption_rules') }}

),

public_access_blocks as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_public_access_blocks') }}

),

versionings as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_versionings') }}

),

loggings as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_loggings') }}

),

bucket_policies as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_policies') }}

),

tls_statements as (

    select * from {{ ref('int_soc2__aws_s3_tls_deny_statements') }}

),

public_statements as (

    select
        resource_arn as bucket_arn,
        max(case when not is_restricted then 1 else 0 end) = 1 as is_public,
        nullif({{ soc2.string_agg_distinct(
            'case when not is_restricted then statement_label end', ', ') }}, '')
            as public_statement_labels,
        nullif({{ soc2.string_agg_distinct(
            'case when is_restricted then statement_label end', ', ') }}, '')
            as restricted_statement_labels
    from {{ ref('int_soc2__aws_public_policy_statements') }}
    where document_kind = 'bucket_policy'
    group by resource_arn

),

unparseable_policies as (

    select distinct owner_arn as bucket_arn
    from {{ ref('int_soc2__aws_policy_documents') }}
    where document_kind = 'bucket_policy' and document_problem is not null

),

bucket_accounts as (

    select * from {{ ref('stg_soc2__aws_s3_accounts') }}

),

account_blocks as (

    select
        accounts.account_id,
        s3_accounts.account_id is not null as has_row,
        s3_accounts.is_config_set,
        {{ soc2.public_access_settings_off('s3_accounts') }} as settings_off,
        s3_accounts.source_relation,
        s3_accounts.synced_at
    from accounts
    left join s3_accounts
        on accounts.account_id = s3_accounts.account_id

),

account_public_access_block as (

    select
        'aws_s3_account_public_access_block' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case
            when not has_row then 'not_evaluated'
            when not is_config_set then 'fail'
            when settings_off != '' then 'fail'
            else 'pass'
        end as status,
        case
            when not has_row
                then 'aws_s3_accounts has no row for this account (not synced for it)'
            when not is_config_set
                then
                    'the account has no S3 Block Public Access configuration; turn on all four settings'
            when settings_off != ''
                then 'account-level S3 Block Public Access settings off: ' || settings_off
            else 'all four account-level S3 Block Public Access settings are on'
        end as reason,
        case
            when not has_row then 'no aws_s3_accounts row'
            else 'settings_off=' || coalesce(nullif(settings_off, ''), 'none')
        end as evidence,
        source_relation,
        synced_at
    from account_blocks

),

bucket_state as (

    select
        buckets.account_id,
        buckets.region,
        buckets.bucket_arn,
        buckets.bucket_name,
        encryption_rules.bucket_arn is not null as has_encryption_rule,
        encryption_rules.sse_algorithm,
        public_access_blocks.bucket_arn is not null as has_public_access_block,
        {{ soc2.public_access_settings_off('public_access_blocks') }} as block_settings_off,
        coalesce(versionings.is_versioning_enabled, false) as is_versioning_enabled,
        coalesce(versionings.is_mfa_delete_enabled, false) as is_mfa_delete_enabled,
        versionings.versioning_status,
        versionings.mfa_delete_status,
        loggings.target_bucket as log_target_bucket,
        bucket_policies.bucket_arn is not null as has_bucket_policy,
        coalesce(public_statements.is_public, false) as has_public_policy,
        public_statements.public_statement_labels,
        public_statements.restricted_statement_labels,
        case
            when coalesce(public_access_blocks.restrict_public_buckets, false) then 'bucket'
            when coalesce(bucket_accounts.restrict_public_buckets, false) then 'account'
        end as restrict_public_buckets_level,
        tls_statements.bucket_arn is not null as has_tls_deny,
        tls_statements.statement_ids as tls_statement_ids,
        unparseable_policies.bucket_arn is not null as is_policy_unparseable,
        buckets.source_relation,
        buckets.synced_at
    from buckets
    left join encryption_rules
        on buckets.bucket_arn = encryption_rules.bucket_arn
    left join public_access_blocks
        on buckets.bucket_arn = public_access_blocks.bucket_arn
    left join versionings
        on buckets.bucket_arn = versionings.bucket_arn
    left join loggings
        on buckets.bucket_arn = loggings.bucket_arn
    left join bucket_policies
        on buckets.bucket_arn = bucket_policies.bucket_arn
    left join tls_statements
        on buckets.bucket_arn = tls_statements.bucket_arn
    left join public_statements
        on buckets.bucket_arn = public_statements.bucket_arn
    left join bucket_accounts
        on buckets.account_id = bucket_accounts.account_id
    left join unparseable_policies
        on buckets.bucket_arn = unparseable_policies.bucket_arn

),

bucket_public_access_block as (

    select
        'aws_s3_bucket_public_access_block' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when not has_public_access_block then 'fail'
            when block_settings_off != '' then 'fail'
            else 'pass'
        end as status,
        case
            when not has_public_access_block
                then
                    'bucket '
                    || bucket_name
                    || ' has no public access block; turn on all four settings'
            when block_settings_off != ''
                then
                    'bucket ' || bucket_name || ' public access block settings off: '
                    || block_settings_off
            else 'all four public access block settings are on'
        end as reason,
        'configured=' || cast(has_public_access_block as {{ dbt.type_string() }})
        || '; settings_off=' || coalesce(nullif(block_settings_off, ''), 'none') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

bucket_policy_not_public as (

    select
        'aws_s3_bucket_policy_not_public' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when is_policy_unparseable then 'not_evaluated'
            when not has_public_policy then 'pass'
            when restrict_public_buckets_level is not null then 'pass'
            else 'fail'
        end as status,
        case
            when is_policy_unparseable
                then
                    'the policy of bucket ' || bucket_name
                    || ' could not be parsed; see soc2__policy_quarantine'
            when not has_bucket_policy then 'bucket ' || bucket_name || ' has no bucket policy'
            when not has_public_policy
                then
                    'no statement of the policy of bucket ' || bucket_name
                    || ' admits anyone without a condition that restricts who'
            when restrict_public_buckets_level is not null
                then
                    'the policy of bucket ' || bucket_name || ' admits anyone (statements '
                    || public_statement_labels || '), but RestrictPublicBuckets is on for the '
                    || restrict_public_buckets_level
                    || ', so only the owner account and AWS services get through'
            else
                'the policy of bucket ' || bucket_name || ' admits anyone: statements '
                || public_statement_labels
                || ' allow "*" with no condition that restricts who (organisation, account, '
                || 'VPC or IP range); restrict them or turn on RestrictPublicBuckets'
        end as reason,
        'public_statements=' || coalesce(public_statement_labels, 'none')
        || '; restricted_statements=' || coalesce(restricted_statement_labels, 'none')
        || '; restrict_public_buckets=' || coalesce(restrict_public_buckets_level, 'off') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

bucket_tls_only as (

    select
        'aws_s3_bucket_tls_only' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when is_policy_unparseable then 'not_evaluated'
            when has_tls_deny then 'pass'
            else 'fail'
        end as status,
        case
            when is_policy_unparseable
                then
                    'the policy of bucket ' || bucket_name
                    || ' could not be parsed; see soc2__policy_quarantine'
            when has_tls_deny then 'the bucket policy denies requests made without TLS'
            when not has_bucket_policy
                then
                    'bucket '
                    || bucket_name
                    || ' has no bucket policy; add a Deny on aws:SecureTransport false'
            else
                'the policy of bucket ' || bucket_name
                || ' has no Deny on aws:SecureTransport false for all principals'
        end as reason,
        'has_policy=' || cast(has_bucket_policy as {{ dbt.type_string() }})
        || '; tls_deny_statements=' || coalesce(tls_statement_ids, 'none') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

bucket_access_logging as (

    select
        'aws_s3_bucket_access_logging' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when log_target_bucket is not null then 'pass'
            else 'fail'
        end as status,
        case
            when log_target_bucket is not null
                then 'access logs are delivered to bucket ' || log_target_bucket
            else 'bucket ' || bucket_name || ' has no server access logging; enable it'
        end as reason,
        'target_bucket=' || coalesce(log_target_bucket, 'none') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

bucket_default_encryption as (

    select
        'aws_s3_bucket_default_encryption' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when has_encryption_rule and sse_algorithm is not null then 'pass'
            else 'fail'
        end as status,
        case
            when has_encryption_rule and sse_algorithm is not null
                then 'objects are encrypted by default with ' || sse_algorithm
            else
                'bucket ' || bucket_name || ' has no default encryption rule; set SSE-S3 or SSE-KMS'
        end as reason,
        'sse_algorithm=' || coalesce(sse_algorithm, 'none') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

bucket_versioning as (

    select
        'aws_s3_bucket_versioning' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when is_versioning_enabled then 'pass'
            else 'fail'
        end as status,
        case
            when is_versioning_enabled then 'versioning is enabled'
            else
                'bucket ' || bucket_name || ' versioning is '
                || coalesce(versioning_status, 'not configured') || '; enable it'
        end as reason,
        'versioning_status=' || coalesce(versioning_status, 'none') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

bucket_mfa_delete as (

    select
        'aws_s3_bucket_mfa_delete' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when is_mfa_delete_enabled then 'pass'
            else 'fail'
        end as status,
        case
            when is_mfa_delete_enabled then 'MFA delete is enabled'
            else 'bucket ' || bucket_name || ' allows deleting object versions without MFA'
        end as reason,
        'mfa_delete=' || coalesce(mfa_delete_status, 'none') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

final as (

    select * from account_public_access_block
    union all
    select * from bucket_public_access_block
    union all
    select * from bucket_policy_not_public
    union all
    select * from bucket_tls_only
    union all
    select * from bucket_access_logging
    union all
    select * from bucket_default_encryption
    union all
    select * from bucket_versioning
    union all
    select * from bucket_mfa_delete

)

select * from final
{% endcall %}
