{#- The rows of one region-scoped control: one per row of the regions
    dimension (int_soc2__aws_account_regions, read as `regions`), with the
    verdict of `verdicts` (one row per account and region, columns
    account_id, region, is_satisfied, reason, evidence, source_relation,
    synced_at) for the regions the dimension marks evaluated. A region that is
    not enabled is not_applicable and one outside the sync scope, or of an
    account whose region data was not synced, is not_evaluated, with the
    dimension's reason (DECISIONS 72). Account-level rows (region `global`)
    name the account as resource. -#}
{% macro region_scoped_control(control_id, verdicts, regions='regions') -%}
    select
        '{{ control_id }}' as control_id,
        {{ regions }}.account_id,
        {{ regions }}.region,
        case when {{ regions }}.region = 'global' then 'aws_account' else 'aws_region' end as resource_type,
        case when {{ regions }}.region = 'global' then {{ regions }}.account_id else {{ regions }}.region end as resource_id,
        case
            when {{ regions }}.evaluation_status != 'evaluated' then {{ regions }}.evaluation_status
            when {{ verdicts }}.is_satisfied then 'pass'
            else 'fail'
        end as status,
        case
            when {{ regions }}.evaluation_status != 'evaluated' then {{ regions }}.status_reason
            else coalesce({{ verdicts }}.reason, 'no verdict for this region')
        end as reason,
        coalesce(
            case when {{ regions }}.evaluation_status = 'evaluated' then {{ verdicts }}.evidence end,
            'region_status=' || {{ regions }}.evaluation_status
            || '; enabled=' || coalesce(cast({{ regions }}.is_enabled as {{ dbt.type_string() }}), 'unknown')
            || '; in_sync_scope=' || cast({{ regions }}.is_in_sync_scope as {{ dbt.type_string() }})
        ) as evidence,
        coalesce({{ verdicts }}.source_relation, {{ regions }}.source_relation) as source_relation,
        coalesce({{ verdicts }}.synced_at, {{ regions }}.synced_at) as synced_at
    from {{ regions }}
    left join {{ verdicts }}
        on
            {{ regions }}.account_id = {{ verdicts }}.account_id
            and {{ regions }}.region = {{ verdicts }}.region
{%- endmacro %}
