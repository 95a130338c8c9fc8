-- One row per IAM user and role: how it gets its permissions, whether it is
-- admin-equivalent, how many actions it is granted, its findings, and the
-- escalation methods it holds that reach no more privileged principal (an
-- entitlement to review, not a finding).
with principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

admin_principals as (

    select * from {{ ref('int_soc2__aws_admin_principals') }}

),

principal_documents as (

    select * from {{ ref('int_soc2__aws_principal_policy_documents') }}

),

permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}

),

findings as (

    select * from {{ ref('int_soc2__aws_ciem_findings') }}

),

escalation_matches as (

    select * from {{ ref('int_soc2__aws_privilege_escalation_matches') }}
    where acts_as_other

),

escalation_paths as (

    select * from {{ ref('int_soc2__aws_escalation_paths') }}

),

unrealised_methods as (

    select
        escalation_matches.principal_arn,
        {{ soc2.string_agg_distinct('escalation_matches.method_id', ', ') }}
            as unrealised_escalation_methods
    from escalation_matches
    left join escalation_paths
        on escalation_matches.principal_arn = escalation_paths.principal_arn
        and escalation_matches.method_id = escalation_paths.method_id
    where escalation_paths.principal_arn is null
    group by escalation_matches.principal_arn

),

document_counts as (

    select
        principal_arn,
        sum(case when policy_role = 'identity' then 1 else 0 end) as identity_policy_count,
        sum(case when grant_path in ('group_inline', 'group_managed') then 1 else 0 end)
            as group_policy_count,
        sum(case when document_id is null then 1 else 0 end) as missing_policy_count
    from principal_documents
    group by principal_arn

),

permission_counts as (

    select
        principal_arn,
        sum(case when decision = 'allowed' then 1 else 0 end) as allowed_action_count,
        sum(case when decision = 'allowed_conditionally' then 1 else 0 end)
            as conditional_action_count,
        sum(case when decision = 'denied' then 1 else 0 end) as denied_action_count
    from permissions
    group by principal_arn

),

finding_counts as (

    select
        principal_arn,
        count(*) as finding_count,
        max({{ soc2.severity_rank('severity') }}) as max_severity_rank,
        {{ soc2.string_agg_distinct('finding_type', ', ') }} as finding_types
    from findings
    group by principal_arn

),

final as (

    select
        principals.account_id,
        principals.principal_arn,
        principals.principal_type,
        principals.principal_name,
        principals.permissions_boundary_arn,
        principals.is_service_linked,
        principals.input_form,
        admin_principals.principal_arn is not null as is_admin_equivalent,
        coalesce(document_counts.identity_policy_count, 0) as identity_policy_count,
        coalesce(document_counts.group_policy_count, 0) as group_policy_count,
        coalesce(document_counts.missing_policy_count, 0) as missing_policy_count,
        coalesce(permission_counts.allowed_action_count, 0) as allowed_action_count,
        coalesce(permission_counts.conditional_action_count, 0) as conditional_action_count,
        coalesce(permission_counts.denied_action_count, 0) as denied_action_count,
        coalesce(finding_counts.finding_count, 0) as finding_count,
        case finding_counts.max_severity_rank
            when 5 then 'critical'
            when 4 then 'high'
            when 3 then 'medium'
            when 2 then 'low'
            when 1 then 'info'
        end as max_finding_severity,
        finding_counts.finding_types,
        unrealised_methods.unrealised_escalation_methods,
        principals.created_at,
        principals.last_used_at
    from principals
    left join admin_principals
        on principals.principal_arn = admin_principals.principal_arn
    left join document_counts
        on principals.principal_arn = document_counts.principal_arn
    left join permission_counts
        on principals.principal_arn = permission_counts.principal_arn
    left join finding_counts
        on principals.principal_arn = finding_counts.principal_arn
    left join unrealised_methods
        on principals.principal_arn = unrealised_methods.principal_arn

)

select * from final
