-- CloudTrail controls. Per trail (one row per trail, in its home region):
-- SSE-KMS encryption, log file validation, delivery to CloudWatch Logs in
-- the last 24 hours, and protection of its S3 bucket. Per account: a trail
-- that meets every best practice, S3 data events for all buckets, Lambda and
-- Bedrock data events, and CloudTrail Insights; these count only trails that
-- are logging. Which regions are covered is another control's concern.
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

trails as (

    select * from {{ ref('int_soc2__aws_cloudtrail_trails') }}

),

buckets as (

    select * from {{ ref('stg_soc2__aws_s3_buckets') }}

),

public_access_blocks as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_public_access_blocks') }}

),

s3_accounts as (

    select * from {{ ref('stg_soc2__aws_s3_accounts') }}

),

loggings as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_loggings') }}

),

versionings as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_versionings') }}

),

public_statements as (

    select
        resource_arn as bucket_arn,
        max(case when not is_restricted then 1 else 0 end) = 1 as is_public
    from {{ ref('int_soc2__aws_public_policy_statements') }}
    where document_kind = 'bucket_policy'
    group by resource_arn

),

unparseable_policies as (

    select distinct owner_arn as bucket_arn
    from {{ ref('int_soc2__aws_policy_documents') }}
    where document_kind = 'bucket_policy' and document_problem is not null

),

trail_relation as (

    select max(source_relation) as source_relation
    from trails

),

kms_encrypted as (

    select
        'aws_cloudtrail_kms_encrypted' as control_id,
        account_id,
        home_region as region,
        'aws_cloudtrail_trail' as resource_type,
        trail_arn as resource_id,
        case when kms_key_id is not null then 'pass' else 'fail' end as status,
        case
            when kms_key_id is not null
                then 'trail ' || trail_name || ' encrypts its log files with KMS key ' || kms_key_id
            else
                'trail ' || trail_name || ' log files are encrypted only with SSE-S3; '
                || 'set a customer managed KMS key (KmsKeyId) on the trail'
        end as reason,
        'kms_key_id=' || coalesce(kms_key_id, 'none') as evidence,
        source_relation,
        synced_at
    from trails

),

log_file_validation as (

    select
        'aws_cloudtrail_log_file_validation' as control_id,
        account_id,
        home_region as region,
        'aws_cloudtrail_trail' as resource_type,
        trail_arn as resource_id,
        case when is_log_file_validation_enabled then 'pass' else 'fail' end as status,
        case
            when is_log_file_validation_enabled
                then 'trail ' || trail_name || ' writes digest files to validate its log files'
            else
                'trail ' || trail_name || ' has log file validation off; turn it on so that '
                || 'changed or deleted log files can be detected'
        end as reason,
        'log_file_validation_enabled='
        || cast(is_log_file_validation_enabled as {{ dbt.type_string() }}) as evidence,
        source_relation,
        synced_at
    from trails

),

cloudwatch_integration as (

    select
        'aws_cloudtrail_cloudwatch_integration' as control_id,
        account_id,
        home_region as region,
        'aws_cloudtrail_trail' as resource_type,
        trail_arn as resource_id,
        case
            when log_group_arn is null then 'fail'
            when latest_cloudwatch_delivery_at is null then 'fail'
            when latest_cloudwatch_delivery_at
                < {{ dbt.dateadd('day', -1, soc2.as_of_timestamp()) }} then 'fail'
            else 'pass'
        end as status,
        case
            when log_group_arn is null
                then
                    'trail ' || trail_name || ' does not deliver to CloudWatch Logs; set a log '
                    || 'group and a role (CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn)'
            when latest_cloudwatch_delivery_at is null
                then
                    'trail ' || trail_name || ' names log group ' || coalesce(log_group_name, log_group_arn)
                    || ' but has never delivered to it; check the trail''s CloudWatch Logs role'
            when latest_cloudwatch_delivery_at
                < {{ dbt.dateadd('day', -1, soc2.as_of_timestamp()) }}
                then
                    'trail ' || trail_name || ' last delivered to log group '
                    || coalesce(log_group_name, log_group_arn) || ' on '
                    || {{ soc2.date_text('latest_cloudwatch_delivery_at') }}
                    || ', more than 24 hours ago; check the trail is logging and its role'
            else
                'trail ' || trail_name || ' delivers to log group '
                || coalesce(log_group_name, log_group_arn) || ' (last delivery within 24 hours)'
        end as reason,
        'log_group=' || coalesce(log_group_arn, 'none') || '; latest_delivery='
        || coalesce(cast(latest_cloudwatch_delivery_at as {{ dbt.type_string() }}), 'none')
            as evidence,
        source_relation,
        synced_at
    from trails

),

