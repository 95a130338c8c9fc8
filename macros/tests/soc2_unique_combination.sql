{#- Fails when two rows of `model` share the same values of `columns` (a
    multi-column unique test; nulls compare equal, as in group by). Returns one
    row per duplicated combination with its row count. Its severity comes from
    the var soc2_key_test_severity: `warn` by default, so that a user's
    scheduled build reports a duplicated key without stopping; the
    integration project sets `error`. A test's own `config: severity:`
    overrides it. -#}
{% test soc2_unique_combination(model, columns) %}
{{ config(severity=var('soc2_key_test_severity', 'warn')) }}
{%- set column_list = columns | join(', ') %}
select
    {{ column_list }},
    count(*) as duplicate_rows
from {{ model }}
group by {{ column_list }}
having count(*) > 1
{% endtest %}
