-- Account governance, one row per account: a security alternate contact is
-- registered, the account belongs to an AWS organisation, and Trusted
-- Advisor and the Well-Architected Tool report no open warnings or high and
-- medium risks (partly decidable: see the reasons).
{% call soc2.control_family() %}
with accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

alternate_contacts as (

    select * from {{ ref('stg_soc2__aws_account_alternate_contacts') }}

),

organizations as (

    select * from {{ ref('stg_soc2__aws_organizations') }}

),

organization_accounts as (

    select * from {{ ref('stg_soc2__aws_organizations_accounts') }}

),

advisor_summaries as (

    select * from {{ ref('stg_soc2__aws_support_trusted_advisor_check_summaries') }}

),

workloads as (

    select * from {{ ref('stg_soc2__aws_wellarchitected_workloads') }}

),

account_contacts as (

    select
        accounts.account_id,
        max(case when alternate_contacts.alternate_contact_type = 'SECURITY' then 1 else 0 end)
            as has_security_contact,
        {{ soc2.string_agg_distinct('alternate_contacts.alternate_contact_type', ', ') }} as contact_types,
        max(alternate_contacts.source_relation) as source_relation,
        max(alternate_contacts.synced_at) as synced_at
    from accounts
    left join alternate_contacts
        on accounts.account_id = alternate_contacts.account_id
    group by accounts.account_id

),

security_contact_registered as (

    select
        'aws_security_contact_registered' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case when has_security_contact = 1 then 'pass' else 'fail' end as status,
        case
            when has_security_contact = 1 then 'a SECURITY alternate contact is registered'
            else 'no SECURITY alternate contact is registered (aws_account_alternate_contacts has no such row); '
                || 'register one so that AWS can reach the security team'
        end as reason,
        'alternate_contact_types=' || coalesce(contact_types, 'none') as evidence,
        coalesce(source_relation, 'aws_account_alternate_contacts') as source_relation,
        synced_at
    from account_contacts

),

membership as (

    select
        account_id,
        organization_id,
        'aws_organizations' as seen_in,
        source_relation,
        synced_at
    from organizations

    union all

    select
        account_id,
        {{ soc2.list_item('organization_account_arn', '/', 2) }} as organization_id,
        'aws_organizations_accounts' as seen_in,
        source_relation,
        synced_at
    from organization_accounts

),

account_membership as (

    select
        accounts.account_id,
        {{ soc2.string_agg_distinct('membership.organization_id', ', ') }} as organization_ids,
        {{ soc2.string_agg_distinct('membership.seen_in', ', ') }} as seen_in,
        max(membership.source_relation) as source_relation,
        max(membership.synced_at) as synced_at
    from accounts
    left join membership
        on accounts.account_id = membership.account_id
    group by accounts.account_id

),

account_in_organization as (

    select
        'aws_account_in_organization' as control_id,
        account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_id as resource_id,
        case when organization_ids is not null then 'pass' else 'fail' end as status,
        case
            when organization_ids is not null
                then 'the account belongs to organisation ' || organization_ids || ' (seen in ' || seen_in || ')'
            else 'the account belongs to no AWS organisation: aws_organizations has no row for it and no '
                || 'management account lists it (a denied DescribeOrganization call also leaves no row); '
                || 'join it to the organisation'
        end as reason,
        'organization_ids=' || coalesce(organization_ids, 'none') as evidence,
        coalesce(source_relation, 'aws_organizations') as source_relation,
        synced_at
    from account_membership

),

account_advisor as (

    select
        accounts.account_id,
        sum(case when advisor_summaries.check_id is not null then 1 else 0 end) as advisor_checks,
        {{ soc2.string_agg_distinct(
            "case when advisor_summaries.check_status in ('warning', 'error') "
            ~ "then advisor_summaries.check_id || ' (' || advisor_summaries.check_status || ')' end", ', ') }}
            as flagged_checks,
        max(advisor_summaries.source_relation) as source_relation,
        max(advisor_summaries.synced_at) as synced_at
    from accounts
    left join advisor_summaries
        on accounts.account_id = advisor_summaries.account_id
    group by accounts.account_id

),

account_workloads as (

    select
        accounts.account_id,
        sum(case when workloads.workload_arn is not null then 1 else 0 end) as workload_count,
        {{ soc2.string_agg_distinct(
            "case when coalesce(workloads.high_risk_count, 0) > 0 or coalesce(workloads.medium_risk_count, 0) > 0 "
            ~ "then workloads.workload_name || ' (high ' || cast(coalesce(workloads.high_risk_count, 0) as "
            ~ dbt.type_string() ~ ") || ', medium ' || cast(coalesce(workloads.medium_risk_count, 0) as "
            ~ dbt.type_string() ~ ") || ')' end", ', ') }} as risky_workloads,
        max(workloads.source_relation) as source_relation,
        max(workloads.synced_at) as synced_at
    from accounts
    left join workloads
        on accounts.account_id = workloads.account_id
    group by accounts.account_id

),

trusted_advisor_wa_reviewed as (

    select
        'aws_trusted_advisor_wa_reviewed' as control_id,
        account_advisor.account_id,
        'global' as region,
        'aws_account' as resource_type,
        account_advisor.account_id as resource_id,
        case
            when account_advisor.flagged_checks is not null or account_workloads.risky_workloads is not null
                then 'fail'
            when account_advisor.advisor_checks = 0 and account_workloads.workload_count = 0
                then 'not_evaluated'
            else 'pass'
        end as status,
        case
            when account_advisor.flagged_checks is not null or account_workloads.risky_workloads is not null
                then concat_ws(
                    '; ',
                    case
                        when account_advisor.flagged_checks is not null
                            then 'Trusted Advisor checks in warning or error: ' || account_advisor.flagged_checks
                    end,
                    case
                        when account_workloads.risky_workloads is not null
                            then 'Well-Architected workloads with high or medium risks: '
                            || account_workloads.risky_workloads
                    end
                ) || '; review and resolve them'
            when account_advisor.advisor_checks = 0 and account_workloads.workload_count = 0
                then 'no Trusted Advisor results (they need a Business or Enterprise support plan) and no '
                || 'Well-Architected workload for this account; nothing shows the reviews took place'
            when account_advisor.advisor_checks = 0
                then 'the Well-Architected workloads have no high or medium risk; Trusted Advisor results are '
                || 'absent (Business or Enterprise support plan needed), so its checks were not seen'
            when account_workloads.workload_count = 0
                then 'every Trusted Advisor check is ok; no Well-Architected workload is defined, so workload '
                || 'reviews cannot be seen'
            else 'every Trusted Advisor check is ok and the Well-Architected workloads have no high or medium risk '
                || '(reviews of workloads not defined in the tool cannot be seen)'
        end as reason,
        'advisor_checks=' || cast(account_advisor.advisor_checks as {{ dbt.type_string() }})
        || '; workloads=' || cast(account_workloads.workload_count as {{ dbt.type_string() }}) as evidence,
        coalesce(
            account_advisor.source_relation,
            account_workloads.source_relation,
            'aws_support_trusted_advisor_check_summaries'
        ) as source_relation,
        coalesce(account_advisor.synced_at, account_workloads.synced_at) as synced_at
    from account_advisor
    inner join account_workloads
        on account_advisor.account_id = account_workloads.account_id

),

final as (

    select * from security_contact_registered
    union all
    select * from account_in_organization
    union all
    select * from trusted_advisor_wa_reviewed

)

select * from final
{% endcall %}
