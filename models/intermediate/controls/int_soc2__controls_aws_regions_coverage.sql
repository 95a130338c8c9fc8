-- Region-scoped controls: in every enabled, synced region of every account,
-- CloudTrail logs management events, AWS Config records, IAM Access Analyzer,
-- GuardDuty and Security Hub are on. One row per row of the regions dimension
-- (int_soc2__aws_account_regions, DECISIONS 72): a region with nothing
-- configured fails, a region that is not enabled is not_applicable, and an
-- enabled region outside the sync scope, or an account whose region data
-- was not synced, is not_evaluated. A multi-region trail covers every region
-- of its account; an organisation trail, or an Access Analyzer analyzer whose
-- zone of trust is the organisation, covers every member account of the
-- organisation of the account that holds it (aws_organizations_accounts,
-- aws_organizations).
{% call soc2.control_family() %}
with regions as (

    select * from {{ ref('int_soc2__aws_account_regions') }}

),

evaluated_regions as (

    select * from regions
    where evaluation_status = 'evaluated'

),

organization_accounts as (

    select * from {{ ref('stg_soc2__aws_organizations_accounts') }}

),

organizations as (

    select * from {{ ref('stg_soc2__aws_organizations') }}

),

trails as (

    select * from {{ ref('stg_soc2__aws_cloudtrail_trails') }}

),

trail_selectors as (

    select * from {{ ref('stg_soc2__aws_cloudtrail_trail_event_selectors') }}

),

recorders as (

    select * from {{ ref('stg_soc2__aws_config_configuration_recorders') }}

),

delivery_statuses as (

    select * from {{ ref('stg_soc2__aws_config_delivery_channel_statuses') }}

),

analyzers as (

    select * from {{ ref('stg_soc2__aws_accessanalyzer_analyzers') }}

),

detectors as (

    select * from {{ ref('stg_soc2__aws_guardduty_detectors') }}

),

hubs as (

    select * from {{ ref('stg_soc2__aws_securityhub_hubs') }}

),

standards as (

    select * from {{ ref('stg_soc2__aws_securityhub_enabled_standards') }}

),

-- every account known to belong to an organisation, with its id
organization_membership as (

    select distinct
        account_id,
        {{ soc2.list_item('organization_account_arn', '/', 2) }} as organization_id
    from organization_accounts
    where account_id is not null

    union

    select distinct
        management_account_id as account_id,
        {{ soc2.list_item('organization_account_arn', '/', 2) }} as organization_id
    from organization_accounts
    where management_account_id is not null

    union

    select distinct account_id, organization_id
    from organizations
    where account_id is not null and organization_id is not null

),

-- pairs (covering account, covered account) of one organisation, the
-- account itself excluded
organization_peers as (

    select distinct
        holders.account_id as holder_account_id,
        members.account_id as member_account_id,
        holders.organization_id
    from organization_membership as holders
    inner join organization_membership as members
        on
            holders.organization_id = members.organization_id
            and holders.account_id != members.account_id

),

-- CloudTrail -----------------------------------------------------------------

basic_selector_items as (

    select
        trail_selectors.trail_arn,
        case
            when
                upper({{ soc2.json_text('selector_item', ['ReadWriteType']) }}) = 'ALL'
                and lower({{ soc2.json_text('selector_item', ['IncludeManagementEvents']) }}) = 'true'
                then 1
            else 0
        end as is_management_read_write
    from trail_selectors
    {{ soc2.unnest_lateral(
        soc2.json_as_array('trail_selectors.event_selectors'),
        'selector_item', 'selector_index') }}

),

advanced_selector_items as (

    select
        trail_selectors.trail_arn,
        selector_index,
        selector_item
    from trail_selectors
    {{ soc2.unnest_lateral(
        soc2.json_as_array('trail_selectors.advanced_event_selectors'),
        'selector_item', 'selector_index') }}

),

advanced_field_items as (

    select
        advanced_selector_items.trail_arn,
        advanced_selector_items.selector_index,
        {{ soc2.json_text('field_item', ['Field']) }} as field_name,
        {{ soc2.json_to_text(soc2.json_value('field_item', ['Equals'])) }} as field_equals
    from advanced_selector_items
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('advanced_selector_items.selector_item', ['FieldSelectors'])),
        'field_item', 'field_index') }}

),

-- an advanced selector of management events with no readOnly filter logs
-- both reads and writes
advanced_selectors as (

    select
        trail_arn,
        selector_index,
        max(case when field_name = 'eventCategory' and field_equals like '%Management%' then 1 else 0 end)
            as is_management,
        max(case when field_name = 'readOnly' then 1 else 0 end) as has_read_only_filter
    from advanced_field_items
    group by trail_arn, selector_index

),

