-- Metabase question (d): CIEM findings by type and severity, with the
-- principals behind them: one row per finding type, severity and principal,
-- carrying the totals of its type and severity and what the principal is.
with ciem_findings as (

    select * from {{ ref('soc2__ciem_findings') }}

),

ciem_principals as (

    select * from {{ ref('soc2__ciem_principals') }}

),

by_type_and_severity as (

    select
        finding_type,
        severity,
        count(*) as type_findings,
        count(distinct principal_arn) as type_principals
    from ciem_findings
    group by finding_type, severity

),

by_principal as (

    select
        finding_type,
        severity,
        principal_arn,
        count(*) as principal_findings
    from ciem_findings
    group by finding_type, severity, principal_arn

),

final as (

    select
        by_principal.finding_type,
        by_principal.severity,
        by_type_and_severity.type_findings,
        by_type_and_severity.type_principals,
        ciem_principals.account_id,
        by_principal.principal_arn,
        ciem_principals.principal_type,
        ciem_principals.principal_name,
        ciem_principals.is_admin_equivalent,
        by_principal.principal_findings,
        ciem_principals.finding_count as principal_finding_count,
        ciem_principals.finding_types as principal_finding_types
    from by_principal
    inner join by_type_and_severity
        on
            by_principal.finding_type = by_type_and_severity.finding_type
            and by_principal.severity = by_type_and_severity.severity
    left join ciem_principals
        on by_principal.principal_arn = ciem_principals.principal_arn

)

select * from final
order by {{ soc2.severity_rank('severity') }} desc, finding_type, principal_arn
