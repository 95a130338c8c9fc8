{#- Passes when `model` and `compare_model` hold exactly the same multiset of
    rows over `compare_columns`; otherwise returns each differing row with the
    side it is missing from. `compare_where` (optional, a SQL condition)
    restricts `compare_model` to the rows an expectation covers. -#}
{% test equal_rowset(model, compare_model, compare_columns, compare_where=none) %}
{%- set column_list = compare_columns | join(', ') %}
with actual as (

    select {{ column_list }} from {{ model }}

),

expected as (

    select {{ column_list }} from {{ compare_model }}
    {%- if compare_where %}
    where {{ compare_where }}
    {%- endif %}

),

missing_from_actual as (

    select * from expected
    except all
    select * from actual

),

unexpected_in_actual as (

    select * from actual
    except all
    select * from expected

),

final as (

    select 'expected but missing' as difference, * from missing_from_actual
    union all
    select 'present but not expected' as difference, * from unexpected_in_actual

)

select * from final
{% endtest %}
