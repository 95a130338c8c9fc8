{#- "Who may use this": the one rule (DECISIONS 30) by which the package decides
    whether a resource-policy statement (a role's trust policy, an S3 bucket
    policy, and later KMS, SQS, SNS...) is open to anyone or narrowed by its
    conditions. Two parts: which principals admit anyone, and which
    conditions restrict who.

    is_public_principal: a Principal or NotPrincipal value admits anyone when
    it is "*" (as a string or as {"AWS": "*"}), any account's principal
    (arn:<partition>:iam::*:...), or any value of NotPrincipal in an Allow
    statement (everyone except the listed principals).

    condition_restrictions(conditions): a select over a relation (or CTE)
    with the columns of int_soc2__aws_policy_statement_conditions
    (statement_id, condition_operator, condition_key lower-cased,
    condition_value), keeping every column it has, plus:

      restriction_kind       organisation (aws:PrincipalOrgID, aws:SourceOrgID,
                             aws:PrincipalOrgPaths), account
                             (aws:PrincipalAccount, aws:SourceAccount,
                             aws:SourceOwner, aws:PrincipalArn, aws:SourceArn,
                             and kms:CallerAccount in KMS key policies),
                             network (aws:SourceIp, aws:SourceVpce,
                             aws:SourceVpc), subject (an identity provider's
                             subject claim: <provider>:sub,
                             graph.facebook.com:id, www.amazon.com:user_id);
                             null for every other key (sts:ExternalId
                             included), which never restricts who.
      subject_provider       for subject keys, the provider (the key before
                             its first ':'), e.g. token.actions.githubusercontent.com
      is_positive_operator   the operator is true only for the listed values:
                             StringEquals, StringEqualsIgnoreCase, StringLike,
                             ArnEquals, ArnLike (IpAddress for aws:SourceIp),
                             alone or after ForAnyValue:. Negated operators
                             (StringNotEquals, NotIpAddress...), ...IfExists
                             forms (true when the key is absent), ForAllValues:
                             (true when the key is absent) and every other
                             operator are not.
      is_fixed_value         the value names someone: no wildcard in an id
                             (organisation, account, VPC endpoint, VPC) when
                             the operator matches patterns (StringLike, and
                             ArnEquals/ArnLike, which both match patterns); an
                             ARN whose account is fixed (or, for an ARN
                             without an account such as an S3 bucket's, whose
                             resource name is); an IP range other than
                             0.0.0.0/0 and ::/0; a subject that is not only
                             wildcards (for GitHub's repo:OWNER/... subjects,
                             a fixed OWNER). Policy variables are not fixed,
                             except ${aws:ResourceAccount} and
                             ${aws:ResourceOrgID}, which name the resource's
                             own account or organisation.
      names_resource_owner   the value is ${aws:ResourceAccount} or
                             ${aws:ResourceOrgID}
      named_organization_id  the organisation a fixed organisation value names
      named_account_id       the account a fixed account value names (for
                             ARNs, their account field)
      restricts              the key, with this operator, restricts who: a
                             known kind, a positive operator, and every value
                             of the (statement, operator, key) fixed, since the
                             values of one key are alternatives (one "*"
                             among them admits anyone)
      condition_text         key, operator and value, for reasons and evidence

    (and the columns of its parsing steps: set_operator, base_operator,
    is_pattern_operator, identifier, arn_account, arn_resource_name,
    github_owner).

    Within a statement, different keys and operators must all hold, so one
    restricting (operator, key) is enough to restrict the statement. Operator
    names are compared without regard to case, condition keys are lower-cased
    upstream (AWS treats them as case-insensitive). -#}

{% macro is_public_principal(element_kind, principal_type, element_value) -%}
    (
        {{ element_kind }} = 'not_principal'
        or {{ principal_type }} = '*'
        or (
            {{ principal_type }} = 'AWS'
            and ({{ element_value }} = '*' or {{ element_value }} like 'arn:%:iam::*:%')
        )
    )
{%- endmacro %}

{% macro condition_restrictions(conditions) -%}
    {%- set wildcard = "(%s like '%%*%%' or %s like '%%?%%')" -%}
    {%- set resource_variables = "('${aws:resourceaccount}', '${aws:resourceorgid}')" -%}
    select
        valued.*,
        coalesce(
            valued.is_positive_operator
            and valued.restriction_kind is not null
            and min(case when valued.is_fixed_value then 1 else 0 end) over (
                partition by valued.statement_id, valued.condition_operator, valued.condition_key
            ) = 1,
            false
        ) as restricts,
        case
            when valued.restriction_kind = 'organisation'
                and valued.is_fixed_value and not valued.names_resource_owner
                then valued.identifier
        end as named_organization_id,
        case
            when valued.restriction_kind != 'account'
                or not valued.is_fixed_value or valued.names_resource_owner
                then null
            when valued.condition_key in ('aws:principalarn', 'aws:sourcearn')
                then nullif(valued.arn_account, '')
            else valued.condition_value
        end as named_account_id,
        valued.condition_key || ' ' || valued.condition_operator || ' '
        || coalesce(valued.condition_value, 'null') as condition_text
    from (
        select
            parsed.*,
            coalesce(case
                when parsed.restriction_kind is null then false
                when parsed.condition_value is null then false
                when lower(parsed.condition_value) in {{ resource_variables }} then true
                when position('${' in parsed.condition_value) > 0 then false
                when parsed.condition_key = 'aws:sourceip'
                    then parsed.condition_value not in ('0.0.0.0/0', '::/0')
                when not parsed.is_pattern_operator then true
                when parsed.restriction_kind = 'subject'
                    and parsed.subject_provider = 'token.actions.githubusercontent.com'
                    and parsed.condition_value like 'repo:%'
                    then parsed.github_owner != ''
                    and not {{ wildcard | format('parsed.github_owner', 'parsed.github_owner') }}
                when parsed.restriction_kind = 'subject'
                    then replace(replace(parsed.condition_value, '*', ''), '?', '') != ''
                when parsed.condition_key in ('aws:principalarn', 'aws:sourcearn')
                    and parsed.arn_account = ''
                    then parsed.arn_resource_name != ''
                    and not {{ wildcard | format('parsed.arn_resource_name', 'parsed.arn_resource_name') }}
                when parsed.condition_key in ('aws:principalarn', 'aws:sourcearn')
                    then not {{ wildcard | format('parsed.arn_account', 'parsed.arn_account') }}
                else not {{ wildcard | format('parsed.identifier', 'parsed.identifier') }}
            end, false) as is_fixed_value,
            coalesce(lower(parsed.condition_value) in {{ resource_variables }}, false)
                as names_resource_owner
        from (
            select
                operators.*,
                case
                    when operators.restriction_kind = 'subject'
                        then split_part(operators.condition_key, ':', 1)
                end as subject_provider,
                coalesce(
                    operators.set_operator != 'forallvalues:'
                    and case
                        when operators.condition_key = 'aws:sourceip'
                            then operators.base_operator = 'ipaddress'
                        else operators.base_operator in (
                            'stringequals', 'stringequalsignorecase', 'stringlike',
                            'arnequals', 'arnlike'
                        )
                    end,
                    false
                ) as is_positive_operator,
                operators.base_operator in ('stringlike', 'arnequals', 'arnlike')
                    as is_pattern_operator,
                case
                    when operators.condition_key = 'aws:principalorgpaths'
                        then split_part(operators.condition_value, '/', 1)
                    else operators.condition_value
                end as identifier,
                split_part(operators.condition_value, ':', 5) as arn_account,
                split_part(split_part(operators.condition_value, ':', 6), '/', 1)
                    as arn_resource_name,
                split_part(substr(operators.condition_value, 6), '/', 1) as github_owner
            from (
                select
                    conditions.*,
                    case
                        when lower(conditions.condition_operator) like 'foranyvalue:%'
                            then 'foranyvalue:'
                        when lower(conditions.condition_operator) like 'forallvalues:%'
                            then 'forallvalues:'
                        else ''
                    end as set_operator,
                    case
                        when lower(conditions.condition_operator) like 'foranyvalue:%'
                            then substr(lower(conditions.condition_operator), 13)
                        when lower(conditions.condition_operator) like 'forallvalues:%'
                            then substr(lower(conditions.condition_operator), 14)
                        else lower(conditions.condition_operator)
                    end as base_operator,
                    case
                        when conditions.condition_key in (
                            'aws:principalorgid', 'aws:sourceorgid', 'aws:principalorgpaths'
                        ) then 'organisation'
                        when conditions.condition_key in (
                            'aws:principalaccount', 'aws:sourceaccount', 'aws:sourceowner',
                            'aws:principalarn', 'aws:sourcearn', 'kms:calleraccount'
                        ) then 'account'
                        when conditions.condition_key in (
                            'aws:sourceip', 'aws:sourcevpce', 'aws:sourcevpc'
                        ) then 'network'
                        when conditions.condition_key like '%:sub'
                            or conditions.condition_key in (
                                'graph.facebook.com:id', 'www.amazon.com:user_id'
                            ) then 'subject'
                    end as restriction_kind
                from {{ conditions }} as conditions
            ) as operators
        ) as parsed
    ) as valued
{%- endmacro %}
