{{ config(materialized='table') }}
-- One row per usable statement with a non-empty Condition: what its condition
-- comes to at the evaluation instant T (var soc2_as_of, UTC, whole seconds).
-- Only time conditions are decided: the Date* operators on aws:CurrentTime,
-- aws:EpochTime and aws:TokenIssueTime and the Numeric* operators on
-- aws:EpochTime, with or without IfExists. A request is made at some time
-- t >= T (aws:CurrentTime and aws:EpochTime are t, always present); a token is
-- issued at an unknown time at or before t, and only temporary credentials
-- carry aws:TokenIssueTime. Per condition entry (operator and key): 'always'
-- when it holds at T, 'never' when it holds at no t >= T, else 'unknown';
-- several values: any may match, none for DateNotEquals and NumericNotEquals.
-- The statement is 'never' when any entry is, 'always' when every entry is
-- (and every operator and key has a value), else 'unknown'. Values are a date
-- (YYYY-MM-DD), a UTC time (YYYY-MM-DDThh:mmZ, YYYY-MM-DDThh:mm:ssZ) or epoch
-- seconds (5 to 12 digits; 1 to 12 and the only form for Numeric*); any
-- other value leaves its entry 'unknown'.
{%- set as_of = soc2.as_of_epoch_seconds() %}
{%- set comparisons = ['Equals', 'NotEquals', 'LessThan', 'LessThanEquals', 'GreaterThan',
    'GreaterThanEquals'] %}
with statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where statement_problem is null and has_condition

),

conditions as (

    select * from {{ ref('int_soc2__aws_policy_statement_conditions') }}

),

statement_shapes as (

    {#- what the Condition names beside its values (counted by the conditions
        model): every operator and key, with or without values, and the empty
        operators; a second import rather than a second read of `conditions`
        (DECISIONS 29) #}
    select distinct statement_id, statement_condition_keys, statement_empty_operators
    from {{ ref('int_soc2__aws_policy_statement_conditions') }}

),

typed_values as (

    select
        statement_id,
        condition_operator,
        condition_key,
        condition_key_as_written,
        condition_value,
        case
            when condition_operator like '%IfExists'
                then substring(condition_operator, 1, length(condition_operator) - 8)
            else condition_operator
        end as base_operator,
        condition_operator like '%IfExists' as is_if_exists,
        length(condition_value) as value_length,
        translate(condition_value, '0123456789', '') as value_separators
    from conditions

),