management_selectors as (

    select trail_arn, max(is_management_read_write) as logs_management_read_write
    from basic_selector_items
    group by trail_arn

    union all

    select trail_arn, max(case when is_management = 1 and has_read_only_filter = 0 then 1 else 0 end)
    from advanced_selectors
    group by trail_arn

),

trail_management as (

    select trail_arn, max(logs_management_read_write) as logs_management_read_write
    from management_selectors
    group by trail_arn

),

-- one row per trail of an account (a trail listed in several regions once)
account_trails as (

    select distinct
        trails.account_id,
        trails.trail_arn,
        trails.trail_name,
        trails.home_region,
        trails.is_multi_region_trail,
        trails.is_organization_trail,
        coalesce(trails.is_logging, false) as is_logging,
        coalesce(trail_management.logs_management_read_write, 0) = 1 as logs_management_read_write,
        trails.source_relation,
        trails.synced_at
    from trails
    left join trail_management
        on trails.trail_arn = trail_management.trail_arn

),

qualifying_trails as (

    select * from account_trails
    where is_logging and logs_management_read_write

),

trail_coverage as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        qualifying_trails.trail_name
        || case when qualifying_trails.is_multi_region_trail then ' (multi-region)' else ' (this region)' end
            as covering_trail
    from evaluated_regions
    inner join qualifying_trails
        on
            evaluated_regions.account_id = qualifying_trails.account_id
            and (qualifying_trails.is_multi_region_trail or qualifying_trails.home_region = evaluated_regions.region)

    union all

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        qualifying_trails.trail_name || ' (organisation trail of ' || qualifying_trails.account_id || ')'
            as covering_trail
    from evaluated_regions
    inner join organization_peers
        on evaluated_regions.account_id = organization_peers.member_account_id
    inner join qualifying_trails
        on
            organization_peers.holder_account_id = qualifying_trails.account_id
            and qualifying_trails.is_organization_trail
            and (qualifying_trails.is_multi_region_trail or qualifying_trails.home_region = evaluated_regions.region)

),

trail_defects as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        account_trails.trail_name || ' ('
        || concat_ws(
            ', ',
            case when not account_trails.is_logging then 'not logging' end,
            case
                when not account_trails.logs_management_read_write
                    then 'no selector for read and write management events'
            end
        )
        || ')' as trail_defect
    from evaluated_regions
    inner join account_trails
        on
            evaluated_regions.account_id = account_trails.account_id
            and (account_trails.is_multi_region_trail or account_trails.home_region = evaluated_regions.region)
    where not (account_trails.is_logging and account_trails.logs_management_read_write)

),

cloudtrail_verdicts as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        max(case when trail_coverage.covering_trail is not null then 1 else 0 end) = 1 as is_satisfied,
        case
            when max(case when trail_coverage.covering_trail is not null then 1 else 0 end) = 1
                then 'management events (read and write) of the region are logged by: '
                || {{ soc2.string_agg_distinct('trail_coverage.covering_trail', ', ') }}
            else 'no logging trail records the management events (read and write) of ' || evaluated_regions.region
                || '; create a multi-region trail (or an organisation trail) with a ReadWriteType All '
                || 'management-event selector and start logging'
        end as reason,
        'covering_trails=' || coalesce({{ soc2.string_agg_distinct('trail_coverage.covering_trail', ', ') }}, 'none')
            as evidence,
        'aws_cloudtrail_trails' as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from evaluated_regions
    left join trail_coverage
        on
            evaluated_regions.account_id = trail_coverage.account_id
            and evaluated_regions.region = trail_coverage.region
    group by evaluated_regions.account_id, evaluated_regions.region

),

cloudtrail_verdicts_with_defects as (

    select
        cloudtrail_verdicts.account_id,
        cloudtrail_verdicts.region,
        cloudtrail_verdicts.is_satisfied,
        cloudtrail_verdicts.reason,
        cloudtrail_verdicts.evidence
        || '; other_trails=' || coalesce(defects.trail_defects, 'none') as evidence,
        cloudtrail_verdicts.source_relation,
        cloudtrail_verdicts.synced_at
    from cloudtrail_verdicts
    left join (
        select account_id, region, {{ soc2.string_agg_distinct('trail_defect', '; ') }} as trail_defects
        from trail_defects
        group by account_id, region
    ) as defects
        on
            cloudtrail_verdicts.account_id = defects.account_id
            and cloudtrail_verdicts.region = defects.region

),

cloudtrail_enabled_all_regions as (

    {{ soc2.region_scoped_control('aws_cloudtrail_enabled_all_regions', 'cloudtrail_verdicts_with_defects') }}

),

-- AWS Config -----------------------------------------------------------------

delivery_failures as (

    select
        account_id,
        region,
        {{ soc2.string_agg_distinct('channel_name', ', ') }} as failing_channels
    from delivery_statuses
    where
        history_last_status = 'FAILURE'
        or snapshot_last_status = 'FAILURE'
        or stream_last_status = 'FAILURE'
    group by account_id, region

),

