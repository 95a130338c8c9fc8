-- One row per SOC 2 check of Prowler (its SOC 2 framework for AWS) and per
-- SOC 2 control of Steampipe's AWS compliance mod, as the reference list
-- soc2__aws_reference_checks names them: the package controls that cover it
-- (the catalog's automated controls whose check_id is the reference check
-- the tool's check belongs to), or why none does. A team moving from either
-- tool sees what it keeps.
{%- set max_list_items = 20 %}
with reference_checks as (

    select * from {{ ref('soc2__aws_reference_checks') }}

),

catalog as (

    select * from {{ ref('soc2__control_catalog') }}
    where control_type = 'automated' and check_id is not null

),

positions as (

    {%- for position in range(1, max_list_items + 1) %}
    select {{ position }} as item_position
    {{- ' union all' if not loop.last }}
    {%- endfor %}

),

tool_lists as (

    select
        'prowler' as tool,
        check_id,
        prowler_checks as tool_list
    from reference_checks
    where prowler_checks is not null
    union all
    select
        'steampipe' as tool,
        check_id,
        steampipe_controls as tool_list
    from reference_checks
    where steampipe_controls is not null

),

tool_checks as (

    select
        tool_lists.tool,
        {{ soc2.list_item('tool_lists.tool_list', ';', 'positions.item_position') }} as tool_check_id,
        tool_lists.check_id
    from tool_lists
    cross join positions

),

covering_controls as (

    select
        check_id,
        count(*) as control_count,
        {{ soc2.string_agg_distinct('control_id', ', ') }} as control_ids
    from catalog
    group by check_id

),

final as (

    select
        tool_checks.tool,
        tool_checks.tool_check_id,
        tool_checks.check_id,
        reference_checks.domain,
        reference_checks.decidable,
        coalesce(covering_controls.control_count, 0) as control_count,
        covering_controls.control_ids,
        case
            when covering_controls.check_id is null then 'not_covered'
            when reference_checks.decidable = 'partly' then 'partly_covered'
            else 'covered'
        end as coverage,
        case
            when covering_controls.check_id is not null and reference_checks.decidable = 'partly'
                then 'covered as far as CloudQuery data allows: ' || reference_checks.cloudquery_gap
            when covering_controls.check_id is not null
                then 'decided from CloudQuery data by ' || covering_controls.control_ids
            when reference_checks.decidable = 'no'
                then 'not covered: ' || reference_checks.cloudquery_gap
                || '; track it with a manual control and an attestation'
            else 'not covered: no package control implements this check yet'
        end as coverage_reason
    from tool_checks
    inner join reference_checks
        on tool_checks.check_id = reference_checks.check_id
    left join covering_controls
        on tool_checks.check_id = covering_controls.check_id
    where tool_checks.tool_check_id is not null

)

select * from final
