-- Bridge: one row per control and Trust Services Criterion it maps to.
with catalog as (

    select * from {{ ref('soc2__control_catalog') }}

),

criteria as (

    select * from {{ ref('soc2__trust_services_criteria') }}

),

final as (

    select
        catalog.control_id,
        criteria.criterion_id,
        criteria.trust_category as criterion_trust_category,
        catalog.control_type
    from catalog
    inner join criteria
        on ';' || catalog.criteria || ';' like '%;' || criteria.criterion_id || ';%'

)

select * from final
