{#- For a control whose required_tables group lists alternatives that each
    decide their own resources (`aws_rds_instances|aws_rds_clusters`): when
    some of them are available and others are not, the combine step evaluates
    the control, and the resources held only in an unavailable table would go
    unseen. This gives one not_evaluated row per unavailable alternative, so
    that the gap shows in the results instead of a silent pass. Like a
    threshold row it belongs to no account (the table is missing for every
    account): null account_id, region `global`, resource_type
    `cloudquery_table`, resource_id the table name. No row when every
    alternative is available, or none is (then the combine step already
    replaces the control by its not_evaluated rows). It reads only
    stg_soc2__aws_source_tables, so the family gains no lineage to other
    tables. Use it as the body of one step of the family. -#}
{% macro unavailable_alternative_rows(control_id, tables) -%}
    {%- set table_list -%}
        {%- for table_name in tables %}'{{ table_name }}'{{ ', ' if not loop.last }}{% endfor -%}
    {%- endset %}
    select
        cast('{{ control_id }}' as {{ dbt.type_string() }}) as control_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        'global' as region,
        'cloudquery_table' as resource_type,
        unavailable_tables.table_name as resource_id,
        'not_evaluated' as status,
        'the resources held in ' || unavailable_tables.table_name || ' are not evaluated ('
        || unavailable_tables.availability_reason || '); sync it to evaluate them (the other tables of the control are evaluated)'
            as reason,
        'unavailable=' || unavailable_tables.table_name as evidence,
        unavailable_tables.table_name as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    from {{ ref('stg_soc2__aws_source_tables') }} as unavailable_tables
    cross join (
        select sum(case when is_available then 1 else 0 end) as available_count
        from {{ ref('stg_soc2__aws_source_tables') }}
        where table_name in ({{ table_list }})
    ) as alternatives
    where unavailable_tables.table_name in ({{ table_list }})
        and not unavailable_tables.is_available
        and alternatives.available_count > 0
{%- endmacro %}
