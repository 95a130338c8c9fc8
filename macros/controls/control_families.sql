{#- The control families: models under models/intermediate/controls named
    int_soc2__controls_<family>, each producing rows of the control-result
    contract for the controls whose catalog row names that family. This is the
    one list of them; tests/python/test_control_frame.py fails when a model
    tagged soc2_control_family, or a family named by the catalog, is missing
    from it. -#}
{% macro control_families() -%}
    {{ return([
        'int_soc2__controls_aws_iam_root',
        'int_soc2__controls_aws_iam_credentials',
        'int_soc2__controls_aws_iam_account',
        'int_soc2__controls_aws_iam_users',
        'int_soc2__controls_aws_s3',
        'int_soc2__controls_aws_iam_entitlements',
    ]) }}
{%- endmacro %}


{#- The columns a control family produces, in the contract's order. The
    catalog adds title, category, criteria, severity and cloud. -#}
{% macro control_family_columns() -%}
    {{ return([
        'control_id', 'account_id', 'region', 'resource_type', 'resource_id',
        'status', 'reason', 'evidence', 'source_relation', 'synced_at',
    ]) }}
{%- endmacro %}


{#- Every family's rows, combined by column name: each family is read
    through an explicit list of the contract's columns, so that a family that
    orders its columns differently, or carries helper columns, cannot shift
    values into the wrong column. -#}
{% macro union_control_families() -%}
    {%- for family in soc2.control_families() %}
    select
        {%- for column in soc2.control_family_columns() %}
        {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref(family) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{#- True when the family being rendered is switched off. A user switches a
    family off with `+enabled: false` under its name in dbt_project.yml. While
    parsing, the model's config still holds that project-level value (the
    in-file config() call comes later); control_family() then overrides it
    (enabled, ephemeral) and records the switch in meta, which is what later
    renderings read. -#}
{% macro control_family_is_switched_off() -%}
    {%- if execute -%}
        {{ return(model.config.meta.get('soc2_switched_off', false)) }}
    {%- else -%}
        {{ return(model.config.enabled is sameas false) }}
    {%- endif -%}
{%- endmacro %}


{#- Wraps the body of a control family:

        {% call soc2.control_family() %}
        with ... select * from final
        {% endcall %}

    Normally the body is the model. When the family is switched off the body
    is not rendered (so nothing it refs becomes a dependency, and those models
    may be disabled too) and the family is one marker row, which the combine
    step (int_soc2__control_results_automated) turns into a not_evaluated row
    per account for each of the family's controls. The node stays enabled and
    ephemeral, so refs to it keep working and nothing is built. -#}
{% macro control_family() -%}
    {{- config(tags=['soc2_control_family']) }}
    {%- if soc2.control_family_is_switched_off() -%}
        {{ config(enabled=true, materialized='ephemeral', meta={'soc2_switched_off': true}) }}
        {{- soc2.switched_off_control_family() }}
    {%- else -%}
        {{ caller() }}
    {%- endif -%}
{%- endmacro %}


{#- The marker row of a switched-off family. -#}
{% macro switched_off_control_family() -%}
select
    cast(null as {{ dbt.type_string() }}) as control_id,
    cast(null as {{ dbt.type_string() }}) as account_id,
    'global' as region,
    'soc2_control_family' as resource_type,
    '{{ model.name }}' as resource_id,
    'not_evaluated' as status,
    'the control family {{ model.name }} is switched off (+enabled: false in dbt_project.yml)'
        as reason,
    'control family switched off' as evidence,
    '{{ model.name }}' as source_relation,
    cast(null as {{ dbt.type_timestamp() }}) as synced_at
{%- endmacro %}
