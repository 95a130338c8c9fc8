-- The regions dimension: one row per account and region that region-scoped
-- controls report on, with whether the region can be evaluated (DECISIONS
-- 900). A region is evaluated when aws_regions says it is enabled for the
-- account and it lies inside the sync scope: the regions listed in the var
-- soc2_aws_sync_regions when it is set, otherwise the regions in which any
-- regional table has a row for that account (CloudQuery syncs only the
-- regions of its spec, so a region without any row was most likely not
-- synced). A region that is not enabled is not_applicable; an enabled
-- region outside the scope is not_evaluated. An account without aws_regions
-- rows is not_evaluated in the regions of its sync scope (one account-level
-- row when there are none), and a member account of a synced organisation
-- that was never synced gets one account-level not_evaluated row.
{%- set sync_regions = var('soc2_aws_sync_regions', none) %}
{%- set regional_models = [
    'stg_soc2__aws_cloudtrail_trails',
    'stg_soc2__aws_cloudtrail_trail_event_selectors',
    'stg_soc2__aws_cloudtrail_events',
    'stg_soc2__aws_config_configuration_recorders',
    'stg_soc2__aws_config_delivery_channel_statuses',
    'stg_soc2__aws_accessanalyzer_analyzers',
    'stg_soc2__aws_guardduty_detectors',
    'stg_soc2__aws_guardduty_detector_findings',
    'stg_soc2__aws_securityhub_hubs',
    'stg_soc2__aws_securityhub_enabled_standards',
    'stg_soc2__aws_ec2_vpcs',
    'stg_soc2__aws_ec2_flow_logs',
] %}
{%- if sync_regions is string %}
    {%- set sync_regions = [sync_regions] %}
{%- endif %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

aws_regions as (

    select * from {{ ref('stg_soc2__aws_regions') }}

),

organization_accounts as (

    select * from {{ ref('stg_soc2__aws_organizations_accounts') }}

),

regional_rows as (

    {%- for model_name in regional_models %}
    select account_id, region from {{ ref(model_name) }}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}

),

{%- if sync_regions %}

configured_regions as (

    {%- for region_code in sync_regions %}
    select cast('{{ region_code }}' as {{ dbt.type_string() }}) as region
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

sync_scope as (

    select accounts.account_id, configured_regions.region
    from accounts
    cross join configured_regions

),

{%- else %}

sync_scope as (

    select distinct account_id, region
    from regional_rows
    where account_id is not null and region is not null and region != 'global'

),

{%- endif %}

accounts_with_region_data as (

    select distinct account_id
    from aws_regions
    where account_id is not null

),

-- regions of accounts with aws_regions rows, and the sync scope of the others
candidate_regions as (

    select account_id, region
    from aws_regions
    where account_id is not null and region is not null

    union

    select sync_scope.account_id, sync_scope.region
    from sync_scope
    left join accounts_with_region_data
        on sync_scope.account_id = accounts_with_region_data.account_id
    where accounts_with_region_data.account_id is null

),

region_rows as (

    select
        candidate_regions.account_id,
        candidate_regions.region,
        aws_regions.is_enabled,
        aws_regions.opt_in_status,
        sync_scope.account_id is not null as is_in_sync_scope,
        true as is_account_synced,
        case
            when accounts_with_region_data.account_id is null then 'not_evaluated'
            when aws_regions.is_enabled is null then 'not_evaluated'
            when not aws_regions.is_enabled then 'not_applicable'
            when sync_scope.account_id is null then 'not_evaluated'
            else 'evaluated'
        end as evaluation_status,
        case
            when accounts_with_region_data.account_id is null
                then 'aws_regions has no row for this account (its region data was not synced), '
                || 'so whether ' || candidate_regions.region || ' is enabled is unknown; sync aws_regions'
            when aws_regions.is_enabled is null
                then 'aws_regions does not say whether ' || candidate_regions.region
                || ' is enabled (enabled and opt_in_status are null)'
            when not aws_regions.is_enabled
                then 'region ' || candidate_regions.region || ' is not enabled for the account (opt_in_status '
                || coalesce(aws_regions.opt_in_status, 'unknown') || '); nothing can run there'
            when sync_scope.account_id is null
                then 'region ' || candidate_regions.region || ' is enabled but outside the sync scope ('
                {%- if sync_regions %}
                || 'not in the var soc2_aws_sync_regions'
                {%- else %}
                || 'no regional table has a row for this account in it'
                {%- endif %}
                || '); add it to the CloudQuery spec'
                {%- if not sync_regions %} || ' or list the synced regions in soc2_aws_sync_regions'{%- endif %}
            else 'region ' || candidate_regions.region || ' is enabled and was synced'
        end as status_reason,
        coalesce(aws_regions.source_relation, 'aws_regions') as source_relation,
        aws_regions.synced_at
    from candidate_regions
    inner join accounts
        on candidate_regions.account_id = accounts.account_id
    left join aws_regions
        on
            candidate_regions.account_id = aws_regions.account_id
            and candidate_regions.region = aws_regions.region
    left join accounts_with_region_data
        on candidate_regions.account_id = accounts_with_region_data.account_id
    left join sync_scope
        on
            candidate_regions.account_id = sync_scope.account_id
            and candidate_regions.region = sync_scope.region

),

accounts_without_regions as (

    select
        accounts.account_id,
        'global' as region,
        cast(null as {{ dbt.type_boolean() }}) as is_enabled,
        cast(null as {{ dbt.type_string() }}) as opt_in_status,
        false as is_in_sync_scope,
        true as is_account_synced,
        'not_evaluated' as evaluation_status,
        'no region data was synced for this account: aws_regions and every regional table '
        || 'have no row for it; sync aws_regions and the regional tables' as status_reason,
        'aws_regions' as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from accounts
    left join candidate_regions
        on accounts.account_id = candidate_regions.account_id
    where candidate_regions.account_id is null

),

unsynced_members as (

    select distinct
        organization_accounts.account_id,
        {{ soc2.list_item('organization_accounts.organization_account_arn', '/', 2) }} as organization_id,
        organization_accounts.source_relation
    from organization_accounts
    left join accounts
        on organization_accounts.account_id = accounts.account_id
    where organization_accounts.account_id is not null and accounts.account_id is null

),

unsynced_member_rows as (

    select
        account_id,
        'global' as region,
        cast(null as {{ dbt.type_boolean() }}) as is_enabled,
        cast(null as {{ dbt.type_string() }}) as opt_in_status,
        false as is_in_sync_scope,
        false as is_account_synced,
        'not_evaluated' as evaluation_status,
        'account ' || account_id || ' is a member of organisation ' || coalesce(organization_id, 'unknown')
        || ' (aws_organizations_accounts) but was never synced, so its regions cannot be evaluated; '
        || 'add it to the CloudQuery spec' as status_reason,
        source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from unsynced_members

),

final as (

    select * from region_rows
    union all
    select * from accounts_without_regions
    union all
    select * from unsynced_member_rows

)

select * from final
