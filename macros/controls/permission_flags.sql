{#- The facts about one principal and action that the IAM decision needs, each
    as (name, condition on one matching statement row): a flag holds when any
    matching row meets its condition (is_named: there is one). A row is one
    statement of the principal (identity grant, boundary or SCP) that names
    the action or every action; the `*_by_action` and `has_deny_not_action`
    flags tell, for the action '*' itself, a grant of everything from a
    NotAction grant of all-but-some. -#}
{% macro permission_flags() -%}
    {%- set identity_allow = "policy_role = 'identity' and effect = 'Allow'" -%}
    {%- set everywhere = "not has_condition and resource_scope = 'all'" -%}
    {{ return([
        ('is_named', 'true'),
        ('has_allow', identity_allow),
        ('has_allow_by_action', identity_allow ~ " and match_kind = 'action'"),
        ('has_unconditional_allow', identity_allow ~ " and not has_condition"),
        ('is_granted_on_all_resources', identity_allow ~ " and " ~ everywhere),
        ('has_unconditional_deny', "effect = 'Deny' and " ~ everywhere),
        ('has_unconditional_deny_by_action',
            "effect = 'Deny' and match_kind = 'action' and " ~ everywhere),
        ('has_narrow_deny', "effect = 'Deny' and (has_condition or resource_scope != 'all')"),
        ('has_deny_not_action', "effect = 'Deny' and match_kind = 'not_action'"),
        ('boundary_allows', "policy_role = 'boundary' and effect = 'Allow'"),
        ('boundary_allows_unconditionally',
            "policy_role = 'boundary' and effect = 'Allow' and " ~ everywhere),
        ('scp_allows', "policy_role = 'scp' and effect = 'Allow'"),
        ('scp_allows_unconditionally', "policy_role = 'scp' and effect = 'Allow' and " ~ everywhere),
    ]) }}
{%- endmacro %}

{#- The flags of one statement row packed as the bits of one integer: bit i
    holds when condition i of permission_flags() does. `match_kind` names
    the expression (or literal) the conditions read as the row's match kind:
    a literal such as "'action'" gives the bits a statement has on every row
    of that kind, computed once per statement rather than once per row. -#}
{% macro permission_flag_bits(match_kind='match_kind') -%}
    {%- for name, condition in soc2.permission_flags() %}
    case when {{ condition | replace('match_kind', match_kind) }} then {{ 2 ** loop.index0 }} else 0 end
    {{- ' +' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The aggregate select list over the statement rows of a group, counting
    only the rows where `row_filter` holds: every flag of permission_flags()
    packed as one bit of `flag_bits` (one bitwise-or aggregate instead of a
    dozen; two groups' flags combine with `|`), plus the first and last
    granting and denying policy label rank (evidence). `row_bits`, when
    given, is an expression for the row's bits (permission_flag_bits)
    already at hand. -#}
{% macro permission_flag_aggregates(row_filter='true', row_bits=none) -%}
    bit_or(
        {%- if row_bits is not none %}
        case when {{ row_filter }} then {{ row_bits }} else 0 end
        {%- else %}
        {%- for name, condition in soc2.permission_flags() %}
        case when ({{ row_filter }}) and ({{ condition }}) then {{ 2 ** loop.index0 }} else 0 end
        {{- ' +' if not loop.last }}
        {%- endfor %}
        {%- endif %}
    ) as flag_bits,
    min(case when {{ row_filter }} then grant_rank end) as first_grant,
    max(case when {{ row_filter }} then grant_rank end) as last_grant,
    min(case when {{ row_filter }} then deny_rank end) as first_deny,
    max(case when {{ row_filter }} then deny_rank end) as last_deny
{%- endmacro %}

{#- One flag of permission_flags(), by name, read from a `flag_bits` column. -#}
{% macro permission_flag(flag_bits, flag_name) -%}
    {%- set names = soc2.permission_flags() | map(attribute=0) | list -%}
    {%- if flag_name not in names -%}
        {{ exceptions.raise_compiler_error("unknown permission flag: " ~ flag_name) }}
    {%- endif -%}
    ({{ flag_bits }} & {{ 2 ** names.index(flag_name) }}) != 0
{%- endmacro %}

{#- Every flag of permission_flags() unpacked from a `flag_bits` column, as
    named boolean columns. -#}
{% macro permission_flag_columns(flag_bits) -%}
    {%- for name, condition in soc2.permission_flags() %}
    {{ soc2.permission_flag(flag_bits, name) }} as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
