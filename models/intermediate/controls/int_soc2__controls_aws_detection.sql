-- GuardDuty detection depth, per detector: the protection plans the var
-- soc2_guardduty_required_features names are enabled, and no open finding at
-- or above soc2_guardduty_finding_min_severity is older than
-- soc2_guardduty_finding_max_age_days. Whether a detector exists in every
-- region is aws_guardduty_enabled (int_soc2__controls_aws_regions_coverage).
{%- set required_features = var('soc2_guardduty_required_features') %}
{%- set min_severity = var('soc2_guardduty_finding_min_severity') %}
{%- set max_age = var('soc2_guardduty_finding_max_age_days') %}
{#- the runtime-monitoring plan is spelled EKS_RUNTIME_MONITORING by older detectors #}
{%- set feature_aliases = {'RUNTIME_MONITORING': ['RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING']} %}
{% call soc2.control_family() %}
with detectors as (

    select * from {{ ref('stg_soc2__aws_guardduty_detectors') }}

),

findings as (

    select * from {{ ref('stg_soc2__aws_guardduty_detector_findings') }}

),

required_features as (

    {%- for feature in required_features %}
    {%- for alias in feature_aliases.get(feature | upper, [feature | upper]) %}
    select
        cast('{{ feature | upper }}' as {{ dbt.type_string() }}) as required_feature,
        cast('{{ alias }}' as {{ dbt.type_string() }}) as feature_name
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as required_feature,
        cast(null as {{ dbt.type_string() }}) as feature_name
    where 1 = 0
    {%- endfor %}

),

detector_features as (

    select
        detectors.detector_arn,
        upper({{ soc2.json_text('feature_item', ['Name']) }}) as feature_name,
        upper({{ soc2.json_text('feature_item', ['Status']) }}) as feature_status
    from detectors
    {{ soc2.unnest_lateral(
        soc2.json_as_array('detectors.features'),
        'feature_item', 'feature_index') }}

),

enabled_features as (

    select distinct detector_arn, feature_name
    from detector_features
    where feature_status = 'ENABLED'

),

detector_requirements as (

    select
        detectors.detector_arn,
        required_features.required_feature,
        max(case when enabled_features.feature_name is not null then 1 else 0 end) as is_enabled
    from detectors
    cross join required_features
    left join enabled_features
        on
            detectors.detector_arn = enabled_features.detector_arn
            and required_features.feature_name = enabled_features.feature_name
    group by detectors.detector_arn, required_features.required_feature

),

detector_gaps as (

    select
        detectors.account_id,
        detectors.region,
        detectors.detector_arn,
        detectors.detector_status,
        {{ soc2.string_agg_distinct(
            "case when detector_requirements.is_enabled = 0 then detector_requirements.required_feature end", ', ') }}
            as missing_features,
        {{ soc2.string_agg_distinct(
            "case when detector_requirements.is_enabled = 1 then detector_requirements.required_feature end", ', ') }}
            as enabled_required_features,
        detectors.source_relation,
        detectors.synced_at
    from detectors
    left join detector_requirements
        on detectors.detector_arn = detector_requirements.detector_arn
    group by
        detectors.account_id,
        detectors.region,
        detectors.detector_arn,
        detectors.detector_status,
        detectors.source_relation,
        detectors.synced_at

),

guardduty_protection_plans as (

    select
        'aws_guardduty_protection_plans' as control_id,
        account_id,
        region,
        'aws_guardduty_detector' as resource_type,
        detector_arn as resource_id,
        case
            when coalesce(detector_status, '') != 'ENABLED' then 'not_applicable'
            when missing_features is not null then 'fail'
            else 'pass'
        end as status,
        case
            when coalesce(detector_status, '') != 'ENABLED'
                then 'the detector is suspended (status ' || coalesce(detector_status, 'unknown')
                || '), so its protection plans do not run; aws_guardduty_enabled reports it'
            when missing_features is not null
                then 'protection plans not enabled: ' || missing_features
                || '; enable them on the detector (or list the plans you require in soc2_guardduty_required_features)'
            else 'every required protection plan is enabled'
        end as reason,
        'enabled_required=' || coalesce(enabled_required_features, 'none')
        || '; missing=' || coalesce(missing_features, 'none')
        || '; required={{ required_features | map("upper") | join(",") }}' as evidence,
        source_relation,
        synced_at
    from detector_gaps

),

open_findings as (

    select
        findings.detector_arn,
        findings.finding_id,
        findings.severity,
        findings.created_at,
        {{ soc2.days_before_as_of('findings.created_at') }} as age_days
    from findings
    where
        not coalesce(findings.is_archived, false)
        and findings.severity >= {{ min_severity }}

),

detector_findings as (

    select
        detectors.account_id,
        detectors.region,
        detectors.detector_arn,
        sum(case when open_findings.age_days > {{ max_age }} then 1 else 0 end) as overdue_findings,
        sum(case when open_findings.finding_id is not null then 1 else 0 end) as open_findings,
        {{ soc2.string_agg_distinct(
            "case when open_findings.age_days > " ~ max_age ~ " then open_findings.finding_id end", ', ') }}
            as overdue_finding_ids,
        detectors.source_relation,
        detectors.synced_at
    from detectors
    left join open_findings
        on detectors.detector_arn = open_findings.detector_arn
    group by
        detectors.account_id,
        detectors.region,
        detectors.detector_arn,
        detectors.source_relation,
        detectors.synced_at

),

guardduty_findings_addressed as (

    select
        'aws_guardduty_findings_addressed' as control_id,
        account_id,
        region,
        'aws_guardduty_detector' as resource_type,
        detector_arn as resource_id,
        case when overdue_findings > 0 then 'fail' else 'pass' end as status,
        case
            when overdue_findings > 0
                then cast(overdue_findings as {{ dbt.type_string() }})
                || ' open finding(s) of severity {{ min_severity }} or more are older than {{ max_age }} days: '
                || overdue_finding_ids || '; remediate and archive them'
            when open_findings > 0
                then 'open findings of severity {{ min_severity }} or more are all younger than {{ max_age }} days'
            else 'no open finding of severity {{ min_severity }} or more'
        end as reason,
        'open_findings=' || cast(open_findings as {{ dbt.type_string() }})
        || '; overdue_findings=' || cast(overdue_findings as {{ dbt.type_string() }})
        || '; min_severity={{ min_severity }}; max_age_days={{ max_age }}' as evidence,
        source_relation,
        synced_at
    from detector_findings

),

final as (

    select * from guardduty_protection_plans
    union all
    select * from guardduty_findings_addressed

)

select * from final
{% endcall %}
