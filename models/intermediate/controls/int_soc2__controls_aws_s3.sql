-- S3 controls: account-level Block Public Access, and per bucket its public
-- access block, a policy that grants no public access, TLS-only policy,
-- access logging, default encryption, versioning and MFA delete; no public
-- read or write through ACL grants or the policy (after Block Public Access),
-- ACLs disabled, Object Lock (designated buckets), cross-region replication,
-- lifecycle rules and event notifications. A bucket with no row in a child table has that
-- feature unconfigured (CloudQuery writes no row), which fails; a child table
-- that was not synced at all makes the control not_evaluated (decided from
-- the catalog's required_tables by int_soc2__control_results_automated).
{%- set object_lock_buckets = var('soc2_object_lock_buckets', []) %}
{#- the concrete actions that make a public grant a read or a write #}
{%- set public_access_kinds = [
    {'key': 'read', 'actions': ['s3:getobject', 's3:getobjectversion', 's3:listbucket',
        's3:listbucketversions']},
    {'key': 'write', 'actions': ['s3:putobject', 's3:deleteobject', 's3:deleteobjectversion',
        's3:putobjectacl', 's3:putbucketacl', 's3:putbucketpolicy']},
] %}
{%- set public_groups = [
    'http://acs.amazonaws.com/groups/global/AllUsers',
    'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
] %}
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

bucket_grants as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_grants') }}

),

ownership_controls as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_ownership_controls') }}

),

object_locks as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_object_lock_configurations') }}

),

replications as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_replications') }}

),

lifecycles as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_lifecycles') }}

),

notifications as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_notification_configurations') }}

),

public_policy_statements as (

    select * from {{ ref('int_soc2__aws_public_policy_statements') }}
    where document_kind = 'bucket_policy' and not is_restricted

),

policy_statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where document_kind = 'bucket_policy'

),

action_elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('action', 'not_action')

),

