{{ config(materialized="table") }}
-- Every automated control's rows in the control-result contract: the rows of
-- each control family, one not_evaluated row per account for a control whose
-- resource table is absent, one failing row per threshold set looser than its
-- floor, with catalog metadata and risk exceptions applied.
with family_results as (

    select * from {{ ref('int_soc2__controls_aws_iam_root') }}
    union all
    select * from {{ ref('int_soc2__controls_aws_iam_credentials') }}
    union all
    select * from {{ ref('int_soc2__controls_aws_iam_account') }}
    union all
    select * from {{ ref('int_soc2__controls_aws_iam_users') }}
    union all
    select * from {{ ref('int_soc2__controls_aws_s3') }}
    union all
    select * from {{ ref('int_soc2__controls_aws_iam_entitlements') }}

),

catalog as (

    select * from {{ ref('soc2__control_catalog') }}
    where control_type = 'automated'

),

accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

source_tables as (

    select * from {{ ref('stg_soc2__aws_source_tables') }}

),

thresholds as (

    select * from {{ ref('int_soc2__threshold_settings') }}

),

exceptions as (

    select * from {{ ref('soc2__risk_exceptions') }}

),

missing_resource_tables as (

    select
        catalog.control_id,
        source_tables.source_relation,
        source_tables.availability_reason
    from catalog
    inner join source_tables
        on catalog.resource_table = source_tables.table_name
    where not source_tables.is_available

),

unevaluable as (

    select
        missing_resource_tables.control_id,
        accounts.account_id,
        'global' as region,
        'aws_account' as resource_type,
        accounts.account_id as resource_id,
        'not_evaluated' as status,
        missing_resource_tables.availability_reason as reason,
        'required table unavailable' as evidence,
        missing_resource_tables.source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from missing_resource_tables
    cross join accounts

),

loosened_thresholds as (

    select
        control_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        'global' as region,
        'soc2_threshold' as resource_type,
        var_name as resource_id,
        'fail' as status,
        'var ' || var_name || ' is set to '
        || cast(configured_value as {{ dbt.type_string() }})
        || ', looser than its floor of ' || cast(floor_value as {{ dbt.type_string() }})
            as reason,
        'configured=' || cast(configured_value as {{ dbt.type_string() }})
        || '; floor=' || cast(floor_value as {{ dbt.type_string() }}) as evidence,
        'dbt_project.yml vars' as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from thresholds
    where is_looser_than_floor

),

all_rows as (

    select * from family_results
    union all
    select * from unevaluable
    union all
    select * from loosened_thresholds

),

with_exceptions as (

    select
        all_rows.*,
        exceptions.justification as exception_justification,
        exceptions.approved_by as exception_approved_by,
        exceptions.expires_on as exception_expires_on,
        row_number() over (
            partition by all_rows.control_id, all_rows.account_id, all_rows.resource_id
            order by exceptions.expires_on desc
        ) as exception_rank
    from all_rows
    left join exceptions
        on
            all_rows.status = 'fail'
            and all_rows.control_id = exceptions.control_id
            and (
                exceptions.account_id is null
                or exceptions.account_id = '*'
                or exceptions.account_id = all_rows.account_id
            )
            and {{ soc2.wildcard_match('all_rows.resource_id', 'exceptions.resource_pattern') }}
            and cast(exceptions.expires_on as date) >= cast({{ soc2.as_of_timestamp() }} as date)

),

final as (

    select
        with_exceptions.control_id,
        catalog.control_title,
        catalog.trust_category,
        catalog.criteria,
        catalog.severity,
        catalog.cloud,
        with_exceptions.account_id,
        with_exceptions.region,
        with_exceptions.resource_type,
        with_exceptions.resource_id,
        case
            when with_exceptions.exception_justification is not null then 'excepted'
            else with_exceptions.status
        end as status,
        case
            when with_exceptions.exception_justification is not null
                then
                    'risk accepted by '
                    || coalesce(with_exceptions.exception_approved_by, 'unknown')
                    || ' until ' || {{ soc2.date_text('with_exceptions.exception_expires_on') }}
                    || ': ' || with_exceptions.exception_justification
                    || ' (finding: ' || with_exceptions.reason || ')'
            else with_exceptions.reason
        end as reason,
        with_exceptions.evidence,
        with_exceptions.source_relation,
        with_exceptions.synced_at
    from with_exceptions
    inner join catalog
        on with_exceptions.control_id = catalog.control_id
    where with_exceptions.exception_rank = 1

)

select * from final
