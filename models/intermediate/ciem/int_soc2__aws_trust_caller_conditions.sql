-- One row per value of a condition that restricts who may assume a role by
-- the caller's own identity (aws:PrincipalAccount, aws:PrincipalOrgID,
-- aws:PrincipalOrgPaths, aws:PrincipalArn), in an Allow statement of a
-- trust policy: the conditions soc2.condition_restrictions says restrict
-- (positive operator, every value fixed), ready to be compared with a caller
-- (macro soc2.trust_caller_condition_holds). The values of one group
-- (operator and key) are alternatives; every group of a statement must hold.
-- Conditions on keys that do not describe the caller (network, MFA, time,
-- external id, source account or ARN of a service) are not here: they may
-- hold, as before (DECISIONS 43, 114).
with trusts as (

    select distinct account_id, role_arn, statement_id
    from {{ ref('int_soc2__aws_role_trusts') }}

),

conditions as (

    select * from {{ ref('int_soc2__aws_policy_statement_conditions') }}

),

account_organizations as (

    select * from {{ ref('int_soc2__aws_account_organizations') }}

),

listed_organizations as (

    select distinct split_part(organization_account_arn, '/', 2) as organization_id
    from {{ ref('stg_soc2__aws_organizations_accounts') }}
    where organization_account_arn like '%/%/%'

),

trust_conditions as (

    select
        conditions.statement_id,
        conditions.condition_operator,
        conditions.condition_key,
        conditions.condition_value,
        trusts.account_id as role_account_id
    from conditions
    inner join (select distinct account_id, statement_id from trusts) as trusts
        on conditions.statement_id = trusts.statement_id
    where conditions.condition_key in (
        'aws:principalaccount', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn'
    )

),

verdicts as (

    {{ soc2.condition_restrictions('trust_conditions') }}

),

restricting as (

    select
        verdicts.statement_id,
        verdicts.role_account_id,
        verdicts.condition_operator || ' ' || verdicts.condition_key as group_id,
        verdicts.condition_text,
        case verdicts.condition_key
            when 'aws:principalaccount' then 'account'
            when 'aws:principalarn' then 'arn'
            else 'organisation'
        end as caller_attribute,
        case
            when verdicts.base_operator = 'stringequalsignorecase' then 'equals_ignore_case'
            when verdicts.condition_key = 'aws:principalorgpaths' then 'equals'
            when verdicts.is_pattern_operator then 'like'
            else 'equals'
        end as match_mode,
        case
            when lower(verdicts.condition_value) = '${aws:resourceaccount}'
                then verdicts.role_account_id
            when lower(verdicts.condition_value) = '${aws:resourceorgid}'
                then role_organizations.organization_id
            when verdicts.condition_key = 'aws:principalorgpaths' then verdicts.identifier
            else verdicts.condition_value
        end as match_value
    from verdicts
    left join account_organizations as role_organizations
        on verdicts.role_account_id = role_organizations.account_id
    where verdicts.restricts

),

statement_groups as (

    select
        statement_id,
        count(distinct group_id) as statement_group_count,
        max(case when caller_attribute = 'arn' then 1 else 0 end) = 1 as has_arn_group
    from restricting
    group by statement_id

),

final as (

    select
        restricting.statement_id,
        restricting.role_account_id,
        restricting.group_id,
        restricting.condition_text,
        restricting.caller_attribute,
        restricting.match_mode,
        restricting.match_value,
        {{ soc2.wildcard_to_like('restricting.match_value') }} as like_pattern,
        case
            when restricting.caller_attribute = 'arn' then split_part(restricting.match_value, ':', 5)
            when restricting.caller_attribute = 'account' then restricting.match_value
        end as value_account_id,
        listed_organizations.organization_id is not null as is_listed_organisation,
        statement_groups.statement_group_count,
        statement_groups.has_arn_group
    from restricting
    inner join statement_groups
        on restricting.statement_id = statement_groups.statement_id
    left join listed_organizations
        on
            restricting.caller_attribute = 'organisation'
            and restricting.match_value = listed_organizations.organization_id

)

select * from final
