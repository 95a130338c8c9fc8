{#- How the history models (Type II evidence) are stored, per engine
    (DECISIONS 104). Each is read by the models' config() at parse time.

    DuckDB and PostgreSQL: delete+insert on evaluation_date, so that a build
    replaces exactly the rows of the date it evaluated and no other.
    Spark: parquet partitioned by evaluation_date with insert_overwrite
    (dynamic partition overwrite replaces only the partitions written); merge
    needs Delta, Iceberg or Hudi. A Delta user sets the vars
    soc2_history_file_format: delta and soc2_history_incremental_strategy: merge
    (README, "Type II history"). -#}
{% macro history_incremental_strategy() -%}
    {{ return(var('soc2_history_incremental_strategy', none) or adapter.dispatch('history_incremental_strategy', 'soc2')()) }}
{%- endmacro %}

{% macro default__history_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__history_incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}


{#- The file format of the history tables: only Spark has one. -#}
{% macro history_file_format() -%}
    {{ return(adapter.dispatch('history_file_format', 'soc2')()) }}
{%- endmacro %}

{% macro default__history_file_format() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__history_file_format() -%}
    {{ return(var('soc2_history_file_format', 'parquet')) }}
{%- endmacro %}


{#- The partition column of the history tables: only Spark partitions. -#}
{% macro history_partition_by() -%}
    {{ return(adapter.dispatch('history_partition_by', 'soc2')()) }}
{%- endmacro %}

{% macro default__history_partition_by() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__history_partition_by() -%}
    {{ return(['evaluation_date']) }}
{%- endmacro %}


{#- The history is audit evidence: `dbt build --full-refresh` leaves it alone
    (full_refresh: false) unless var soc2_history_allow_full_refresh is true,
    in which case the flag decides as for any model. -#}
{% macro history_full_refresh() -%}
    {{ return(none if var('soc2_history_allow_full_refresh', false) else false) }}
{%- endmacro %}


{#- The evaluation date: soc2_as_of (default: the UTC date of the run). -#}
{% macro evaluation_date() -%}
    cast({{ soc2.as_of_timestamp() }} as date)
{%- endmacro %}


{#- Post-hook of the history models: with var soc2_history_retention_days
    set, drop the evaluation dates older than that many days before the
    evaluation date. Null (the default) keeps every date. -#}
{% macro apply_history_retention(relation) -%}
    {%- set days = var('soc2_history_retention_days', none) -%}
    {%- if days is none or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- if (days | int) < 1 -%}
        {{ exceptions.raise_compiler_error("var soc2_history_retention_days must be a whole number of days of at least 1, got " ~ days) }}
    {%- endif -%}
    {%- set cutoff = soc2.history_retention_cutoff(days | int) -%}
    {{ return(adapter.dispatch('apply_history_retention', 'soc2')(relation, cutoff)) }}
{%- endmacro %}


{#- The first evaluation date kept: soc2_as_of minus the retention, as an
    ISO date string computed while compiling. -#}
{% macro history_retention_cutoff(days) -%}
    {%- set as_of = var('soc2_as_of', none) -%}
    {%- set datetime = modules.datetime -%}
    {%- if as_of -%}
        {%- set day = datetime.date.fromisoformat((as_of | string)[:10]) -%}
    {%- else -%}
        {%- set day = run_started_at.date() -%}
    {%- endif -%}
    {{ return((day - datetime.timedelta(days=days)).isoformat()) }}
{%- endmacro %}

{% macro default__apply_history_retention(relation, cutoff) -%}
    delete from {{ relation }} where evaluation_date < cast('{{ cutoff }}' as date)
{%- endmacro %}

{#- Spark: the history is partitioned by date; drop the old partitions. -#}
{% macro spark__apply_history_retention(relation, cutoff) -%}
    {%- set partitions = run_query('show partitions ' ~ relation) -%}
    {%- set statements = [] -%}
    {%- for row in partitions -%}
        {%- set value = (row[0] | string).split('=')[-1] -%}
        {%- if value < cutoff -%}
            {%- do statements.append("alter table " ~ relation ~ " drop if exists partition (evaluation_date = date'" ~ value ~ "')") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}


{#- The threshold vars every history row records (as JSON text, keys
    sorted), so that a day's results can be read with the limits that
    decided them. -#}
{% macro history_threshold_vars() -%}
    {{ return([
        'soc2_access_key_max_age_days', 'soc2_unused_credentials_max_days',
        'soc2_password_min_length', 'soc2_password_reuse_prevention',
        'soc2_password_max_age_days', 'soc2_root_unused_min_days', 'soc2_stale_role_max_days',
        'soc2_log_group_min_retention_days', 'soc2_inactive_principal_days',
        'soc2_max_escalation_depth', 'soc2_guardduty_finding_min_severity',
        'soc2_guardduty_finding_max_age_days', 'soc2_cloudtrail_threat_lookback_days',
        'soc2_cloudtrail_threat_thresholds', 'soc2_inspector_critical_finding_max_age_days',
        'soc2_acm_certificate_min_days_to_expiry', 'soc2_secrets_unused_days',
        'soc2_secrets_rotation_max_days', 'soc2_db_backup_min_retention_days',
        'soc2_elasticache_snapshot_min_retention_days', 'soc2_backup_min_retention_days',
        'soc2_restore_evidence_max_age_days', 'soc2_kinesis_min_retention_hours',
    ]) }}
{%- endmacro %}

{% macro history_threshold_settings() -%}
    {%- set settings = {} -%}
    {%- for name in soc2.history_threshold_vars() -%}
        {%- do settings.update({name: var(name, none)}) -%}
    {%- endfor -%}
    '{{ tojson(settings, sort_keys=true) | replace("'", "''") }}'
{%- endmacro %}


{#- Pre-hook of the history models. With var
    soc2_history_incremental_strategy: merge (Delta, Iceberg or Hudi on
    Spark), the evaluation date's earlier rows are deleted first, so that the
    merge only inserts: a date re-run then loses the rows of resources that
    disappeared, as delete+insert and insert_overwrite do, and no target row
    can match several source rows. Otherwise nothing. -#}
{% macro history_pre_hook(relation) -%}
    {%- if var('soc2_history_incremental_strategy', none) != 'merge' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- if load_relation(relation) is none -%}
        {{ return('') }}
    {%- endif -%}
    delete from {{ relation }} where evaluation_date = {{ soc2.evaluation_date() }}
{%- endmacro %}


{#- The config of the three history tables, one dict so that they cannot
    drift apart: `{{ config(**soc2.history_table_config()) }}`. -#}
{% macro history_table_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': soc2.history_incremental_strategy(),
        'unique_key': 'evaluation_date',
        'partition_by': soc2.history_partition_by(),
        'file_format': soc2.history_file_format(),
        'on_schema_change': 'append_new_columns',
        'full_refresh': soc2.history_full_refresh(),
        'pre_hook': ["{{ soc2.history_pre_hook(this) }}"],
        'post_hook': ["{{ soc2.apply_history_retention(this) }}"],
    }) }}
{%- endmacro %}


{#- When the build writing a history row started (UTC), as a timestamp. -#}
{% macro history_recorded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Calendar days from scope_start to scope_end, both included; 0 when the
    scope is empty (no start, or an end before the start). -#}
{% macro days_in_scope(scope_start, scope_end) -%}
    case
        when {{ scope_start }} is not null and {{ scope_end }} >= {{ scope_start }}
            then {{ soc2.days_between(scope_start, scope_end) }} + 1
        else 0
    end
{%- endmacro %}
