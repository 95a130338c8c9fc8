-- One row per threshold var: the value in force, its floor, and whether the
-- value is looser than the floor (which is reported as a failing row of the
-- control that uses it).
{%- set definitions = soc2.threshold_definitions() %}
with settings as (

    {% for definition in definitions %}
        select
            '{{ definition.var }}' as var_name,
            '{{ definition.control_id }}' as control_id,
            '{{ definition.direction }}' as direction,
            cast({{ var(definition.var) }} as {{ dbt.type_int() }}) as configured_value,
            cast({{ definition.floor }} as {{ dbt.type_int() }}) as floor_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        *,
        case
            when direction = 'max' then configured_value > floor_value
            else configured_value < floor_value
        end as is_looser_than_floor
    from settings

)

select * from final
