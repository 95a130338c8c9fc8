{#- Fails with each combination of `columns` that occurs more than once.
    Nulls compare equal here (a key column may legitimately be null, as the
    account of a threshold row is), so they are coalesced to one marker. -#}
{% test unique_key(model, columns) %}
with keys as (

    select
        {%- for column in columns %}
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), '<null>') as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

final as (

    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        count(*) as occurrences
    from keys
    group by {{ columns | join(', ') }}
    having count(*) > 1

)

select * from final
{% endtest %}