value_forms as (

    select
        *,
        {#- epoch seconds; for Date* at least five digits (four may be a year) #}
        value_separators = ''
        and value_length <= 12
        and value_length >= case when base_operator like 'Date%' then 5 else 1 end as is_epoch,
        substring(condition_value, 5, 1) = '-'
        and substring(condition_value, 8, 1) = '-'
        and (
            (value_length = 10 and value_separators = '--')
            or (
                substring(condition_value, 11, 1) = 'T'
                and substring(condition_value, 14, 1) = ':'
                and (
                    (value_length = 17 and value_separators = '--T:Z')
                    or (
                        value_length = 20 and value_separators = '--T::Z'
                        and substring(condition_value, 17, 1) = ':'
                    )
                )
            )
        ) as is_date_text
    from typed_values

),

date_fields as (

    {#- distinct (each value once per entry, which changes no verdict) keeps
        PostgreSQL from substituting these expressions into every later use:
        the expression that results is so large that JIT-compiling it took
        minutes #}
    select distinct
        *,
        case when is_date_text then cast(substring(condition_value, 1, 4) as {{ dbt.type_int() }}) end
            as value_year,
        case when is_date_text then cast(substring(condition_value, 6, 2) as {{ dbt.type_int() }}) end
            as value_month,
        case when is_date_text then cast(substring(condition_value, 9, 2) as {{ dbt.type_int() }}) end
            as value_day,
        case
            when is_date_text and value_length > 10
                then cast(substring(condition_value, 12, 2) as {{ dbt.type_int() }})
            else 0
        end as value_hour,
        case
            when is_date_text and value_length > 10
                then cast(substring(condition_value, 15, 2) as {{ dbt.type_int() }})
            else 0
        end as value_minute,
        case
            when is_date_text and value_length = 20
                then cast(substring(condition_value, 18, 2) as {{ dbt.type_int() }})
            else 0
        end as value_second
    from value_forms

),

valid_dates as (

    select
        *,
        is_date_text
        and value_year >= 1
        and value_month between 1 and 12
        and value_day >= 1
        and value_day <= case
            when value_month in (4, 6, 9, 11) then 30
            when value_month = 2 and (
                (value_year % 4 = 0 and value_year % 100 != 0) or value_year % 400 = 0
            ) then 29
            when value_month = 2 then 28
            else 31
        end
        and value_hour <= 23
        and value_minute <= 59
        and value_second <= 59 as is_date,
        {#- the year counted from March, so that leap days end it #}
        value_year - case when value_month <= 2 then 1 else 0 end as march_year,
        case when value_month > 2 then value_month - 3 else value_month + 9 end as march_month
    from date_fields

),

value_seconds as (

    {#- distinct: see date_fields #}
    select distinct
        statement_id,
        condition_operator,
        condition_key,
        condition_key_as_written,
        base_operator,
        is_if_exists,
        case
            when is_epoch then cast(condition_value as {{ dbt.type_bigint() }})
            {#- days since 1970-01-01 of a proleptic Gregorian date (the
                civil-from-days count: 365 a year, the leap days, the days
                of the months before it from March on) #}
            when is_date and base_operator like 'Date%' then cast(
                365 * march_year
                + floor(march_year / 4) - floor(march_year / 100) + floor(march_year / 400)
                + floor((153 * march_month + 2) / 5) + value_day - 1 - 719468
                as {{ dbt.type_bigint() }}) * 86400
            + value_hour * 3600 + value_minute * 60 + value_second
        end as seconds
    from valid_dates

),

value_outcomes as (

    {#- per value: does it hold at T, and can it hold at no t >= T #}
    select
        statement_id,
        condition_operator,
        condition_key,
        condition_key_as_written,
        base_operator,
        seconds,
        (
            base_operator in (
                {%- for comparison in comparisons %}
                'Date{{ comparison }}'{{ ',' if not loop.last }}
                {%- endfor %}
            )
            and condition_key in ('aws:currenttime', 'aws:epochtime', 'aws:tokenissuetime')
        ) or (
            base_operator in (
                {%- for comparison in comparisons %}
                'Numeric{{ comparison }}'{{ ',' if not loop.last }}
                {%- endfor %}
            )
            and condition_key = 'aws:epochtime'
        ) as is_time_condition,
        base_operator in ('DateNotEquals', 'NumericNotEquals') as is_negated,
        case
            {#- a token was issued at or before the request: only "issued
                before a time after T" holds for every request at T, and
                only with IfExists (long-term credentials carry no token) #}
            when condition_key = 'aws:tokenissuetime'
                then is_if_exists and (
                    (base_operator = 'DateLessThan' and {{ as_of }} < seconds)
                    or (base_operator = 'DateLessThanEquals' and {{ as_of }} <= seconds)
                )
            when base_operator like '%GreaterThanEquals' then {{ as_of }} >= seconds
            when base_operator like '%GreaterThan' then {{ as_of }} > seconds
            when base_operator like '%LessThanEquals' then {{ as_of }} <= seconds
            when base_operator like '%LessThan' then {{ as_of }} < seconds
            when base_operator like '%NotEquals' then {{ as_of }} != seconds
            when base_operator like '%Equals' then {{ as_of }} = seconds
        end as holds_at_as_of,
        case
            when condition_key = 'aws:tokenissuetime' then false
            when base_operator like '%LessThanEquals' then seconds < {{ as_of }}
            when base_operator like '%LessThan' then seconds <= {{ as_of }}
            when base_operator like '%NotEquals' then false
            when base_operator like '%Equals' then seconds < {{ as_of }}
            else false
        end as never_holds
    from value_seconds

),

entry_verdicts as (

    {#- one entry: an operator and a key, with its values #}
    select
        statement_id,
        condition_operator,
        condition_key_as_written,
        case
            when min(case when is_time_condition and seconds is not null then 1 else 0 end) = 0
                then 'unknown'
            when max(case when is_negated then 1 else 0 end) = 1
                then case
                    {#- none of the values may match: NotEquals holds at T
                        when T equals none of them, and can always hold later #}
                    when min(case when holds_at_as_of then 1 else 0 end) = 1 then 'always'
                    else 'unknown'
                end
            when max(case when holds_at_as_of then 1 else 0 end) = 1 then 'always'
            when min(case when never_holds then 1 else 0 end) = 1 then 'never'
            else 'unknown'
        end as entry_verdict
    from value_outcomes
    group by statement_id, condition_operator, condition_key_as_written

),

statement_facts as (

    {#- one pass, no join: a row per statement, per statement shape and per
        entry with values, summed per statement below; an operator or key
        without values keeps the statement from 'always' #}
    select statement_id, 0 as empty_operators, 0 as condition_keys, 0 as entries,
        0 as never_entries, 0 as always_entries
    from statements
    union all
    select
        statement_id,
        statement_empty_operators as empty_operators,
        statement_condition_keys as condition_keys,
        0 as entries, 0 as never_entries, 0 as always_entries
    from statement_shapes
    union all
    select
        statement_id, 0 as empty_operators, 0 as condition_keys, 1 as entries,
        case when entry_verdict = 'never' then 1 else 0 end as never_entries,
        case when entry_verdict = 'always' then 1 else 0 end as always_entries
    from entry_verdicts

),

final as (

    select
        statement_id,
        case
            when sum(never_entries) > 0 then 'never'
            when
                sum(entries) > 0
                and sum(always_entries) = sum(entries)
                and sum(entries) = sum(condition_keys)
                and sum(empty_operators) = 0
                then 'always'
            else 'unknown'
        end as condition_verdict,
        sum(condition_keys) as condition_entries,
        sum(never_entries) + sum(always_entries) as decided_entries
    from statement_facts
    group by statement_id

)

select * from final
