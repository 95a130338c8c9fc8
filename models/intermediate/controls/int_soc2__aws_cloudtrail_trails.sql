-- One row per CloudTrail trail (its home-region row; a multi-region trail is
-- synced from every region it covers), with what its event selectors record:
-- classic selectors (ReadWriteType, IncludeManagementEvents, DataResources)
-- and advanced selectors (FieldSelectors on eventCategory, readOnly,
-- resources.type, resources.ARN) read alike.
with trails as (

    select * from {{ ref('stg_soc2__aws_cloudtrail_trails') }}

),

selectors as (

    select * from {{ ref('stg_soc2__aws_cloudtrail_trail_event_selectors') }}

),

ranked_trails as (

    select
        trails.*,
        row_number() over (
            partition by trails.trail_arn
            order by case when trails.region = trails.home_region then 0 else 1 end, trails.region
        ) as region_rank
    from trails

),

home_trails as (

    select * from ranked_trails
    where region_rank = 1

),

classic_selectors as (

    select
        selectors.trail_arn,
        coalesce({{ soc2.json_text('classic_selector', ['ReadWriteType']) }}, 'All') as read_write_type,
        {{ soc2.json_text('classic_selector', ['IncludeManagementEvents']) }}
            as include_management_events,
        coalesce(
            {{ soc2.json_to_text(soc2.json_value('classic_selector', ['DataResources'])) }}, ''
        ) as data_resources_text
    from selectors
    {{ soc2.unnest_lateral(
        soc2.json_as_array('selectors.event_selectors'),
        'classic_selector', 'classic_index') }}

),

classic_flags as (

    select
        trail_arn,
        case
            when include_management_events = 'true' and read_write_type = 'All' then 1 else 0
        end as records_management,
        case
            when
                read_write_type = 'All'
                and (
                    data_resources_text like '%"arn:aws:s3"%'
                    or data_resources_text like '%"arn:aws:s3:::"%'
                )
                then 1
            else 0
        end as records_s3_all,
        case when data_resources_text like '%AWS::S3::Object%' then 1 else 0 end as records_s3_some,
        case
            when read_write_type = 'All' and data_resources_text like '%"arn:aws:lambda"%' then 1 else 0
        end as records_lambda_all,
        case
            when data_resources_text like '%AWS::Lambda::Function%' then 1 else 0
        end as records_lambda_some,
        0 as records_bedrock
    from classic_selectors

),

advanced_selectors as (

    select
        selectors.trail_arn,
        advanced_index,
        advanced_selector
    from selectors
    {{ soc2.unnest_lateral(
        soc2.json_as_array('selectors.advanced_event_selectors'),
        'advanced_selector', 'advanced_index') }}

),

advanced_fields as (

    select
        advanced_selectors.trail_arn,
        advanced_selectors.advanced_index,
        {{ soc2.json_text('field_selector', ['Field']) }} as field_name,
        coalesce(
            {{ soc2.json_to_text(soc2.json_value('field_selector', ['Equals'])) }}, ''
        ) as equals_text
    from advanced_selectors
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value('advanced_selectors.advanced_selector', ['FieldSelectors'])),
        'field_selector', 'field_index') }}

),

advanced_summary as (

    select
        trail_arn,
        advanced_index,
        max(case
            when field_name = 'eventCategory' and equals_text like '%"Management"%' then 1 else 0
        end) as is_management,
        max(case
            when field_name = 'eventCategory' and equals_text like '%"Data"%' then 1 else 0
        end) as is_data,
        max(case when field_name = 'readOnly' then 1 else 0 end) as has_read_only_filter,
        max(case when field_name = 'resources.ARN' then 1 else 0 end) as has_arn_filter,
        max(case
            when field_name = 'resources.type' and equals_text like '%"AWS::S3::Object"%' then 1 else 0
        end) as is_s3_object,
        max(case
            when field_name = 'resources.type' and equals_text like '%"AWS::Lambda::Function"%'
                then 1
            else 0
        end) as is_lambda,
        max(case
            when field_name = 'resources.type' and equals_text like '%"AWS::Bedrock::%' then 1 else 0
        end) as is_bedrock
    from advanced_fields
    group by trail_arn, advanced_index

),

advanced_flags as (

    select
        trail_arn,
        case when is_management = 1 and has_read_only_filter = 0 then 1 else 0 end
            as records_management,
        case
            when is_data = 1 and is_s3_object = 1 and has_read_only_filter = 0 and has_arn_filter = 0
                then 1
            else 0
        end as records_s3_all,
        case when is_data = 1 and is_s3_object = 1 then 1 else 0 end as records_s3_some,
        case
            when is_data = 1 and is_lambda = 1 and has_read_only_filter = 0 and has_arn_filter = 0
                then 1
            else 0
        end as records_lambda_all,
        case when is_data = 1 and is_lambda = 1 then 1 else 0 end as records_lambda_some,
        case when is_data = 1 and is_bedrock = 1 then 1 else 0 end as records_bedrock
    from advanced_summary

),

selector_flags as (

    select
        trail_arn,
        max(records_management) as records_management,
        max(records_s3_all) as records_s3_all,
        max(records_s3_some) as records_s3_some,
        max(records_lambda_all) as records_lambda_all,
        max(records_lambda_some) as records_lambda_some,
        max(records_bedrock) as records_bedrock
    from (
        select * from classic_flags
        union all
        select * from advanced_flags
    ) as all_flags
    group by trail_arn

),

selector_rows as (

    select distinct trail_arn from selectors

),

final as (

    select
        home_trails.account_id,
        home_trails.home_region,
        home_trails.trail_arn,
        home_trails.trail_name,
        home_trails.is_multi_region_trail,
        home_trails.is_organization_trail,
        home_trails.includes_global_service_events,
        home_trails.is_log_file_validation_enabled,
        home_trails.kms_key_id,
        home_trails.log_group_arn,
        home_trails.log_group_name,
        coalesce(
            {{ soc2.list_item('home_trails.log_group_arn', ':', 4) }}, home_trails.home_region
        ) as log_group_region,
        home_trails.has_insight_selectors,
        home_trails.s3_bucket_name,
        coalesce(home_trails.is_logging, false) as is_logging,
        case
            when home_trails.latest_cloudwatch_delivery_text is not null
                then {{ soc2.text_to_timestamp('home_trails.latest_cloudwatch_delivery_text') }}
        end as latest_cloudwatch_delivery_at,
        selector_rows.trail_arn is not null as has_selector_row,
        coalesce(selector_flags.records_management, 0) = 1 as records_management_events,
        coalesce(selector_flags.records_s3_all, 0) = 1 as records_s3_data_events_all,
        coalesce(selector_flags.records_s3_some, 0) = 1 as records_s3_data_events_some,
        coalesce(selector_flags.records_lambda_all, 0) = 1 as records_lambda_data_events_all,
        coalesce(selector_flags.records_lambda_some, 0) = 1 as records_lambda_data_events_some,
        coalesce(selector_flags.records_bedrock, 0) = 1 as records_bedrock_data_events,
        home_trails.source_relation,
        home_trails.synced_at
    from home_trails
    left join selector_rows
        on home_trails.trail_arn = selector_rows.trail_arn
    left join selector_flags
        on home_trails.trail_arn = selector_flags.trail_arn

)

select * from final
