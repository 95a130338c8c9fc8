-- Failing resources per account and severity: a starting point for the
-- remediation list a team works through before the audit window.
with control_results as (

    select * from {{ ref('soc2__control_results') }}
    where status = 'fail'

),

final as (

    select
        account_id,
        severity,
        count(*) as failing_results,
        count(distinct control_id) as failing_controls
    from control_results
    group by account_id, severity

)

select * from final
order by account_id, {{ soc2.severity_rank('severity') }} desc
