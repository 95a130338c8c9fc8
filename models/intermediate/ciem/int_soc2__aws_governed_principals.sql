{{ config(materialized='table') }}
-- One row per principal that is not admin-equivalent and method of
-- int_soc2__aws_principal_edges through which it can act as a principal whose
-- permissions it can also change: it makes that principal admin-equivalent
-- (attach or write an administrative policy, rewrite a policy it holds, or
-- write its group's policies) and then acts as it. For a combination method
-- (e.g. iam:AttachRolePolicy + sts:AssumeRole) the change must come from the
-- method's own action; for a single act method from any. `governed_arn` is
-- the first such principal by ARN (never the source itself). Each pair of
-- nodes is intersected once, whoever holds it.
with edges as (

    select * from {{ ref('int_soc2__aws_principal_edges') }}

),

edge_targets as (

    select * from {{ ref('int_soc2__aws_principal_edge_targets') }}

),

act_edges as (

    select source_arn, method_id, modify_action, node_id
    from edges
    where edge_kind != 'governs'

),

governs_edges as (

    select source_arn, modify_action, node_id
    from edges
    where edge_kind = 'governs'

),

edge_pairs as (

    select
        act_edges.source_arn,
        act_edges.method_id,
        governs_edges.modify_action,
        act_edges.node_id as act_node_id,
        governs_edges.node_id as governs_node_id
    from act_edges
    inner join governs_edges
        on act_edges.source_arn = governs_edges.source_arn
        and (
            act_edges.modify_action is null
            or act_edges.modify_action = governs_edges.modify_action
        )

),

node_pairs as (

    select distinct act_node_id, governs_node_id
    from edge_pairs

),

pair_members as (

    {#- the first two principals in both nodes (two, so that one is never the
        source itself) #}
    select act_node_id, governs_node_id, target_arn, member_rank
    from (
        select
            node_pairs.act_node_id,
            node_pairs.governs_node_id,
            act_targets.target_arn,
            row_number() over (
                partition by node_pairs.act_node_id, node_pairs.governs_node_id
                order by act_targets.target_arn
            ) as member_rank
        from node_pairs
        inner join edge_targets as act_targets
            on node_pairs.act_node_id = act_targets.node_id
        inner join edge_targets as governs_targets
            on node_pairs.governs_node_id = governs_targets.node_id
            and act_targets.target_arn = governs_targets.target_arn
    ) as ranked
    where member_rank <= 2

),

candidates as (

    select
        edge_pairs.source_arn,
        edge_pairs.method_id,
        pair_members.target_arn as governed_arn,
        edge_pairs.modify_action
    from edge_pairs
    inner join pair_members
        on edge_pairs.act_node_id = pair_members.act_node_id
        and edge_pairs.governs_node_id = pair_members.governs_node_id
    where pair_members.target_arn != edge_pairs.source_arn

),

ranked as (

    select
        source_arn,
        method_id,
        governed_arn,
        modify_action,
        row_number() over (
            partition by source_arn, method_id order by governed_arn, modify_action
        ) as candidate_rank
    from candidates

),

final as (

    select
        source_arn as principal_arn,
        method_id,
        governed_arn,
        modify_action
    from ranked
    where candidate_rank = 1

)

select * from final