bucket_state as (

    select
        buckets.bucket_name,
        buckets.bucket_arn,
        coalesce(public_statements.is_public, false)
        and not coalesce(public_access_blocks.restrict_public_buckets, false)
        and not coalesce(s3_accounts.restrict_public_buckets, false) as is_public,
        unparseable_policies.bucket_arn is not null as is_policy_unparseable,
        loggings.target_bucket as log_target_bucket,
        coalesce(versionings.is_mfa_delete_enabled, false) as is_mfa_delete_enabled
    from buckets
    left join public_statements
        on buckets.bucket_arn = public_statements.bucket_arn
    left join unparseable_policies
        on buckets.bucket_arn = unparseable_policies.bucket_arn
    left join public_access_blocks
        on buckets.bucket_arn = public_access_blocks.bucket_arn
    left join s3_accounts
        on buckets.account_id = s3_accounts.account_id
    left join loggings
        on buckets.bucket_arn = loggings.bucket_arn
    left join versionings
        on buckets.bucket_arn = versionings.bucket_arn

),

trail_buckets as (

    select
        trails.account_id,
        trails.home_region,
        trails.trail_arn,
        trails.trail_name,
        trails.s3_bucket_name,
        bucket_state.bucket_arn is not null as is_bucket_synced,
        bucket_state.is_public,
        bucket_state.is_policy_unparseable,
        bucket_state.log_target_bucket,
        bucket_state.is_mfa_delete_enabled,
        concat_ws(', ',
            case
                when bucket_state.is_public and not bucket_state.is_policy_unparseable
                    then 'its policy admits anyone'
            end,
            case when bucket_state.log_target_bucket is null then 'no server access logging' end,
            case when not bucket_state.is_mfa_delete_enabled then 'no MFA delete' end
        ) as weaknesses,
        trails.source_relation,
        trails.synced_at
    from trails
    left join bucket_state
        on trails.s3_bucket_name = bucket_state.bucket_name

),

bucket_protected as (

    select
        'aws_cloudtrail_bucket_protected' as control_id,
        account_id,
        home_region as region,
        'aws_cloudtrail_trail' as resource_type,
        trail_arn as resource_id,
        case
            when not is_bucket_synced then 'not_evaluated'
            when weaknesses != '' then 'fail'
            when is_policy_unparseable then 'not_evaluated'
            else 'pass'
        end as status,
        case
            when not is_bucket_synced
                then
                    'bucket ' || coalesce(s3_bucket_name, '(none)') || ' of trail ' || trail_name
                    || ' is not in aws_s3_buckets; sync the account that owns it (often a log '
                    || 'archive account) to evaluate it'
            when weaknesses != ''
                then
                    'bucket ' || s3_bucket_name || ' of trail ' || trail_name || ' is weakly protected: '
                    || weaknesses || '; keep it private, log access to it and require MFA delete'
                    || case
                        when is_policy_unparseable
                            then ' (its policy could not be parsed; see soc2__policy_quarantine)'
                        else ''
                    end
            when is_policy_unparseable
                then
                    'the policy of bucket ' || s3_bucket_name || ' of trail ' || trail_name
                    || ' could not be parsed; see soc2__policy_quarantine'
            else
                'bucket ' || s3_bucket_name || ' of trail ' || trail_name
                || ' is not public by policy, logs access and requires MFA delete (ACL grants are not read)'
        end as reason,
        'bucket=' || coalesce(s3_bucket_name, 'none')
        || '; synced=' || cast(is_bucket_synced as {{ dbt.type_string() }})
        || '; weaknesses=' || coalesce(nullif(weaknesses, ''), 'none') as evidence,
        source_relation,
        synced_at
    from trail_buckets

),

logging_trails as (

    select
        trails.*,
        concat_ws(', ',
            case when not is_multi_region_trail then 'multi-region' end,
            case when not records_management_events then 'read and write management events' end,
            case when not includes_global_service_events then 'global service events' end,
            case when kms_key_id is null then 'KMS encryption' end,
            case when not is_log_file_validation_enabled then 'log file validation' end,
            case when log_group_arn is null then 'CloudWatch Logs delivery' end
        ) as missing_practices
    from trails
    where is_logging

),

ranked_logging_trails as (

    select
        logging_trails.*,
        row_number() over (
            partition by account_id
            order by length(missing_practices), trail_name
        ) as practice_rank
    from logging_trails

),

