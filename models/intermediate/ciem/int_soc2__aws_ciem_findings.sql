-- One row per principal and finding, with the evidence: admin-equivalent
-- principals, privilege escalation (by a method of its own, or by acting as
-- a more privileged principal, with the path), lateral access to data rights
-- through other principals, unrestricted data-exfiltration,
-- permissions-management, credential and write rights, whole-service
-- wildcards, roles that anyone, the role's own organisation (through a
-- narrowed "*"), another account or a compute service can assume, inactive
-- principals and unused
-- credentials. Admin-equivalent principals get only the admin finding for
-- rights (every other right follows from it).
{%- set inactive_days = var('soc2_inactive_principal_days', 90) %}
with principals as (

    select * from {{ ref('int_soc2__aws_iam_principals') }}

),

admin_principals as (

    select * from {{ ref('int_soc2__aws_admin_principals') }}

),

escalation_matches as (

    select * from {{ ref('int_soc2__aws_privilege_escalation_matches') }}

),

escalation_paths as (

    select * from {{ ref('int_soc2__aws_escalation_paths') }}

),

lateral_access as (

    select * from {{ ref('int_soc2__aws_lateral_access') }}

),

methods as (

    select * from {{ ref('soc2__privilege_escalation_methods') }}

),

permissions as (

    select permissions.*
    from {{ ref('int_soc2__aws_principal_permissions') }} as permissions
    left join {{ ref('int_soc2__aws_admin_principals') }} as admin_principals
        on permissions.principal_arn = admin_principals.principal_arn
    where permissions.decision != 'denied' and admin_principals.principal_arn is null

),

catalog as (

    select * from {{ ref('soc2__iam_actions') }}

),

principal_statements as (

    select * from {{ ref('int_soc2__aws_principal_statements') }}
    where policy_role = 'identity' and effect = 'Allow' and not has_condition

),

elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind = 'action'

),

trusts as (

    select * from {{ ref('int_soc2__aws_role_trusts') }}

),

credential_results as (

    select * from {{ ref('int_soc2__controls_aws_iam_credentials') }}
    where control_id = 'aws_iam_unused_credentials_disabled' and status = 'fail'

),