recorder_states as (

    select
        account_id,
        region,
        recorder_name,
        concat_ws(
            ', ',
            case when not is_recording then 'not recording' end,
            case
                when coalesce(last_status, 'NONE') != 'SUCCESS'
                    then 'last status ' || coalesce(last_status, 'unknown')
            end,
            case
                when not coalesce(records_all_supported, false)
                    then 'does not record all supported resource types'
            end
        ) as recorder_defects,
        source_relation,
        synced_at
    from recorders

),

config_regions as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        max(case when recorder_states.recorder_defects = '' then 1 else 0 end) as has_sound_recorder,
        {{ soc2.string_agg_distinct(
            "recorder_states.recorder_name || case when recorder_states.recorder_defects = '' then ' (ok)' "
            ~ "else ' (' || recorder_states.recorder_defects || ')' end", '; ') }} as recorder_summary,
        max(recorder_states.source_relation) as source_relation,
        max(recorder_states.synced_at) as synced_at
    from evaluated_regions
    left join recorder_states
        on
            evaluated_regions.account_id = recorder_states.account_id
            and evaluated_regions.region = recorder_states.region
    group by evaluated_regions.account_id, evaluated_regions.region

),

config_verdicts as (

    select
        config_regions.account_id,
        config_regions.region,
        config_regions.has_sound_recorder = 1 and delivery_failures.failing_channels is null as is_satisfied,
        case
            when config_regions.recorder_summary is null
                then 'no AWS Config configuration recorder in ' || config_regions.region
                || '; create one recording all supported resource types and start it'
            when config_regions.has_sound_recorder = 0
                then 'the AWS Config recorder of ' || config_regions.region || ' is not sound: '
                || config_regions.recorder_summary || '; record all supported resource types and fix the recorder'
            when delivery_failures.failing_channels is not null
                then 'AWS Config records, but delivery failed on channel ' || delivery_failures.failing_channels
                || '; fix the delivery channel (bucket policy, SNS topic, role)'
            else 'AWS Config records all supported resource types and delivers successfully'
        end as reason,
        'recorders=' || coalesce(config_regions.recorder_summary, 'none')
        || '; failing_delivery_channels=' || coalesce(delivery_failures.failing_channels, 'none') as evidence,
        coalesce(config_regions.source_relation, 'aws_config_configuration_recorders') as source_relation,
        config_regions.synced_at
    from config_regions
    left join delivery_failures
        on
            config_regions.account_id = delivery_failures.account_id
            and config_regions.region = delivery_failures.region

),

config_recorder_all_regions as (

    {{ soc2.region_scoped_control('aws_config_recorder_all_regions', 'config_verdicts') }}

),

-- IAM Access Analyzer --------------------------------------------------------

active_analyzers as (

    select * from analyzers
    where analyzer_status = 'ACTIVE'

),

analyzer_coverage as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        active_analyzers.analyzer_name || ' (' || coalesce(active_analyzers.analyzer_type, 'unknown type') || ')'
            as covering_analyzer
    from evaluated_regions
    inner join active_analyzers
        on
            evaluated_regions.account_id = active_analyzers.account_id
            and evaluated_regions.region = active_analyzers.region

    union all

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        active_analyzers.analyzer_name || ' (organisation analyzer of ' || active_analyzers.account_id || ')'
            as covering_analyzer
    from evaluated_regions
    inner join organization_peers
        on evaluated_regions.account_id = organization_peers.member_account_id
    inner join active_analyzers
        on
            organization_peers.holder_account_id = active_analyzers.account_id
            and evaluated_regions.region = active_analyzers.region
            and active_analyzers.analyzer_type like 'ORGANIZATION%'

),

inactive_analyzers as (

    select
        account_id,
        region,
        {{ soc2.string_agg_distinct(
            "analyzer_name || ' (' || coalesce(analyzer_status, 'unknown status') || ')'", ', ') }}
            as analyzer_summary
    from analyzers
    where coalesce(analyzer_status, '') != 'ACTIVE'
    group by account_id, region

),

