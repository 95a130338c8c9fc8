{#- The body of a trust-category mart: the control results of one category. -#}
{% macro trust_category_mart(trust_category) -%}
with control_results as (

    select * from {{ ref('soc2__control_results') }}

),

final as (

    select *
    from control_results
    where trust_category = '{{ trust_category }}'

)

select * from final
{%- endmacro %}
