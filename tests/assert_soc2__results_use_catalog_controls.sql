-- Every control result names a control of the catalog, with the catalog's
-- category: a result the catalog does not know could not be summarised.
with control_results as (

    select * from {{ ref('soc2__control_results') }}

),

catalog as (

    select * from {{ ref('soc2__control_catalog') }}

),

final as (

    select control_results.result_id
    from control_results
    left join catalog
        on control_results.control_id = catalog.control_id
        and control_results.trust_category = catalog.trust_category
    where catalog.control_id is null

)

select * from final
