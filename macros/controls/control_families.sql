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
        'int_soc2__controls_aws_iam_policies',
        'int_soc2__controls_aws_iam_roles',
        'int_soc2__controls_aws_service_logging',
        'int_soc2__controls_aws_codebuild',
        'int_soc2__controls_aws_service_authentication',
        'int_soc2__controls_aws_cloudtrail',
        'int_soc2__controls_aws_cloudwatch',
        'int_soc2__controls_aws_regions_coverage',
        'int_soc2__controls_aws_detection',
        'int_soc2__controls_aws_network_logging',
        'int_soc2__controls_aws_governance',
        'int_soc2__controls_aws_cloudtrail_threats',
        'int_soc2__controls_aws_exposure',
        'int_soc2__controls_aws_security_groups',
        'int_soc2__controls_aws_vpc',
        'int_soc2__controls_aws_compute',
        'int_soc2__controls_aws_vulnerability',
        'int_soc2__controls_aws_lambda',
        'int_soc2__controls_aws_encryption_at_rest',
        'int_soc2__controls_aws_encryption_at_rest_databases',
        'int_soc2__controls_aws_keys_secrets',
        'int_soc2__controls_aws_encryption_in_transit',
        'int_soc2__controls_aws_edge',
        'int_soc2__controls_aws_data_classification',
        'int_soc2__controls_aws_backup',
        'int_soc2__controls_aws_resilience',
        'int_soc2__controls_aws_processing',
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


{#- The families a user has not switched off. A family is switched off with
    `+enabled: false` under its name in the root project's dbt_project.yml
    (models: soc2: intermediate: controls: int_soc2__controls_aws_s3). dbt
    fails the parse of a model that refs a disabled model, and a package
    model cannot learn another model's config from dbt's documented context,
    so this reads the root project's model configuration from the object
    behind `ref` (`ref.config.models`, dbt-core's RuntimeConfig), the same
    at parse and at run time, walking the family's path as dbt does
    (DECISIONS.md, 46). Without that object every family counts as enabled. -#}
{% macro control_family_is_enabled(family) -%}
    {%- set root_config = ref.config if ref.config is defined else none -%}
    {%- set state = namespace(enabled=true, level=none) -%}
    {%- if root_config is not none and root_config.models is mapping -%}
        {%- set state.level = root_config.models -%}
        {%- for key in ['soc2', 'intermediate', 'controls', family] -%}
            {%- if state.level is mapping and key in state.level and state.level[key] is mapping -%}
                {%- set state.level = state.level[key] -%}
                {%- for name in ['+enabled', 'enabled'] -%}
                    {%- if name in state.level and state.level[name] is not mapping -%}
                        {%- set state.enabled = (state.level[name] | string | lower) not in ['false', '0', 'no'] -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- else -%}
                {%- set state.level = none -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(state.enabled) }}
{%- endmacro %}


{% macro enabled_control_families() -%}
    {%- set families = [] -%}
    {%- for family in soc2.control_families() if soc2.control_family_is_enabled(family) -%}
        {%- do families.append(family) -%}
    {%- endfor -%}
    {{ return(families) }}
{%- endmacro %}


{% macro switched_off_control_families() -%}
    {%- set families = [] -%}
    {%- for family in soc2.control_families() if not soc2.control_family_is_enabled(family) -%}
        {%- do families.append(family) -%}
    {%- endfor -%}
    {{ return(families) }}
{%- endmacro %}


{#- Every enabled family's rows, combined by column name: each family is read
    through an explicit list of the contract's columns, so that a family that
    orders its columns differently, or carries helper columns, cannot shift
    values into the wrong column. -#}
{% macro union_control_families() -%}
    {%- for family in soc2.enabled_control_families() %}
    select
        {%- for column in soc2.control_family_columns() %}
        {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref(family) }}
    union all
    {%- endfor %}
    {#- typed, empty: keeps the union valid when every family is switched off #}
    select
        cast(null as {{ dbt.type_string() }}) as control_id,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as resource_type,
        cast(null as {{ dbt.type_string() }}) as resource_id,
        cast(null as {{ dbt.type_string() }}) as status,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as {{ dbt.type_string() }}) as evidence,
        cast(null as {{ dbt.type_string() }}) as source_relation,
        cast(null as {{ dbt.type_timestamp() }}) as synced_at
    where 1 = 0
{%- endmacro %}


{#- The switched-off families, one row each (none: no row). -#}
{% macro switched_off_control_family_rows() -%}
    {%- for family in soc2.switched_off_control_families() %}
    select cast('{{ family }}' as {{ dbt.type_string() }}) as family_model
    union all
    {%- endfor %}
    select cast(null as {{ dbt.type_string() }}) as family_model
    where 1 = 0
{%- endmacro %}


{#- Wraps the body of a control family, tagging it soc2_control_family and
    building it as a table: its unique and accepted-values tests and the
    combine step then read stored rows instead of re-running every control's
    SQL (on Spark, re-planning a deep stack of views) once per reader
    (DECISIONS.md, "Control families are tables"):

        {% call soc2.control_family() %}
        with ... select * from final
        {% endcall %}
-#}
{% macro control_family() -%}
    {{- config(tags=['soc2_control_family'], materialized='table') }}
    {{- caller() }}
{%- endmacro %}
