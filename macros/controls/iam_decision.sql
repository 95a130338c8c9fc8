{#- The IAM decision from aggregated flags (each a boolean SQL expression):
    an unconditional, all-resource Deny wins; a boundary or SCP that allows
    nothing matching caps the grant to nothing (they never grant); otherwise
    the access is allowed when the grant and every cap are unconditional and
    no narrower or conditional Deny applies, and allowed_conditionally when
    any of them holds only under a condition (a conditional Deny never cancels
    an unconditional Allow). `no_grant` is what a request gets with no Allow. -#}
{% macro iam_decision(
    has_allow, has_unconditional_allow,
    has_full_deny, has_partial_deny,
    has_boundary, boundary_allows, boundary_allows_unconditionally,
    has_scp, scp_allows, scp_allows_unconditionally,
    no_grant='implicit_deny', capped='implicit_deny'
) -%}
    case
        when {{ has_full_deny }} then 'denied'
        when not ({{ has_allow }}) then '{{ no_grant }}'
        when {{ has_boundary }} and not ({{ boundary_allows }}) then '{{ capped }}'
        when {{ has_scp }} and not ({{ scp_allows }}) then '{{ capped }}'
        when {{ has_unconditional_allow }}
            and (not ({{ has_boundary }}) or {{ boundary_allows_unconditionally }})
            and (not ({{ has_scp }}) or {{ scp_allows_unconditionally }})
            and not ({{ has_partial_deny }})
            then 'allowed'
        else 'allowed_conditionally'
    end
{%- endmacro %}
