{{ config(materialized='table') }}
-- Who reaches what through other principals, computed backwards from the
-- goals: one row per principal and goal it is a member of or reaches within
-- soc2_max_escalation_depth steps over int_soc2__aws_principal_edges, with
-- the fewest steps, the path and the goal member the path ends at. Goals:
--   escalation  principals that can escalate: admin-equivalent ones, those
--               that can change their own permissions (their policies, a
--               customer-managed policy or group they get permissions from),
--               holders of the self-escalation methods that do not edit
--               policies (AddUserToGroup, CodeStar) or create a new
--               principal (CreateRole + ...), and those that can act as a
--               principal whose permissions they can change;
--   admin       admin-equivalent principals;
--   <action>    for each data action (soc2.data_exfiltration_actions), the
--               principals allowed it on every resource.
-- A breadth-first search from the goals over the edge nodes: each step joins
-- the principals first reached at the previous step to the nodes that hold
-- them and those nodes to their sources not reached yet, so the work is the
-- depth times the edges, never the sources times what they reach. Written
-- as repeated joins (no recursive CTE) so that every engine runs the same
-- SQL. Ties go to the smaller ARN, then method: the path is deterministic.
{%- set max_depth = var('soc2_max_escalation_depth', 4) | int %}
{%- set modify_actions = soc2.iam_modify_actions() %}
with edges as (

    select * from {{ ref('int_soc2__aws_principal_edges') }}

),

traversal_edges as (

    {#- single act methods; combinations only add "made admin" findings #}
    select source_arn, method_id, node_id
    from edges
    where edge_kind != 'governs' and modify_action is null

),

edge_targets as (

    select * from {{ ref('int_soc2__aws_principal_edge_targets') }}

),

admin_principals as (

    select principal_arn from {{ ref('int_soc2__aws_admin_principals') }}

),

matches as (

    select * from {{ ref('int_soc2__aws_privilege_escalation_matches') }}
    where not acts_as_other

),

method_actions as (

    select * from {{ ref('soc2__privilege_escalation_method_actions') }}

),

governed as (

    select * from {{ ref('int_soc2__aws_governed_principals') }}

),

permissions as (

    select * from {{ ref('int_soc2__aws_principal_permissions') }}
    where
        decision != 'denied'
        and resource_scope = 'all'
        and action_key in ({{ soc2.sql_list(soc2.data_exfiltration_actions()) }})

),

non_editing_methods as (

    select method_id
    from method_actions
    group by method_id
    having max(case
        when action_key in ({{ soc2.sql_list(modify_actions) }}) then 0 else 1
    end) = 1

),

self_governing as (

    select edges.source_arn as principal_arn, min(edges.method_id) as action_key
    from edges
    inner join edge_targets
        on edges.node_id = edge_targets.node_id
        and edges.source_arn = edge_targets.target_arn
    where edges.edge_kind = 'governs'
    group by edges.source_arn

),

escalation_members as (

    select principal_arn, 'admin' as terminal_kind, 'admin-equivalent' as reached_because
    from admin_principals
    union all
    select principal_arn, 'self' as terminal_kind,
        'can change its own permissions with ' || action_key as reached_because
    from self_governing
    union all
    select matches.principal_arn, 'self' as terminal_kind,
        'can escalate by itself with ' || matches.method_id as reached_because
    from matches
    inner join non_editing_methods
        on matches.method_id = non_editing_methods.method_id
    union all
    select principal_arn, 'governs' as terminal_kind,
        'can change the permissions of ' || governed_arn || ' and act as it' as reached_because
    from governed

),

goal_members as (

    select principal_arn, 'escalation' as goal, terminal_kind, reached_because
    from escalation_members
    union all
    select principal_arn, 'admin' as goal, 'admin' as terminal_kind,
        'admin-equivalent' as reached_because
    from admin_principals
    union all
    select permissions.principal_arn, permissions.action_key as goal, 'data' as terminal_kind,
        'can ' || permissions.action_key || ' on every resource' as reached_because
    from permissions
    left join admin_principals
        on permissions.principal_arn = admin_principals.principal_arn
    where admin_principals.principal_arn is null

),

step_0 as (

    {#- one row per member and goal; 'admin' before 'self' before 'governs' #}
    select
        principal_arn,
        goal,
        principal_arn as path_text,
        principal_arn as terminal_arn,
        terminal_kind,
        reached_because
    from (
        select
            goal_members.*,
            row_number() over (
                partition by principal_arn, goal
                order by
                    case terminal_kind when 'admin' then 0 when 'self' then 1 else 2 end,
                    reached_because
            ) as member_rank
        from goal_members
    ) as ranked
    where member_rank = 1

),

{% for step in range(1, max_depth + 1) %}
node_best_{{ step }} as (

    {#- per node and goal, the smallest principal reached at the last step #}
    select edge_targets.node_id, previous.goal, min(previous.principal_arn) as target_arn
    from step_{{ step - 1 }} as previous
    inner join edge_targets
        on previous.principal_arn = edge_targets.target_arn
    group by edge_targets.node_id, previous.goal

),

hop_{{ step }} as (

    {#- per source and goal, the smallest (principal, method) one step
        nearer; ARNs hold no spaces, so the pair sorts as its text #}
    select
        traversal_edges.source_arn,
        node_best.goal,
        min(node_best.target_arn || ' ' || traversal_edges.method_id) as next_hop
    from traversal_edges
    inner join node_best_{{ step }} as node_best
        on traversal_edges.node_id = node_best.node_id
    group by traversal_edges.source_arn, node_best.goal

),

step_{{ step }} as (

    {#- the principals first reached at this step, with their path #}
    select
        hop.source_arn as principal_arn,
        hop.goal,
        hop.source_arn || ' -[' || {{ dbt.split_part('hop.next_hop', "' '", 2) }} || ']-> '
        || previous.path_text as path_text,
        previous.terminal_arn,
        previous.terminal_kind,
        previous.reached_because
    from hop_{{ step }} as hop
    inner join step_{{ step - 1 }} as previous
        on {{ dbt.split_part('hop.next_hop', "' '", 1) }} = previous.principal_arn
        and hop.goal = previous.goal
    {%- for earlier in range(0, step) %}
    left join step_{{ earlier }} as earlier_{{ earlier }}
        on hop.source_arn = earlier_{{ earlier }}.principal_arn
        and hop.goal = earlier_{{ earlier }}.goal
    {%- endfor %}
    where
    {%- for earlier in range(0, step) %}
        earlier_{{ earlier }}.principal_arn is null{{ ' and' if not loop.last }}
    {%- endfor %}

),

{% endfor %}
final as (

    {% for step in range(0, max_depth + 1) %}
    select
        principal_arn,
        goal,
        {{ step }} as step_count,
        terminal_arn,
        terminal_kind,
        reached_because,
        path_text
    from step_{{ step }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
