-- One row per condition value of a statement: operator (e.g. StringEquals,
-- Bool, ForAnyValue:StringLike), key (lower-cased: condition keys are
-- case-insensitive; also as written, which tells two keys of one operator
-- apart) and value (a string or an array in the policy). Each row also
-- carries what its statement's Condition holds beside the values: how many
-- operator and key pairs it names (with or without values) and how many of
-- its operators are empty ({}), so that the time verdicts
-- (int_soc2__aws_policy_statement_condition_verdicts) need not parse the
-- Condition again.
with statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where statement_problem is null and has_condition

),

operators as (

    select
        statements.statement_id,
        {{ soc2.json_value('statements.statement_json', ['Condition']) }} as condition_json,
        {{ soc2.json_element_text('operator_name') }} as condition_operator
    from statements
    {{ soc2.unnest_lateral(
        soc2.json_object_keys_array(soc2.json_value('statements.statement_json', ['Condition'])),
        'operator_name', 'operator_index') }}

),

operator_blocks as (

    select
        statement_id,
        condition_operator,
        {{ soc2.json_value_at_key('condition_json', 'condition_operator') }} as operator_block
    from operators

),

condition_keys as (

    select
        operator_blocks.statement_id,
        operator_blocks.condition_operator,
        operator_blocks.operator_block,
        {{ soc2.json_element_text('key_name') }} as condition_key
    from operator_blocks
    {{ soc2.unnest_lateral(
        soc2.json_object_keys_array('operator_blocks.operator_block'),
        'key_name', 'key_index') }}

),

condition_values as (

    select
        condition_keys.statement_id,
        condition_keys.condition_operator,
        condition_keys.condition_key,
        {{ soc2.json_element_text('condition_value') }} as condition_value
    from condition_keys
    {{ soc2.unnest_lateral(
        soc2.json_as_array(soc2.json_value_at_key('condition_keys.operator_block', 'condition_keys.condition_key')),
        'condition_value', 'value_index') }}

),

statement_keys as (

    select statement_id, count(*) as statement_condition_keys
    from condition_keys
    group by statement_id

),

statement_operators as (

    select
        statement_id,
        sum(case
            when replace({{ soc2.json_to_text('operator_block') }}, ' ', '') = '{}' then 1
            else 0
        end) as statement_empty_operators
    from operator_blocks
    group by statement_id

),

final as (

    select
        condition_values.statement_id,
        condition_values.condition_operator,
        lower(condition_values.condition_key) as condition_key,
        condition_values.condition_key as condition_key_as_written,
        condition_values.condition_value,
        statement_keys.statement_condition_keys,
        statement_operators.statement_empty_operators
    from condition_values
    inner join statement_keys
        on condition_values.statement_id = statement_keys.statement_id
    inner join statement_operators
        on condition_values.statement_id = statement_operators.statement_id

)

select * from final
