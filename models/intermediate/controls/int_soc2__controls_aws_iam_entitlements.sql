-- SOC 2 controls computed from the entitlement (CIEM) models: no admin
-- outside the break-glass list, no privilege escalation, least privilege, and
-- no role anyone can assume (a public_trust finding of severity critical:
-- anyone with an AWS account, or anyone holding a token from an OpenID
-- Connect provider, with no condition that restricts who).
{%- set break_glass = var('soc2_break_glass_principals', []) %}
{% call soc2.control_family() %}
with principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

findings as (

    select * from {{ ref('int_soc2__aws_ciem_findings') }}

),

{#- the first (by evidence) of a role's critical public_trust findings, so
    that the control's reason and evidence speak of the same statement #}
public_trust_findings as (

    select
        principal_arn,
        reason,
        evidence,
        row_number() over (partition by principal_arn order by evidence) as finding_rank
    from {{ ref('int_soc2__aws_ciem_findings') }}
    where finding_type = 'public_trust' and severity = 'critical'

),

principal_findings as (

    select
        principals.account_id,
        principals.principal_arn,
        principals.principal_type,
        principals.principal_name,
        principals.source_relation,
        principals.synced_at,
        {%- if break_glass %}
        (
            {%- for pattern in break_glass %}
            {{ soc2.wildcard_match('principals.principal_arn', "'" ~ pattern ~ "'") }}
            {{- ' or' if not loop.last }}
            {%- endfor %}
        )
        {%- else %}
        false
        {%- endif %} as is_break_glass,
        max(case when findings.finding_type = 'admin_equivalent' then 1 else 0 end) = 1
            as is_admin_equivalent,
        max(case when findings.finding_type = 'privilege_escalation' then 1 else 0 end) = 1
            as can_escalate,
        max(case
            when findings.finding_type in ('service_wildcard', 'resource_exposure') then 1 else 0
        end) = 1 as has_broad_rights,
        max(case
            when findings.finding_type = 'public_trust' and findings.severity = 'critical' then 1
            else 0
        end) = 1 as has_public_trust,
        min(case when findings.finding_type = 'admin_equivalent' then findings.evidence end)
            as admin_evidence,
        min(case when findings.finding_type = 'privilege_escalation' then findings.reason end)
            as escalation_reason,
        {{ soc2.string_agg_distinct(
            "case when findings.finding_type = 'privilege_escalation' then coalesce(findings.method, '') end",
            ', ') }} as escalation_methods,
        min(case
            when findings.finding_type in ('service_wildcard', 'resource_exposure')
                then findings.reason
        end) as broad_rights_reason,
        sum(case
            when findings.finding_type = 'public_trust' and findings.severity = 'critical' then 1
            else 0
        end) as public_trust_count
    from principals
    left join findings
        on principals.principal_arn = findings.principal_arn
    group by
        principals.account_id,
        principals.principal_arn,
        principals.principal_type,
        principals.principal_name,
        principals.source_relation,
        principals.synced_at

),

no_admin as (

    select
        'aws_iam_no_admin_outside_break_glass' as control_id,
        account_id,
        'global' as region,
        'aws_iam_' || principal_type as resource_type,
        principal_arn as resource_id,
        case when is_admin_equivalent and not is_break_glass then 'fail' else 'pass' end as status,
        case
            when is_admin_equivalent and is_break_glass
                then 'admin-equivalent, and listed as a break-glass principal'
            when is_admin_equivalent
                then principal_type || ' ' || principal_name
                || ' is admin-equivalent and not a break-glass principal'
            else 'not admin-equivalent'
        end as reason,
        coalesce(admin_evidence, 'no grant of every action on every resource') as evidence,
        source_relation,
        synced_at
    from principal_findings

),

no_escalation as (

    select
        'aws_iam_no_privilege_escalation' as control_id,
        account_id,
        'global' as region,
        'aws_iam_' || principal_type as resource_type,
        principal_arn as resource_id,
        case when can_escalate then 'fail' else 'pass' end as status,
        case
            when can_escalate then principal_type || ' ' || principal_name || ' ' || escalation_reason
            when is_admin_equivalent then 'already admin-equivalent (see the admin control)'
            else 'no privilege-escalation method or path found'
        end as reason,
        coalesce('methods: ' || nullif(escalation_methods, ''), 'none') as evidence,
        source_relation,
        synced_at
    from principal_findings

),

least_privilege as (

    select
        'aws_iam_least_privilege' as control_id,
        account_id,
        'global' as region,
        'aws_iam_' || principal_type as resource_type,
        principal_arn as resource_id,
        case
            when is_admin_equivalent and not is_break_glass then 'fail'
            when has_broad_rights then 'fail'
            else 'pass'
        end as status,
        case
            when is_admin_equivalent and not is_break_glass
                then principal_type || ' ' || principal_name || ' is admin-equivalent'
            when has_broad_rights then principal_type || ' ' || principal_name || ' ' || broad_rights_reason
            else 'no whole-service or unrestricted permissions-management grant'
        end as reason,
        coalesce(broad_rights_reason, admin_evidence, 'none') as evidence,
        source_relation,
        synced_at
    from principal_findings

),

no_public_trust as (

    select
        'aws_iam_no_public_trust' as control_id,
        principal_findings.account_id,
        'global' as region,
        'aws_iam_role' as resource_type,
        principal_findings.principal_arn as resource_id,
        case when principal_findings.has_public_trust then 'fail' else 'pass' end as status,
        case
            when principal_findings.has_public_trust
                then 'role ' || principal_findings.principal_name || ': ' || public_trust_findings.reason
                || case
                    when principal_findings.public_trust_count > 1
                        then ' (and ' || cast(principal_findings.public_trust_count - 1 as {{ dbt.type_string() }})
                        || ' more trust statements or principals that admit anyone)'
                    else ''
                end
            else 'the trust policy admits no one without a condition that restricts who'
        end as reason,
        coalesce(public_trust_findings.evidence, 'none') as evidence,
        principal_findings.source_relation,
        principal_findings.synced_at
    from principal_findings
    left join public_trust_findings
        on principal_findings.principal_arn = public_trust_findings.principal_arn
        and public_trust_findings.finding_rank = 1
    where principal_findings.principal_type = 'role'

),

final as (

    select * from no_admin
    union all
    select * from no_escalation
    union all
    select * from least_privilege
    union all
    select * from no_public_trust

)

select * from final
{% endcall %}
