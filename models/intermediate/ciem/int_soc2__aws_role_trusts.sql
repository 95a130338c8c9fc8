-- One row per role and principal its trust policy lets assume it (Allow
-- statements on sts:AssumeRole*), classified by who can actually assume it:
-- the role_trust rows of int_soc2__aws_policy_grantees, where the one rule
-- shared with every resource policy lives (soc2.condition_restrictions,
-- DECISIONS 30 and 960): public (anyone with an AWS account, or anyone
-- holding a token from an OpenID Connect provider when no condition fixes the
-- token's subject), organisation (a principal that admits anyone, narrowed by
-- its conditions to the role's own organisation or account), same_account,
-- cross_account (another account, named or narrowed to), service or
-- federated (SAML, or OIDC with a fixed subject).
with grantees as (

    select * from {{ ref('int_soc2__aws_policy_grantees') }}
    where document_kind = 'role_trust'

),

final as (

    select
        account_id,
        resource_arn as role_arn,
        statement_id,
        principal_type,
        principal as trusted_principal,
        principal_account_id as trusted_account_id,
        access_kind as trust_kind,
        is_restricted,
        restricting_conditions,
        non_restricting_conditions,
        is_trusted_account,
        names_account,
        is_public_principal,
        web_identity_provider,
        is_scope_confirmed
    from grantees

)

select * from final