admin_findings as (

    select
        admin_principals.principal_arn,
        'admin_equivalent' as finding_type,
        cast(null as {{ dbt.type_string() }}) as method,
        {#- always allowed: a conditional grant of '*' is no admin (DECISIONS 21) #}
        'critical' as severity,
        'granted every action on every resource' as reason,
        'granted by: ' || coalesce(admin_principals.granted_by, 'unknown') as evidence
    from admin_principals

),

method_findings as (

    select
        principal_arn,
        'privilege_escalation' as finding_type,
        method_id as method,
        case when is_conditional then 'medium' else severity end as severity,
        'can escalate with ' || method_name || ' (' || category || ')'
        || case when is_conditional then ', under a condition' else '' end as reason,
        'allowed actions: ' || actions as evidence
    from escalation_matches
    {#- methods that act as another principal escalate only through a more
        privileged one: int_soc2__aws_escalation_paths decides #}
    where not acts_as_other

),

path_findings as (

    select
        escalation_paths.principal_arn,
        'privilege_escalation' as finding_type,
        escalation_paths.method_id as method,
        case when escalation_matches.is_conditional then 'medium' else methods.severity end
            as severity,
        'can escalate with ' || methods.method_name || ' (' || methods.category || '): reaches '
        || escalation_paths.admin_arn || ' (' || escalation_paths.reached_because || ') in '
        || cast(escalation_paths.step_count as {{ dbt.type_string() }}) || ' step'
        || case when escalation_paths.step_count > 1 then 's' else '' end
        || case when escalation_matches.is_conditional then ', under a condition' else '' end
            as reason,
        escalation_paths.path_text as evidence
    from escalation_paths
    inner join methods
        on escalation_paths.method_id = methods.method_id
    left join escalation_matches
        on escalation_paths.principal_arn = escalation_matches.principal_arn
        and escalation_paths.method_id = escalation_matches.method_id

),

lateral_findings as (

    select
        principal_arn,
        'lateral_access' as finding_type,
        cast(null as {{ dbt.type_string() }}) as method,
        'high' as severity,
        'reaches ' || reached_arn || ' in ' || cast(step_count as {{ dbt.type_string() }})
        || ' step' || case when step_count > 1 then 's' else '' end
        || ', which may ' || data_action || ' on every resource and it may not ('
        || cast(data_action_count as {{ dbt.type_string() }}) || ' such data action'
        || case when data_action_count > 1 then 's' else '' end || ': ' || data_actions || ')'
            as reason,
        path_text as evidence
    from lateral_access

),

{% set right_findings = [
    ('data_exfiltration', 'high', "action_key in (" ~ soc2.sql_list(soc2.data_exfiltration_actions()) ~ ")", 'can read data out of every resource with'),
    ('credentials_exposure', 'high', "action_key in (" ~ soc2.sql_list(soc2.credentials_exposure_actions()) ~ ")", 'can create or reveal credentials on every resource with'),
    ('resource_exposure', 'high', "access_level = 'Permissions management'", 'can change who has access, on every resource, with'),
    ('infrastructure_modification', 'medium', "access_level = 'Write'", 'can modify infrastructure on every resource with'),
] %}
permission_rights as (

    {#- every granted action, with what the rights findings read: the
        catalog's service, and which finding counts it (a known action
        allowed on every resource, of the finding's kind) #}
    select
        permissions.principal_arn,
        permissions.action_key,
        permissions.decision,
        {{ dbt.split_part('permissions.action_key', "':'", 1) }} as granted_service,
        catalog.service_prefix,
        catalog.access_level,
        {#- each finding's test once per row, not once per aggregate #}
        {%- for finding_type, severity, predicate, sentence in right_findings %}
        {%- set qualified = predicate | replace('action_key', 'permissions.action_key')
            | replace('access_level', 'catalog.access_level') %}
        coalesce(
            permissions.resource_scope = 'all' and catalog.action_key is not null
            and {{ qualified }},
            false
        ) as is_{{ finding_type }}{{ ',' if not loop.last }}
        {%- endfor %}
    from permissions
    left join catalog
        on permissions.action_key = catalog.action_key

),

service_rights as (

    {#- one pass over the millions of permission rows, grouped per principal
        and service: for each rights finding, how many unrestricted actions
        of its kind, the first and last by name, and whether one is allowed
        only under a condition; the findings then sum a few rows per
        principal (the catalog's service_prefix is the action's prefix) #}
    select
        principal_arn,
        granted_service,
        max(service_prefix) as service_prefix
        {%- for finding_type, severity, predicate, sentence in right_findings %}
        {%- set matches = 'is_' ~ finding_type %},
        sum(case when {{ matches }} then 1 else 0 end) as {{ finding_type }}_count,
        min(case when {{ matches }} then action_key end) as {{ finding_type }}_first,
        max(case when {{ matches }} then action_key end) as {{ finding_type }}_last,
        max(case when {{ matches }} and decision = 'allowed_conditionally' then 1 else 0 end)
            as {{ finding_type }}_conditional
        {%- endfor %}
    from permission_rights
    group by principal_arn, granted_service

),

{% for finding_type, severity, predicate, sentence in right_findings %}
{{ finding_type }}_findings as (

    select
        principal_arn,
        '{{ finding_type }}' as finding_type,
        cast(null as {{ dbt.type_string() }}) as method,
        '{{ severity }}' as severity,
        '{{ sentence }} ' || cast(sum({{ finding_type }}_count) as {{ dbt.type_string() }}) || ' action'
        || case when sum({{ finding_type }}_count) > 1 then 's' else '' end
        || ' in ' || {{ soc2.string_agg_distinct('service_prefix', ', ') }} as reason,
        'e.g. ' || min({{ finding_type }}_first)
        || case
            when sum({{ finding_type }}_count) > 1 then ', ' || max({{ finding_type }}_last)
            else ''
        end
        || case
            when max({{ finding_type }}_conditional) = 1 then '; some only under a condition'
            else ''
        end as evidence
    from service_rights
    where {{ finding_type }}_count > 0
    group by principal_arn

),
{% endfor %}

service_wildcard_findings as (

    select
        principal_statements.principal_arn,
        'service_wildcard' as finding_type,
        cast(null as {{ dbt.type_string() }}) as method,
        'medium' as severity,
        'granted whole services: ' || {{ soc2.string_agg_distinct('elements.element_value', ', ') }}
            as reason,
        'policies: ' || {{ soc2.string_agg_distinct('principal_statements.policy_name', ', ') }}
            as evidence
    from principal_statements
    inner join elements
        on principal_statements.statement_id = elements.statement_id
    {#- only while some action of that service is still effectively granted #}
    inner join service_rights as granted_services
        on principal_statements.principal_arn = granted_services.principal_arn
        and {{ dbt.split_part('elements.element_value', "':'", 1) }} = granted_services.granted_service
    left join admin_principals
        on principal_statements.principal_arn = admin_principals.principal_arn
    where
        elements.element_value like '%:*'
        and elements.element_value not like '%*%:*'
        and admin_principals.principal_arn is null
    group by principal_statements.principal_arn

),

trust_findings as (

    select
        role_arn as principal_arn,
        case trust_kind
            when 'public' then 'public_trust'
            when 'organisation' then 'organisation_trust'
            when 'cross_account' then 'cross_account_trust'
            else 'compute_service_trust'
        end as finding_type,
        cast(null as {{ dbt.type_string() }}) as method,
        case
            when trust_kind = 'public' and not is_restricted then 'critical'
            when trust_kind = 'public' then 'medium'
            when trust_kind = 'organisation' and is_scope_confirmed then 'low'
            when trust_kind = 'organisation' then 'medium'
            when trust_kind = 'cross_account' and not is_restricted then 'high'
            when trust_kind = 'cross_account' then 'low'
            else 'info'
        end as severity,
        case
            when trust_kind = 'public' and web_identity_provider is not null
                then 'anyone holding a token from ' || web_identity_provider
                || ' can assume the role: no condition fixes the token''s subject'
            when trust_kind = 'public' then 'anyone with an AWS account can assume the role'
            when trust_kind = 'organisation' and is_scope_confirmed
                then 'any principal of the role''s own organisation or account can assume the role'
            when trust_kind = 'organisation'
                then 'any principal of the organisation the trust policy names can assume the role; '
                || 'it is not confirmed as the role''s own (aws_organizations_accounts has no row for account '
                || account_id || ')'
            when trust_kind = 'cross_account' and is_public_principal
                then 'principals of another account or organisation (not in soc2_trusted_account_ids) '
                || 'can assume the role'
            when trust_kind = 'cross_account'
                then 'account ' || coalesce(trusted_account_id, trusted_principal)
                || ' (not in soc2_trusted_account_ids) can assume the role'
            else trusted_principal || ' can run code as the role'
        end
        || case
            when is_public_principal and trust_kind != 'public'
                then '; "' || trusted_principal || '" narrowed by ' || restricting_conditions
            when is_restricted then ', restricted by ' || restricting_conditions
            when trust_kind in ('public', 'cross_account') then ', with no restricting condition'
            else ''
        end
        || case
            when non_restricting_conditions is not null and trust_kind != 'service'
                then '; conditions that do not restrict who: ' || non_restricting_conditions
            else ''
        end as reason,
        'trusted principal: ' || principal_type || ' ' || trusted_principal
        || '; statement: ' || statement_id as evidence
    from trusts
    where
        trust_kind in ('public', 'organisation')
        or (trust_kind = 'cross_account' and not is_trusted_account)
        or (trust_kind = 'service' and trusted_principal in (
            {%- for service, action_key in soc2.compute_service_launch_actions() %}
            '{{ service }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ))

),

role_activity as (

    select
        principal_arn,
        created_at,
        last_used_at,
        {{ soc2.days_before_as_of('created_at') }}
            as days_since_created,
        {{ soc2.days_before_as_of('last_used_at') }}
            as days_since_used
    from principals
    where principal_type = 'role' and not is_service_linked

),

inactive_findings as (

    select
        principal_arn,
        'inactive_principal' as finding_type,
        cast(null as {{ dbt.type_string() }}) as method,
        'low' as severity,
        case
            when last_used_at is null
                then 'never used since it was created '
                || cast(days_since_created as {{ dbt.type_string() }}) || ' days ago'
            else 'last used ' || cast(days_since_used as {{ dbt.type_string() }}) || ' days ago'
        end || '; limit {{ inactive_days }} days' as reason,
        'last_used=' || coalesce({{ soc2.date_text('last_used_at') }}, 'never')
        || '; created=' || coalesce({{ soc2.date_text('created_at') }}, 'unknown') as evidence
    from role_activity
    where coalesce(days_since_used, days_since_created) > {{ inactive_days }}

),

unused_credential_findings as (

    select
        resource_id as principal_arn,
        'unused_credentials' as finding_type,
        cast(null as {{ dbt.type_string() }}) as method,
        'medium' as severity,
        reason,
        evidence
    from credential_results

),

unioned as (

    select * from admin_findings
    union all
    select * from method_findings
    union all
    select * from path_findings
    union all
    select * from lateral_findings
    {% for finding_type, severity, predicate, sentence in right_findings %}
    union all
    select * from {{ finding_type }}_findings
    {% endfor %}
    union all
    select * from service_wildcard_findings
    union all
    select * from trust_findings
    union all
    select * from inactive_findings
    union all
    select * from unused_credential_findings

),

final as (

    select
        unioned.finding_type || '|' || unioned.principal_arn || '|' || coalesce(unioned.method, '-')
            || case
                when unioned.finding_type in (
                    'public_trust', 'organisation_trust', 'cross_account_trust', 'compute_service_trust'
                )
                    then '|' || unioned.evidence
                else ''
            end as finding_id,
        principals.account_id,
        unioned.principal_arn,
        principals.principal_type,
        principals.principal_name,
        unioned.finding_type,
        unioned.method,
        unioned.severity,
        unioned.reason,
        unioned.evidence
    from unioned
    inner join principals
        on unioned.principal_arn = principals.principal_arn

)

select * from final
