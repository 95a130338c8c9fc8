{{ config(materialized='table') }}
-- Lateral access: one row per principal that is neither admin-equivalent nor
-- able to escalate (no privilege-escalation finding of any kind), and that
-- reaches through other principals, within soc2_max_escalation_depth steps,
-- a principal allowed a data action on every resource (read objects,
-- secrets, parameters, decrypt, ...; soc2.data_exfiltration_actions) that it
-- is not allowed on every resource itself. The nearest such principal (then
-- the first action by name) and the path are the evidence; `data_actions`
-- lists every such action it reaches.
with reach as (

    select * from {{ ref('int_soc2__aws_principal_reach') }}
    where goal not in ('escalation', 'admin') and step_count >= 1

),

escalating as (

    select principal_arn from {{ ref('int_soc2__aws_admin_principals') }}
    union
    select principal_arn from {{ ref('int_soc2__aws_escalation_paths') }}
    union
    select principal_arn from {{ ref('int_soc2__aws_privilege_escalation_matches') }}
    where not acts_as_other
    union
    select principal_arn from {{ ref('int_soc2__aws_principal_reach') }}
    where goal = 'escalation' and step_count = 0

),

candidates as (

    select reach.*
    from reach
    left join escalating
        on reach.principal_arn = escalating.principal_arn
    where escalating.principal_arn is null

),

action_lists as (

    select
        principal_arn,
        count(*) as data_action_count,
        {{ soc2.string_agg_distinct('goal', ', ') }} as data_actions
    from candidates
    group by principal_arn

),

nearest as (

    select principal_arn, goal, step_count, terminal_arn, path_text
    from (
        select
            candidates.*,
            row_number() over (
                partition by principal_arn order by step_count, goal
            ) as candidate_rank
        from candidates
    ) as ranked
    where candidate_rank = 1

),

final as (

    select
        nearest.principal_arn,
        nearest.goal as data_action,
        nearest.step_count,
        nearest.terminal_arn as reached_arn,
        nearest.path_text,
        action_lists.data_action_count,
        action_lists.data_actions
    from nearest
    inner join action_lists
        on nearest.principal_arn = action_lists.principal_arn

)

select * from final
