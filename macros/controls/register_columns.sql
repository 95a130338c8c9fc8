{#- A column of a user's register seed that later versions of the package
    added, so that registers written before it existed keep working: the
    column when the loaded seed has it, else a typed null. Read while
    compiling, once the register seed has been loaded.
      region       (soc2__risk_exceptions) null means every region;
      approved_on  (soc2__risk_exceptions) null means approved before any
                   evaluation date, so in force from the start. -#}
{% macro register_optional_column(seed_name, column_name, relation_name, sql_type=none) -%}
    {%- set sql_type = sql_type or dbt.type_string() -%}
    {%- set found = namespace(present=false) -%}
    {%- if execute -%}
        {%- set relation = load_relation(ref(seed_name)) -%}
        {%- if relation is not none -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- if column.name | lower == column_name -%}
                    {%- set found.present = true -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {%- if found.present -%}
        cast({{ relation_name }}.{{ column_name }} as {{ sql_type }})
    {%- else -%}
        cast(null as {{ sql_type }})
    {%- endif -%}
{%- endmacro %}


{#- The risk-exception register with every column the package reads, the
    optional ones filled: one select over soc2__risk_exceptions, used by the
    control results (exceptions in force at soc2_as_of) and by the exception
    history. -#}
{% macro risk_exception_register() -%}
    select
        exceptions.control_id,
        exceptions.account_id,
        {{ soc2.register_optional_column('soc2__risk_exceptions', 'region', 'exceptions') }} as region,
        exceptions.resource_pattern,
        exceptions.justification,
        exceptions.approved_by,
        {{ soc2.register_optional_column('soc2__risk_exceptions', 'approved_on', 'exceptions', 'date') }}
            as approved_on,
        cast(exceptions.expires_on as date) as expires_on
    from {{ ref('soc2__risk_exceptions') }} as exceptions
{%- endmacro %}


{#- Whether an exception is in force on a date (SQL date expression):
    approved on or before it (or no approval date recorded) and not expired
    (expires_on is the last day it applies). -#}
{% macro exception_in_force(exception, on_date) -%}
    (
        ({{ exception }}.approved_on is null or {{ exception }}.approved_on <= {{ on_date }})
        and {{ exception }}.expires_on >= {{ on_date }}
    )
{%- endmacro %}


{#- The attestation register as it stood on the evaluation date: every
    attestation made on or before it, ranked per control latest first (by
    attested_on, then expires_on); rank 1 is the one a manual control reads.
    Used by int_soc2__control_results_manual and soc2__attestation_history. -#}
{% macro attestations_as_of() -%}
    select
        attestations.*,
        row_number() over (
            partition by attestations.control_id
            order by attestations.attested_on desc, attestations.expires_on desc
        ) as attestation_rank
    from {{ ref('soc2__manual_attestations') }} as attestations
    where cast(attestations.attested_on as date) <= {{ soc2.evaluation_date() }}
{%- endmacro %}
