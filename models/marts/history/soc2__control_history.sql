{{ config(**soc2.history_table_config()) }}
-- The day's control results, kept: one row per evaluation date, control,
-- account, region and resource. Each build writes the rows of its evaluation
-- date (soc2_as_of, default today in UTC) and replaces that date's earlier
-- rows, so a re-run or a late run for a past date corrects that date only
-- (DECISIONS 104).
with control_results as (

    select * from {{ ref('soc2__control_results') }}

),

catalog as (

    select * from {{ ref('soc2__control_catalog') }}

),

final as (

    select
        control_results.result_id,
        control_results.control_id,
        control_results.control_title,
        catalog.control_type,
        control_results.trust_category,
        control_results.criteria,
        control_results.severity,
        control_results.cloud,
        control_results.account_id,
        control_results.region,
        control_results.resource_type,
        control_results.resource_id,
        control_results.status,
        control_results.reason,
        control_results.evidence,
        control_results.source_relation,
        control_results.synced_at,
        control_results.evaluated_at,
        cast('{{ soc2.package_version() }}' as {{ dbt.type_string() }}) as package_version,
        cast('{{ soc2.catalog_version() }}' as {{ dbt.type_string() }}) as catalog_version,
        cast({{ soc2.history_threshold_settings() }} as {{ dbt.type_string() }}) as threshold_settings,
        {{ soc2.history_recorded_at() }} as recorded_at,
        {{ soc2.evaluation_date() }} as evaluation_date
    from control_results
    left join catalog
        on control_results.control_id = catalog.control_id

)

select * from final