{#- per public statement (open to anyone, no restricting condition): whether
    its Action covers (or its NotAction leaves) a read or a write action #}
public_statement_matches as (

    select
        action_elements.statement_id,
        {%- for kind in public_access_kinds %}
            {%- set kind_loop = loop %}
            {%- for action in kind.actions %}
        max(case
            when action_elements.element_kind = 'action'
                and {{ soc2.like_match("'" ~ action ~ "'", 'action_elements.like_pattern') }}
                then 1 else 0
        end) as {{ kind.key }}_action_{{ loop.index }},
        max(case
            when action_elements.element_kind = 'not_action'
                and {{ soc2.like_match("'" ~ action ~ "'", 'action_elements.like_pattern') }}
                then 1 else 0
        end) as {{ kind.key }}_not_action_{{ loop.index }}
        {{- ',' if not (kind_loop.last and loop.last) }}
            {%- endfor %}
        {%- endfor %}
    from action_elements
    inner join public_policy_statements
        on action_elements.statement_id = public_policy_statements.statement_id
    group by action_elements.statement_id

),

public_statement_access as (

    select
        public_policy_statements.resource_arn as bucket_arn,
        public_policy_statements.statement_label,
        {%- for kind in public_access_kinds %}
        (
            {%- for action in kind.actions %}
            (policy_statements.has_action
                and coalesce(public_statement_matches.{{ kind.key }}_action_{{ loop.index }}, 0) = 1)
            or (policy_statements.has_not_action
                and coalesce(public_statement_matches.{{ kind.key }}_not_action_{{ loop.index }}, 0) = 0)
            {{- ' or' if not loop.last }}
            {%- endfor %}
        ) as grants_{{ kind.key }}{{ ',' if not loop.last }}
        {%- endfor %}
    from public_policy_statements
    inner join policy_statements
        on public_policy_statements.statement_id = policy_statements.statement_id
    left join public_statement_matches
        on public_policy_statements.statement_id = public_statement_matches.statement_id

),

public_policy_access as (

    select
        bucket_arn,
        {%- for kind in public_access_kinds %}
        nullif({{ soc2.string_agg_distinct(
            'case when grants_' ~ kind.key ~ ' then statement_label end', ', ') }}, '')
            as public_{{ kind.key }}_statements{{ ',' if not loop.last }}
        {%- endfor %}
    from public_statement_access
    group by bucket_arn

),

public_acl_grants as (

    select
        bucket_arn,
        nullif({{ soc2.string_agg_distinct(
            "case when permission in ('READ', 'READ_ACP', 'FULL_CONTROL') "
            ~ "then " ~ dbt.split_part('coalesce(grantee_uri, grantee_id)', "'/'", 6)
            ~ " || ' ' || permission end", ', ') }}, '') as public_read_grants,
        nullif({{ soc2.string_agg_distinct(
            "case when permission in ('WRITE', 'WRITE_ACP', 'FULL_CONTROL') "
            ~ "then " ~ dbt.split_part('coalesce(grantee_uri, grantee_id)', "'/'", 6)
            ~ " || ' ' || permission end", ', ') }}, '') as public_write_grants
    from bucket_grants
    where coalesce(grantee_uri, grantee_id) in ({{ soc2.sql_list(public_groups) }})
    group by bucket_arn

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
        case
            when coalesce(public_access_blocks.ignore_public_acls, false) then 'bucket'
            when coalesce(bucket_accounts.ignore_public_acls, false) then 'account'
        end as ignore_public_acls_level,
        ownership_controls.object_ownership,
        public_acl_grants.public_read_grants,
        public_acl_grants.public_write_grants,
        public_policy_access.public_read_statements,
        public_policy_access.public_write_statements,
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
    left join ownership_controls
        on buckets.bucket_arn = ownership_controls.bucket_arn
    left join public_acl_grants
        on buckets.bucket_arn = public_acl_grants.bucket_arn
    left join public_policy_access
        on buckets.bucket_arn = public_policy_access.bucket_arn

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

{% for kind in public_access_kinds %}
    bucket_no_public_{{ kind.key }}_state as (

        select
            bucket_state.*,
            case
                when public_{{ kind.key }}_grants is null then null
                when object_ownership = 'BucketOwnerEnforced' then 'ACLs are disabled (BucketOwnerEnforced)'
                when ignore_public_acls_level is not null
                    then 'IgnorePublicAcls is on for the ' || ignore_public_acls_level
            end as acl_neutraliser,
            case
                when public_{{ kind.key }}_statements is null then null
                when restrict_public_buckets_level is not null
                    then 'RestrictPublicBuckets is on for the ' || restrict_public_buckets_level
            end as policy_neutraliser
        from bucket_state

    ),

    bucket_no_public_{{ kind.key }} as (

        select
            'aws_s3_bucket_no_public_{{ kind.key }}' as control_id,
            account_id,
            region,
            'aws_s3_bucket' as resource_type,
            bucket_arn as resource_id,
            case
                when public_{{ kind.key }}_grants is not null and acl_neutraliser is null then 'fail'
                when public_{{ kind.key }}_statements is not null and policy_neutraliser is null then 'fail'
                when is_policy_unparseable then 'not_evaluated'
                else 'pass'
            end as status,
            case
                when
                    (public_{{ kind.key }}_grants is not null and acl_neutraliser is null)
                    or (public_{{ kind.key }}_statements is not null and policy_neutraliser is null)
                    then concat_ws('; ',
                        case when public_{{ kind.key }}_grants is not null and acl_neutraliser is null
                            then 'the ACL of bucket ' || bucket_name || ' grants ' || public_{{ kind.key }}_grants
                            || ' to everyone; remove the grant or disable ACLs (BucketOwnerEnforced)' end,
                        case when public_{{ kind.key }}_statements is not null and policy_neutraliser is null
                            then 'the policy of bucket ' || bucket_name || ' lets anyone {{ kind.key }} (statements '
                            || public_{{ kind.key }}_statements || ') with no condition that restricts who; '
                            || 'restrict them or turn on RestrictPublicBuckets' end)
                when is_policy_unparseable
                    then 'the ACL of bucket ' || bucket_name || ' grants no public {{ kind.key }}, but its policy '
                    || 'could not be parsed; see soc2__policy_quarantine'
                when acl_neutraliser is not null or policy_neutraliser is not null
                    then 'public {{ kind.key }} grants of bucket ' || bucket_name || ' are blocked: '
                    || concat_ws('; ', acl_neutraliser, policy_neutraliser)
                else 'neither the ACL nor the policy of the bucket lets anyone {{ kind.key }}'
            end as reason,
            'acl_public_grants=' || coalesce(public_{{ kind.key }}_grants, 'none')
            || '; policy_public_statements=' || coalesce(public_{{ kind.key }}_statements, 'none')
            || '; ignore_public_acls=' || coalesce(ignore_public_acls_level, 'off')
            || '; restrict_public_buckets=' || coalesce(restrict_public_buckets_level, 'off')
            || '; object_ownership=' || coalesce(object_ownership, 'not set') as evidence,
            source_relation,
            synced_at
        from bucket_no_public_{{ kind.key }}_state

    ),
{% endfor %}

bucket_acls_disabled as (

    select
        'aws_s3_bucket_acls_disabled' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case when object_ownership = 'BucketOwnerEnforced' then 'pass' else 'fail' end as status,
        case
            when object_ownership = 'BucketOwnerEnforced'
                then 'Object Ownership is BucketOwnerEnforced: ACLs are disabled'
            else 'bucket ' || bucket_name || ' Object Ownership is '
                || coalesce(object_ownership, 'not set') || ', so ACLs still grant access; '
                || 'set BucketOwnerEnforced'
        end as reason,
        'object_ownership=' || coalesce(object_ownership, 'not set') as evidence,
        source_relation,
        synced_at
    from bucket_state

),

object_lock_state as (

    select
        buckets.account_id,
        buckets.region,
        buckets.bucket_arn,
        buckets.bucket_name,
        coalesce(object_locks.is_object_lock_enabled, false) as is_object_lock_enabled,
        object_locks.default_retention_mode,
        {%- if object_lock_buckets %}
        (
            {%- for pattern in object_lock_buckets %}
            {{ soc2.wildcard_match('buckets.bucket_name', "'" ~ pattern ~ "'") }}
            or {{ soc2.wildcard_match('buckets.bucket_arn', "'" ~ pattern ~ "'") }}
            {{- ' or' if not loop.last }}
            {%- endfor %}
        )
        {%- else %}
        cast(null as {{ dbt.type_boolean() }})
        {%- endif %} as is_designated,
        buckets.source_relation,
        buckets.synced_at
    from buckets
    left join object_locks
        on buckets.bucket_arn = object_locks.bucket_arn

),

bucket_object_lock as (

    select
        'aws_s3_object_lock' as control_id,
        account_id,
        region,
        'aws_s3_bucket' as resource_type,
        bucket_arn as resource_id,
        case
            when is_object_lock_enabled then 'pass'
            when is_designated is null then 'not_evaluated'
            when is_designated then 'fail'
            else 'not_applicable'
        end as status,
        case
            when is_object_lock_enabled
                then 'Object Lock is enabled (default retention '
                || coalesce(default_retention_mode, 'none') || ')'
            when is_designated is null
                then 'Object Lock is off and the var soc2_object_lock_buckets, which names the buckets '
                || 'holding records or backups that need it, is not set'
            when is_designated
                then 'bucket ' || bucket_name || ' holds records or backups (soc2_object_lock_buckets) '
                || 'but Object Lock is off; enable it with a default retention'
            else 'the bucket is not listed in soc2_object_lock_buckets'
        end as reason,
        'object_lock=' || cast(is_object_lock_enabled as {{ dbt.type_string() }})
        || '; designated=' || coalesce(cast(is_designated as {{ dbt.type_string() }}), 'unset')
            as evidence,
        source_relation,
        synced_at
    from object_lock_state

),

replication_rules as (

    select
        replications.bucket_arn,
        {{ soc2.json_text('rule_element', ['Status']) }} as rule_status,
        {{ soc2.json_text('rule_element', ['Destination', 'Bucket']) }} as destination_bucket_arn
    from replications
    {{ soc2.unnest_lateral(soc2.json_as_array('replications.replication_rules'),
        'rule_element', 'rule_index') }}

),

replication_destinations as (

    select
        replication_rules.bucket_arn,
        max(case
            when replication_rules.rule_status = 'Enabled'
                and destination_buckets.region is not null
                and destination_buckets.region != source_buckets.region
                then 1 else 0
        end) as has_cross_region,
        max(case
            when replication_rules.rule_status = 'Enabled' and destination_buckets.region is null
                then 1 else 0
        end) as has_unknown_destination,
        max(case when replication_rules.rule_status = 'Enabled' then 1 else 0 end)
            as has_enabled_rule,
        {{ soc2.string_agg_distinct(
            "case when replication_rules.rule_status = 'Enabled' then "
            ~ "replication_rules.destination_bucket_arn || ' (' "
            ~ "|| coalesce(destination_buckets.region, 'region unknown') || ')' end", ', ') }}
            as destinations
    from replication_rules
    inner join buckets as source_buckets
        on replication_rules.bucket_arn = source_buckets.bucket_arn
    left join buckets as destination_buckets
        on replication_rules.destination_bucket_arn = destination_buckets.bucket_arn
    group by replication_rules.bucket_arn

),

bucket_replication as (

    select
        'aws_s3_replication' as control_id,
        buckets.account_id,
        buckets.region,
        'aws_s3_bucket' as resource_type,
        buckets.bucket_arn as resource_id,
        case
            when replication_destinations.has_cross_region = 1 then 'pass'
            when replication_destinations.has_unknown_destination = 1 then 'not_evaluated'
            else 'fail'
        end as status,
        case
            when replication_destinations.has_cross_region = 1
                then 'objects are replicated to another region: ' || replication_destinations.destinations
            when replication_destinations.has_unknown_destination = 1
                then 'objects are replicated to ' || replication_destinations.destinations
                || ', a bucket not in the synced inventory, so its region cannot be read'
            when replication_destinations.has_enabled_rule = 1
                then 'bucket ' || buckets.bucket_name || ' replicates only within its own region ('
                || replication_destinations.destinations || '); add a rule to another region'
            else 'bucket ' || buckets.bucket_name
                || ' has no enabled replication rule; replicate it to another region'
        end as reason,
        'destinations=' || coalesce(nullif(replication_destinations.destinations, ''), 'none')
            as evidence,
        buckets.source_relation,
        buckets.synced_at
    from buckets
    left join replication_destinations
        on buckets.bucket_arn = replication_destinations.bucket_arn

),

lifecycle_rules as (

    select
        bucket_arn,
        sum(case when is_enabled then 1 else 0 end) as enabled_rule_count,
        sum(case when is_enabled and has_noncurrent_version_expiration then 1 else 0 end)
            as noncurrent_expiration_rule_count
    from lifecycles
    group by bucket_arn

),

bucket_lifecycle as (

    select
        'aws_s3_lifecycle_policy' as control_id,
        bucket_state.account_id,
        bucket_state.region,
        'aws_s3_bucket' as resource_type,
        bucket_state.bucket_arn as resource_id,
        case
            when coalesce(lifecycle_rules.enabled_rule_count, 0) = 0 then 'fail'
            when bucket_state.is_versioning_enabled
                and coalesce(lifecycle_rules.noncurrent_expiration_rule_count, 0) = 0 then 'fail'
            else 'pass'
        end as status,
        case
            when coalesce(lifecycle_rules.enabled_rule_count, 0) = 0
                then 'bucket ' || bucket_state.bucket_name
                || ' has no enabled lifecycle rule; add rules that expire or archive data per retention policy'
            when bucket_state.is_versioning_enabled
                and coalesce(lifecycle_rules.noncurrent_expiration_rule_count, 0) = 0
                then 'bucket ' || bucket_state.bucket_name
                || ' is versioned but no enabled lifecycle rule expires noncurrent versions; add one'
            else 'the bucket has ' || cast(lifecycle_rules.enabled_rule_count as {{ dbt.type_string() }})
                || ' enabled lifecycle rules'
        end as reason,
        'enabled_rules=' || cast(coalesce(lifecycle_rules.enabled_rule_count, 0) as {{ dbt.type_string() }})
        || '; noncurrent_expiration_rules='
        || cast(coalesce(lifecycle_rules.noncurrent_expiration_rule_count, 0) as {{ dbt.type_string() }})
        || '; versioning=' || coalesce(bucket_state.versioning_status, 'none') as evidence,
        bucket_state.source_relation,
        bucket_state.synced_at
    from bucket_state
    left join lifecycle_rules
        on bucket_state.bucket_arn = lifecycle_rules.bucket_arn

),

bucket_event_notifications as (

    select
        'aws_s3_event_notifications' as control_id,
        buckets.account_id,
        buckets.region,
        'aws_s3_bucket' as resource_type,
        buckets.bucket_arn as resource_id,
        case
            when notifications.has_event_bridge or notifications.has_lambda_destinations
                or notifications.has_queue_destinations or notifications.has_topic_destinations
                then 'pass'
            else 'fail'
        end as status,
        case
            when notifications.has_event_bridge or notifications.has_lambda_destinations
                or notifications.has_queue_destinations or notifications.has_topic_destinations
                then 'object events are sent to: ' || concat_ws(', ',
                    case when notifications.has_event_bridge then 'EventBridge' end,
                    case when notifications.has_lambda_destinations then 'Lambda' end,
                    case when notifications.has_queue_destinations then 'SQS' end,
                    case when notifications.has_topic_destinations then 'SNS' end)
            else 'bucket ' || buckets.bucket_name
                || ' sends no event notifications; send object events to EventBridge, SNS, SQS or Lambda'
        end as reason,
        'event_bridge=' || cast(coalesce(notifications.has_event_bridge, false) as {{ dbt.type_string() }})
        || '; lambda=' || cast(coalesce(notifications.has_lambda_destinations, false) as {{ dbt.type_string() }})
        || '; sqs=' || cast(coalesce(notifications.has_queue_destinations, false) as {{ dbt.type_string() }})
        || '; sns=' || cast(coalesce(notifications.has_topic_destinations, false) as {{ dbt.type_string() }})
            as evidence,
        buckets.source_relation,
        buckets.synced_at
    from buckets
    left join notifications
        on buckets.bucket_arn = notifications.bucket_arn

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
    union all
    select * from bucket_no_public_read
    union all
    select * from bucket_no_public_write
    union all
    select * from bucket_acls_disabled
    union all
    select * from bucket_object_lock
    union all
    select * from bucket_replication
    union all
    select * from bucket_lifecycle
    union all
    select * from bucket_event_notifications

)

select * from final
{% endcall %}
