-- One row per raw CloudQuery table the package can read: whether it is
-- available in this run and, if not, why (not synced, or disabled by var).
-- Controls use it to report not_evaluated rather than a silent pass.
{{ soc2.cloudquery_source_status('cloudquery_aws') }}
