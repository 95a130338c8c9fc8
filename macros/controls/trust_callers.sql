{#- Whether one value of a trust condition on the caller's identity (a row of
    int_soc2__aws_trust_caller_conditions, alias `condition`) holds for a
    caller: its account, its organisation (null when the inventory does not
    know it) and its ARN (null when only the account is being decided).
    aws:PrincipalAccount compares the account, aws:PrincipalOrgID and the
    organisation segment of aws:PrincipalOrgPaths the organisation,
    aws:PrincipalArn the ARN, each with the operator's comparison (exact,
    ignoring case, or the StringLike/ArnLike pattern). A caller whose
    organisation is not known satisfies an organisation value unless that
    organisation's member list is synced (it is then known not to be a
    member); ${aws:ResourceOrgID} of a role whose organisation is not known
    holds: the condition may hold, as conditions that cannot be decided do
    (DECISIONS 114). -#}
{% macro trust_caller_condition_holds(condition, caller_account, caller_organisation, caller_arn) -%}
    {%- set caller_value -%}
        case {{ condition }}.caller_attribute
            when 'account' then {{ caller_account }}
            when 'organisation' then {{ caller_organisation }}
            else {{ caller_arn }}
        end
    {%- endset -%}
    coalesce(case
        when {{ condition }}.caller_attribute = 'organisation'
            and {{ condition }}.match_value is null then true
        when {{ condition }}.caller_attribute = 'organisation'
            and {{ caller_organisation }} is null then not {{ condition }}.is_listed_organisation
        when {{ condition }}.match_mode = 'equals'
            then {{ caller_value }} = {{ condition }}.match_value
        when {{ condition }}.match_mode = 'equals_ignore_case'
            then lower({{ caller_value }}) = lower({{ condition }}.match_value)
        else {{ soc2.like_match(caller_value, condition ~ '.like_pattern') }}
    end, false)
{%- endmacro %}
