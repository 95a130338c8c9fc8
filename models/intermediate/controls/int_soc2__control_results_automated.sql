{{ config(materialized="table") }}
-- Every automated control's rows in the control-result contract: the rows of
-- each enabled control family (combined by column name, soc2.union_control_families),
-- replaced by one not_evaluated row per account when the control cannot be
-- evaluated (its family is switched off, or a group of its catalog
-- required_tables has no available table), one failing row per threshold set
-- looser than its floor, with catalog metadata and risk exceptions applied.
{%- set max_list_items = 8 %}
with family_results as (

    {{ soc2.union_control_families() }}

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

    {{ soc2.risk_exception_register() }}

),

list_positions as (

    {%- for position in range(1, max_list_items + 1) %}
    select {{ position }} as list_position
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

{#- required_tables: groups separated by ';', all required; alternatives
    inside a group separated by '|', any one suffices. #}
requirement_groups as (

    select
        catalog.control_id,
        list_positions.list_position as group_position,
        {{ soc2.list_item('catalog.required_tables', ';', 'list_positions.list_position') }}
            as group_tables
    from catalog
    cross join list_positions

),

requirement_alternatives as (

    select
        requirement_groups.control_id,
        requirement_groups.group_position,
        trim({{ soc2.list_item('requirement_groups.group_tables', '|', 'list_positions.list_position') }})
            as table_name
    from requirement_groups
    cross join list_positions
    where requirement_groups.group_tables is not null

),

alternative_availability as (

    select
        requirement_alternatives.control_id,
        requirement_alternatives.group_position,
        requirement_alternatives.table_name,
        coalesce(source_tables.is_available, false) as is_available,
        coalesce(
            source_tables.availability_reason, 'not a raw table the package declares'
        ) as availability_reason
    from requirement_alternatives
    left join source_tables
        on requirement_alternatives.table_name = source_tables.table_name
    where requirement_alternatives.table_name is not null

),

requirement_group_status as (

    select
        control_id,
        group_position,
        count(*) as alternative_count,
        max(case when is_available then 1 else 0 end) = 1 as is_satisfied,
        {{ soc2.string_agg_distinct('table_name', ', ') }} as table_names,
        {{ soc2.string_agg_distinct("table_name || ': ' || availability_reason", '; ') }}
            as table_reasons
    from alternative_availability
    group by control_id, group_position

),

missing_requirements as (

    select
        control_id,
        'cannot be evaluated: '
        || {{ soc2.string_agg_distinct(
            "case when alternative_count = 1 then table_reasons
            else 'none of ' || table_names || ' is available (' || table_reasons || ')' end",
            '; ') }} as reason,
        {{ soc2.string_agg_distinct('table_names', ', ') }} as source_relation
    from requirement_group_status
    where not is_satisfied
    group by control_id

),

switched_off_families as (

    {{ soc2.switched_off_control_family_rows() }}

),

switched_off_controls as (

    select
        catalog.control_id,
        'the control family ' || switched_off_families.family_model
        || ' is switched off (+enabled: false in dbt_project.yml)' as reason,
        switched_off_families.family_model as source_relation
    from catalog
    inner join switched_off_families
        on 'int_soc2__controls_' || catalog.control_family = switched_off_families.family_model

),

unevaluable_controls as (

    select
        control_id,
        reason,
        'control family switched off' as evidence,
        source_relation
    from switched_off_controls
    union all
    select
        control_id,
        reason,
        'required table unavailable' as evidence,
        source_relation
    from missing_requirements
    where control_id not in (select control_id from switched_off_controls)

),

evaluated_rows as (

    select family_results.*
    from family_results
    where family_results.control_id not in (select control_id from unevaluable_controls)

),

unevaluated_rows as (

    select
        unevaluable_controls.control_id,
        accounts.account_id,
        'global' as region,
        'aws_account' as resource_type,
        accounts.account_id as resource_id,
        'not_evaluated' as status,
        unevaluable_controls.reason,
        unevaluable_controls.evidence,
        unevaluable_controls.source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from unevaluable_controls
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

    select * from evaluated_rows
    union all
    select * from unevaluated_rows
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
            partition by
                all_rows.control_id, all_rows.account_id, all_rows.region, all_rows.resource_id
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
            and (
                exceptions.region is null
                or exceptions.region = '*'
                or exceptions.region = all_rows.region
            )
            and {{ soc2.wildcard_match('all_rows.resource_id', 'exceptions.resource_pattern') }}
            and {{ soc2.exception_in_force('exceptions', soc2.evaluation_date()) }}

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
