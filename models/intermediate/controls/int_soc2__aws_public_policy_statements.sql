-- One row per Allow statement of a resource policy other than a role's trust
-- policy (soc2.resource_policy_kinds: S3 bucket, Lambda, SNS, SQS, ECR, KMS,
-- Secrets Manager, OpenSearch, Glacier, CloudWatch Logs) whose Principal
-- admits anyone ("*", {"AWS": "*"}, any account's principal, or
-- NotPrincipal): a statement-level view of int_soc2__aws_policy_grantees,
-- which holds the one rule (DECISIONS 30 and 960). is_restricted: a condition
-- narrows who may use it to an organisation, an account or a network.
with grantees as (

    select * from {{ ref('int_soc2__aws_policy_grantees') }}
    where document_kind != 'role_trust' and is_public_principal

),

final as (

    select
        document_kind,
        account_id,
        region,
        resource_arn,
        statement_id,
        statement_index,
        statement_label,
        {{ soc2.string_agg_distinct(
            "case when element_kind = 'not_principal' then 'NotPrincipal ' else '' end "
            ~ "|| principal_type || ' ' || principal", ', ') }} as public_principals,
        max(case when has_restricting_condition then 1 else 0 end) = 1 as is_restricted,
        max(restricting_conditions) as restricting_conditions,
        max(non_restricting_conditions) as non_restricting_conditions
    from grantees
    group by
        document_kind, account_id, region, resource_arn, statement_id, statement_index, statement_label

)

select * from final