analyzer_verdicts as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        max(case when analyzer_coverage.covering_analyzer is not null then 1 else 0 end) = 1 as is_satisfied,
        case
            when max(case when analyzer_coverage.covering_analyzer is not null then 1 else 0 end) = 1
                then 'IAM Access Analyzer is active for the region: '
                || {{ soc2.string_agg_distinct('analyzer_coverage.covering_analyzer', ', ') }}
            else 'no active IAM Access Analyzer analyzer covers ' || evaluated_regions.region
                || ' (none of the account, none of its organisation); create an analyzer in the region'
        end as reason,
        'active_analyzers=' || coalesce({{ soc2.string_agg_distinct('analyzer_coverage.covering_analyzer', ', ') }}, 'none')
        || '; inactive_analyzers=' || coalesce(max(inactive_analyzers.analyzer_summary), 'none') as evidence,
        'aws_accessanalyzer_analyzers' as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from evaluated_regions
    left join analyzer_coverage
        on
            evaluated_regions.account_id = analyzer_coverage.account_id
            and evaluated_regions.region = analyzer_coverage.region
    left join inactive_analyzers
        on
            evaluated_regions.account_id = inactive_analyzers.account_id
            and evaluated_regions.region = inactive_analyzers.region
    group by evaluated_regions.account_id, evaluated_regions.region

),

iam_access_analyzer_enabled as (

    {{ soc2.region_scoped_control('aws_iam_access_analyzer_enabled', 'analyzer_verdicts') }}

),

-- GuardDuty ------------------------------------------------------------------

guardduty_verdicts as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        max(case when detectors.detector_status = 'ENABLED' then 1 else 0 end) = 1 as is_satisfied,
        case
            when max(case when detectors.detector_status = 'ENABLED' then 1 else 0 end) = 1
                then 'a GuardDuty detector is enabled in the region'
            when max(detectors.detector_id) is not null
                then 'the GuardDuty detector of ' || evaluated_regions.region || ' is suspended (status '
                || coalesce(max(detectors.detector_status), 'unknown') || '); re-enable it'
            else 'no GuardDuty detector in ' || evaluated_regions.region
                || '; enable GuardDuty in the region (or auto-enable it from the delegated administrator)'
        end as reason,
        'detectors=' || coalesce(
            {{ soc2.string_agg_distinct("detectors.detector_id || ' (' || coalesce(detectors.detector_status, 'unknown') || ')'", ', ') }},
            'none'
        ) as evidence,
        coalesce(max(detectors.source_relation), 'aws_guardduty_detectors') as source_relation,
        max(detectors.synced_at) as synced_at
    from evaluated_regions
    left join detectors
        on
            evaluated_regions.account_id = detectors.account_id
            and evaluated_regions.region = detectors.region
    group by evaluated_regions.account_id, evaluated_regions.region

),

guardduty_enabled as (

    {{ soc2.region_scoped_control('aws_guardduty_enabled', 'guardduty_verdicts') }}

),

-- Security Hub ---------------------------------------------------------------

hub_regions as (

    select
        evaluated_regions.account_id,
        evaluated_regions.region,
        max(case when hubs.hub_arn is not null then 1 else 0 end) as has_hub,
        max(hubs.source_relation) as source_relation,
        max(hubs.synced_at) as synced_at
    from evaluated_regions
    left join hubs
        on
            evaluated_regions.account_id = hubs.account_id
            and evaluated_regions.region = hubs.region
    group by evaluated_regions.account_id, evaluated_regions.region

),

standard_regions as (

    select
        account_id,
        region,
        max(case when standards_status = 'READY' then 1 else 0 end) as has_ready_standard,
        {{ soc2.string_agg_distinct(
            "standards_arn || ' (' || coalesce(standards_status, 'unknown') || ')'", ', ') }} as standard_summary
    from standards
    group by account_id, region

),

securityhub_verdicts as (

    select
        hub_regions.account_id,
        hub_regions.region,
        hub_regions.has_hub = 1 and coalesce(standard_regions.has_ready_standard, 0) = 1 as is_satisfied,
        case
            when hub_regions.has_hub = 0
                then 'Security Hub is not enabled in ' || hub_regions.region || '; enable it with at least one standard'
            when coalesce(standard_regions.has_ready_standard, 0) = 0
                then 'Security Hub is enabled in ' || hub_regions.region
                || ' but no standard is READY; enable a standard (e.g. AWS Foundational Security Best Practices)'
            else 'Security Hub is enabled with at least one READY standard'
        end as reason,
        'hub=' || case when hub_regions.has_hub = 1 then 'yes' else 'no' end
        || '; standards=' || coalesce(standard_regions.standard_summary, 'none') as evidence,
        coalesce(hub_regions.source_relation, 'aws_securityhub_hubs') as source_relation,
        hub_regions.synced_at
    from hub_regions
    left join standard_regions
        on
            hub_regions.account_id = standard_regions.account_id
            and hub_regions.region = standard_regions.region

),

securityhub_enabled as (

    {{ soc2.region_scoped_control('aws_securityhub_enabled', 'securityhub_verdicts') }}

),

final as (

    select * from cloudtrail_enabled_all_regions
    union all
    select * from config_recorder_all_regions
    union all
    select * from iam_access_analyzer_enabled
    union all
    select * from guardduty_enabled
    union all
    select * from securityhub_enabled

)

select * from final
{% endcall %}
