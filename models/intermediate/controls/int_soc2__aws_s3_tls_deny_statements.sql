-- Buckets whose policy denies every principal all S3 requests made without
-- TLS: a Deny statement with Principal "*" (or AWS "*"), an action pattern
-- covering all of S3 ("*" or "s3:*") and the condition Bool (or
-- BoolIfExists) aws:SecureTransport = false.
with statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind = 'bucket_policy'
        and statement_problem is null
        and effect = 'Deny'

),

elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}

),

conditions as (

    select * from {{ ref('int_soc2__aws_policy_statement_conditions') }}

),

everyone as (

    select distinct statement_id
    from elements
    where element_kind = 'principal' and element_value = '*'

),

all_s3_actions as (

    select distinct statement_id
    from elements
    where element_kind = 'action' and element_value in ('*', 's3:*')

),

insecure_transport as (

    select distinct statement_id
    from conditions
    where
        lower(condition_operator) in ('bool', 'boolifexists')
        and condition_key = 'aws:securetransport'
        and lower(condition_value) = 'false'

),

matching as (

    select
        statements.owner_arn as bucket_arn,
        statements.statement_id
    from statements
    inner join everyone on statements.statement_id = everyone.statement_id
    inner join all_s3_actions on statements.statement_id = all_s3_actions.statement_id
    inner join insecure_transport
        on statements.statement_id = insecure_transport.statement_id

),

final as (

    select
        bucket_arn,
        min(statement_id) as statement_ids
    from matching
    group by bucket_arn

)

select * from final
