{#- The history scenario (tests/python/test_history.py): one run of the
    series, loaded before the package is built for that run's date.

    with_inventory: the run's raw CloudQuery tables (history_fixture_*) are
    written into the schema the package reads (var soc2_aws_schema), so that
    the whole package is built on them (DuckDB: the full day-by-day build).
    with_results: soc2__control_results is written from the seeded daily
    results instead, and only the history models are built (PostgreSQL,
    Spark). Either way the two registers are replaced by the register as it
    stood for that run. -#}
{% macro load_history_run(run_number, with_inventory=false, with_results=false) %}
    {%- set run_number = run_number | int -%}
    {%- set registers = {
        'soc2__risk_exceptions': 'history_register_exceptions',
        'soc2__manual_attestations': 'history_register_attestations',
    } -%}
    {%- for target_name, seed_name in registers.items() -%}
        {%- do soc2_integration_tests.replace_table(ref(target_name), soc2_integration_tests.run_rows(ref(seed_name), run_number)) -%}
    {%- endfor -%}
    {%- if with_inventory -%}
        {%- set schema = var('soc2_aws_schema') -%}
        {%- do adapter.create_schema(api.Relation.create(database=target.database, schema=schema)) -%}
        {%- for table_name in ['aws_s3_buckets', 'aws_s3_bucket_versionings', 'aws_iam_password_policies'] -%}
            {%- set relation = api.Relation.create(database=target.database, schema=schema, identifier=table_name, type='table') -%}
            {%- do soc2_integration_tests.replace_table(relation, cast_fixture(table_name, 'history_fixture_' ~ table_name, 'run_number = ' ~ run_number)) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if with_results -%}
        {%- do soc2_integration_tests.replace_table(ref('soc2__control_results'), soc2_integration_tests.run_rows(ref('history_control_results'), run_number)) -%}
    {%- endif -%}
    {%- do adapter.dispatch('commit_history_run', 'soc2_integration_tests')() -%}
    {{ log('loaded history run ' ~ run_number, info=true) }}
{% endmacro %}


{#- run-operation does not commit: the loaded tables must outlive it. -#}
{% macro default__commit_history_run() -%}
    {%- do run_query('commit') -%}
{%- endmacro %}

{#- Spark has no transactions. -#}
{% macro spark__commit_history_run() -%}
{%- endmacro %}


{#- Every column of a history seed but run_number, for one run. -#}
{% macro run_rows(seed_relation, run_number) -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(seed_relation) if column.name | lower != 'run_number' -%}
        {%- do columns.append(adapter.quote(column.name | lower)) -%}
    {%- endfor -%}
    select {{ columns | join(', ') }}
    from {{ seed_relation }}
    where run_number = {{ run_number }}
{%- endmacro %}


{% macro replace_table(relation, sql) -%}
    {#- the marts' schema does not exist before the first build (results mode) -#}
    {%- if not adapter.check_schema_exists(relation.database, relation.schema) -%}
        {%- do adapter.create_schema(relation.without_identifier()) -%}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is not none -%}
        {%- do adapter.drop_relation(existing) -%}
    {%- endif -%}
    {%- do run_query(create_table_as(false, relation.incorporate(type='table'), sql)) -%}
{%- endmacro %}


{#- Every run's raw rows in the raw tables at once, as CloudQuery's append
    write mode keeps every sync, and the registers as the last run left them:
    what `soc2 backfill` reads to record past dates again. The history rows
    of `forget_dates` are deleted first, as if their builds had never run, so
    that only the backfill can bring them back. -#}
{% macro load_history_append_mode(last_run_number, forget_dates) %}
    {%- set dates = [] -%}
    {%- for day in forget_dates -%}
        {%- do dates.append("cast('" ~ day ~ "' as date)") -%}
    {%- endfor -%}
    {%- for model_name in ['soc2__control_history', 'soc2__exception_history', 'soc2__attestation_history'] -%}
        {%- do run_query('delete from ' ~ ref(model_name) ~ ' where evaluation_date in (' ~ dates | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- set schema = var('soc2_aws_schema') -%}
    {%- for target_name, seed_name in {'soc2__risk_exceptions': 'history_register_exceptions', 'soc2__manual_attestations': 'history_register_attestations'}.items() -%}
        {%- do soc2_integration_tests.replace_table(ref(target_name), soc2_integration_tests.run_rows(ref(seed_name), last_run_number | int)) -%}
    {%- endfor -%}
    {%- for table_name in ['aws_s3_buckets', 'aws_s3_bucket_versionings', 'aws_iam_password_policies'] -%}
        {%- set relation = api.Relation.create(database=target.database, schema=schema, identifier=table_name, type='table') -%}
        {%- do soc2_integration_tests.replace_table(relation, cast_fixture(table_name, 'history_fixture_' ~ table_name)) -%}
    {%- endfor -%}
    {%- do adapter.dispatch('commit_history_run', 'soc2_integration_tests')() -%}
    {{ log('loaded every run in append mode', info=true) }}
{% endmacro %}
