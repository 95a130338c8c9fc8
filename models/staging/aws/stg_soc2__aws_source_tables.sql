-- One row per raw CloudQuery table the package can read: whether it is
-- available in this run and, if not, why (not synced, or disabled by var).
-- Controls use it to report not_evaluated rather than a silent pass.
-- A table, not a view: with one select per declared raw table its SQL is
-- longer than the 32,700 characters a Hive metastore keeps of a view's text
-- (Spark), and every control family reads it (DECISIONS 101).
{{ config(materialized='table') }}
{{ soc2.cloudquery_source_status('cloudquery_aws') }}
