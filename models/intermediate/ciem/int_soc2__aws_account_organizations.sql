-- One row per account whose AWS organisation is known, and that
-- organisation: from aws_organizations (each synced account describes its
-- own organisation) or else from aws_organizations_accounts (the member list
-- of an organisation, synced from its management account, whose account ARN
-- carries the organisation id); an account with no row has an organisation
-- the inventory does not know. Read by the escalation graph to decide
-- aws:PrincipalOrgID trust conditions per caller (DECISIONS 114).
with described as (

    select distinct
        account_id,
        organization_id
    from {{ ref('stg_soc2__aws_organizations') }}
    where account_id is not null and organization_id is not null

),

listed as (

    select distinct
        account_id,
        split_part(organization_account_arn, '/', 2) as organization_id
    from {{ ref('stg_soc2__aws_organizations_accounts') }}
    where account_id is not null and organization_account_arn like '%/%/%'

),

accounts as (

    select account_id, organization_id, 0 as source_rank from described
    union all
    select account_id, organization_id, 1 as source_rank from listed

),

ranked as (

    select
        account_id,
        min(source_rank) as best_rank
    from accounts
    group by account_id

),

final as (

    select
        accounts.account_id,
        min(accounts.organization_id) as organization_id
    from accounts
    inner join ranked
        on
            accounts.account_id = ranked.account_id
            and accounts.source_rank = ranked.best_rank
    group by accounts.account_id

)

select * from final