account_trails as (

    select
        accounts.account_id,
        best.trail_name as best_trail_name,
        best.missing_practices as best_missing_practices,
        coverage.s3_all_trails,
        coverage.s3_some_trails,
        coverage.lambda_trails,
        coverage.bedrock_trails,
        coverage.insights_trails,
        coalesce(best.source_relation, trail_relation.source_relation, 'aws_cloudtrail_trails')
            as source_relation,
        best.synced_at
    from accounts
    cross join trail_relation
    left join ranked_logging_trails as best
        on
            accounts.account_id = best.account_id
            and best.practice_rank = 1
    left join (
        select
            account_id,
            nullif({{ soc2.string_agg_distinct(
                'case when records_s3_data_events_all then trail_name end', ', ') }}, '')
                as s3_all_trails,
            nullif({{ soc2.string_agg_distinct(
                'case when records_s3_data_events_some then trail_name end', ', ') }}, '')
                as s3_some_trails,
            nullif({{ soc2.string_agg_distinct(
                'case when records_lambda_data_events_all then trail_name end', ', ') }}, '')
                as lambda_trails,
            nullif({{ soc2.string_agg_distinct(
                'case when records_bedrock_data_events then trail_name end', ', ') }}, '')
                as bedrock_trails,
            nullif({{ soc2.string_agg_distinct(
                'case when has_insight_selectors then trail_name end', ', ') }}, '')
                as insights_trails
        from logging_trails
        group by account_id
    ) as coverage
        on accounts.account_id = coverage.account_id

),

security_trail as (

    select
        'aws_cloudtrail_security_trail' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case
            when best_trail_name is null then 'fail'
            when best_missing_practices != '' then 'fail'
            else 'pass'
        end as status,
        case
            when best_trail_name is null
                then
                    'no trail of this account is logging; create a multi-region trail with '
                    || 'management events, global service events, KMS encryption, log file '
                    || 'validation and CloudWatch Logs delivery'
            when best_missing_practices != ''
                then
                    'no logging trail meets every best practice; the closest, ' || best_trail_name
                    || ', lacks: ' || best_missing_practices
            else
                'trail ' || best_trail_name || ' is multi-region, records read and write management '
                || 'and global service events, is KMS-encrypted, validates its log files and '
                || 'delivers to CloudWatch Logs'
        end as reason,
        'trail=' || coalesce(best_trail_name, 'none')
        || '; missing=' || coalesce(nullif(best_missing_practices, ''), 'none') as evidence,
        source_relation,
        synced_at
    from account_trails

),

s3_data_events as (

    select
        'aws_cloudtrail_s3_data_events' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case when s3_all_trails is not null then 'pass' else 'fail' end as status,
        case
            when s3_all_trails is not null
                then
                    'trail ' || s3_all_trails
                    || ' records S3 object-level read and write data events for all buckets'
            when s3_some_trails is not null
                then
                    'trail ' || s3_some_trails || ' records S3 data events only for some buckets '
                    || 'or only reads or writes; select AWS::S3::Object for all buckets, read and write'
            else
                'no logging trail records S3 object-level data events; add a data event selector '
                || 'for AWS::S3::Object covering all buckets'
        end as reason,
        'all_buckets_trails=' || coalesce(s3_all_trails, 'none')
        || '; partial_trails=' || coalesce(s3_some_trails, 'none') as evidence,
        source_relation,
        synced_at
    from account_trails

),

other_data_events as (

    select
        'aws_cloudtrail_other_data_events' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case
            when lambda_trails is not null and bedrock_trails is not null then 'pass'
            else 'fail'
        end as status,
        case
            when lambda_trails is not null and bedrock_trails is not null
                then
                    'Lambda invocations are recorded by trail ' || lambda_trails
                    || ' and Bedrock API calls by trail ' || bedrock_trails
            else
                'no logging trail records '
                || concat_ws(' or ',
                    case when lambda_trails is null then 'Lambda Invoke data events for all functions' end,
                    case when bedrock_trails is null then 'Bedrock data events' end)
                || '; add data event selectors for AWS::Lambda::Function and the AWS::Bedrock:: '
                || 'resource types (advanced selectors)'
        end as reason,
        'lambda_trails=' || coalesce(lambda_trails, 'none')
        || '; bedrock_trails=' || coalesce(bedrock_trails, 'none') as evidence,
        source_relation,
        synced_at
    from account_trails

),

insights as (

    select
        'aws_cloudtrail_insights' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case when insights_trails is not null then 'pass' else 'fail' end as status,
        case
            when insights_trails is not null
                then
                    'trail ' || insights_trails || ' has Insights selectors (which Insights types '
                    || 'are on is not synced)'
            else
                'no logging trail has CloudTrail Insights; turn on API call rate and error rate '
                || 'Insights on a trail'
        end as reason,
        'insights_trails=' || coalesce(insights_trails, 'none') as evidence,
        source_relation,
        synced_at
    from account_trails

),

final as (

    select * from kms_encrypted
    union all
    select * from log_file_validation
    union all
    select * from cloudwatch_integration
    union all
    select * from bucket_protected
    union all
    select * from security_trail
    union all
    select * from s3_data_events
    union all
    select * from other_data_events
    union all
    select * from insights

)

select * from final
{% endcall %}
