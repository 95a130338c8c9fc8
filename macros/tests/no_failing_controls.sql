{#- Fails when a control result in `model` fails at or above `min_severity`
    (default: the var soc2_fail_on_severity). Its own severity (warn or error)
    comes from the var soc2_test_severity, so that a scheduled `dbt build` can
    alert or stop. Each failing row is returned with its reason. -#}
{% test no_failing_controls(model, min_severity=none) %}
{{ config(severity=var('soc2_test_severity', 'warn')) }}
{%- set threshold = min_severity or var('soc2_fail_on_severity', 'high') %}
select
    control_id,
    severity,
    account_id,
    resource_id,
    reason
from {{ model }}
where
    status = 'fail'
    and {{ soc2.severity_rank('severity') }} >= {{ soc2.severity_rank("'" ~ threshold ~ "'") }}
{% endtest %}
