{{ config(materialized='table') }}
-- Privilege escalation through other principals: one row per principal that
-- is not admin-equivalent and method that acts as another principal
-- (int_soc2__aws_principal_edges) when that is an escalation: the method
-- reaches, within soc2_max_escalation_depth steps, a principal that can
-- escalate (int_soc2__aws_principal_reach, goal 'escalation') - or, when the
-- source can already escalate by itself, an admin-equivalent principal - or
-- it reaches a principal whose permissions the source can change
-- (int_soc2__aws_governed_principals). Assuming a role, passing one or taking
-- over a resource that runs as one, when every such principal holds less, is
-- not an escalation: the method stays an entitlement only. The first hop,
-- the principal the path ends at and the path are the evidence.
{%- set max_depth = var('soc2_max_escalation_depth', 4) | int %}
with edges as (

    select * from {{ ref('int_soc2__aws_principal_edges') }}
    where edge_kind != 'governs'

),

edge_targets as (

    select * from {{ ref('int_soc2__aws_principal_edge_targets') }}

),

reach as (

    select * from {{ ref('int_soc2__aws_principal_reach') }}
    where goal in ('escalation', 'admin') and step_count <= {{ max_depth - 1 }}

),

governed as (

    select * from {{ ref('int_soc2__aws_governed_principals') }}

),

escalates_by_itself as (

    select principal_arn
    from {{ ref('int_soc2__aws_principal_reach') }}
    where goal = 'escalation' and step_count = 0 and terminal_kind in ('admin', 'self')

),

source_goals as (

    select distinct
        edges.source_arn,
        case when escalates_by_itself.principal_arn is not null then 'admin' else 'escalation' end
            as goal
    from edges
    left join escalates_by_itself
        on edges.source_arn = escalates_by_itself.principal_arn

),

node_best as (

    {#- per node and goal, the two nearest principals (two, so that one is
        never the source itself) #}
    select node_id, goal, target_arn, step_count, terminal_arn, reached_because, path_text
    from (
        select
            edge_targets.node_id,
            reach.goal,
            reach.principal_arn as target_arn,
            reach.step_count,
            reach.terminal_arn,
            reach.reached_because,
            reach.path_text,
            row_number() over (
                partition by edge_targets.node_id, reach.goal
                order by reach.step_count, reach.principal_arn
            ) as target_rank
        from reach
        inner join edge_targets
            on reach.principal_arn = edge_targets.target_arn
    ) as ranked
    where target_rank <= 2

),

reach_candidates as (

    select
        edges.source_arn,
        edges.method_id,
        node_best.step_count + 1 as step_count,
        node_best.target_arn as reached_arn,
        0 as kind_rank,
        node_best.terminal_arn,
        node_best.reached_because,
        edges.source_arn || ' -[' || edges.method_id || ']-> ' || node_best.path_text
            as path_text
    from edges
    inner join source_goals
        on edges.source_arn = source_goals.source_arn
    inner join node_best
        on edges.node_id = node_best.node_id
        and source_goals.goal = node_best.goal
    where edges.modify_action is null and node_best.target_arn != edges.source_arn

),

governed_candidates as (

    {#- the source can make the principal admin and act as it; only when the
        source cannot escalate by itself #}
    select
        governed.principal_arn as source_arn,
        governed.method_id,
        1 as step_count,
        governed.governed_arn as reached_arn,
        1 as kind_rank,
        governed.governed_arn as terminal_arn,
        'its permissions can be changed by the source with ' || governed.modify_action
            as reached_because,
        governed.principal_arn || ' -[' || governed.method_id || ']-> ' || governed.governed_arn
            as path_text
    from governed
    left join escalates_by_itself
        on governed.principal_arn = escalates_by_itself.principal_arn
    where escalates_by_itself.principal_arn is null

),

candidates as (

    select * from reach_candidates
    union all
    select * from governed_candidates

),

final as (

    select
        source_arn as principal_arn,
        method_id,
        step_count,
        reached_arn,
        terminal_arn as admin_arn,
        reached_because,
        path_text
    from (
        select
            candidates.*,
            row_number() over (
                partition by source_arn, method_id
                order by step_count, reached_arn, kind_rank
            ) as candidate_rank
        from candidates
    ) as ranked
    where candidate_rank = 1

)

select * from final
