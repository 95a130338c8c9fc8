{{ config(materialized='table') }}
-- Privilege escalation through other principals: for every principal that is
-- not admin-equivalent, the shortest chain of principal-to-principal edges
-- (assume a role, pass a role to compute, create a user's credentials,
-- rewrite a role's trust) that ends at a principal that is admin-equivalent,
-- can make itself admin (edit its own policies or the managed policies and
-- groups it gets permissions from), or whose policies the previous principal
-- can edit. A breadth-first closure up to soc2_max_escalation_depth steps,
-- written as repeated joins so that every engine runs it the same way.
{%- set max_depth = var('soc2_max_escalation_depth', 4) | int %}
with edges as (

    select * from {{ ref('int_soc2__aws_principal_edges') }}

),

admin_principals as (

    select principal_arn from {{ ref('int_soc2__aws_admin_principals') }}

),

targets as (

    select * from {{ ref('int_soc2__aws_principal_iam_targets') }}

),

principal_documents as (

    select * from {{ ref('int_soc2__aws_principal_policy_documents') }}

),

memberships as (

    select * from {{ ref('int_soc2__aws_iam_group_memberships') }}

),

self_escalators as (

    {#- edits its own policies #}
    select principal_arn
    from targets
    where edge_kind = 'modify_policy' and target_arn = principal_arn
    union
    {#- edits a managed policy it holds, or the policies of a group it is in #}
    select targets.principal_arn
    from targets
    inner join principal_documents
        on targets.principal_arn = principal_documents.principal_arn
        and targets.target_arn = principal_documents.via_arn
    where targets.edge_kind = 'modify_policy' and targets.target_type in ('policy', 'group')

),

admin_capable as (

    select principal_arn, 'admin-equivalent' as admin_kind from admin_principals
    union
    select principal_arn, 'can edit its own permissions' as admin_kind from self_escalators

),

step_1 as (

    select
        edges.source_arn,
        edges.target_arn as node_arn,
        edges.source_arn || ' -[' || edges.edge_kind || ']-> ' || edges.target_arn as path_text,
        case
            when admin_capable.principal_arn is not null then admin_capable.admin_kind
            when edges.can_modify_target then 'its policies can be edited by the previous step'
        end as reached_because
    from edges
    left join admin_capable
        on edges.target_arn = admin_capable.principal_arn

),

reached_1 as (

    select source_arn, node_arn, min(path_text) as path_text, min(reached_because) as reached_because
    from step_1
    group by source_arn, node_arn

),

{% for depth in range(2, max_depth + 1) %}
step_{{ depth }} as (

    select
        reached.source_arn,
        edges.target_arn as node_arn,
        reached.path_text || ' -[' || edges.edge_kind || ']-> ' || edges.target_arn as path_text,
        case
            when admin_capable.principal_arn is not null then admin_capable.admin_kind
            when edges.can_modify_target then 'its policies can be edited by the previous step'
        end as reached_because
    from reached_{{ depth - 1 }} as reached
    inner join edges
        on reached.node_arn = edges.source_arn
    left join admin_capable
        on edges.target_arn = admin_capable.principal_arn
    where
        reached.reached_because is null
        and edges.target_arn != reached.source_arn
        {%- for earlier in range(1, depth) %}
        and not exists (
            select 1 from reached_{{ earlier }} as earlier
            where earlier.source_arn = reached.source_arn and earlier.node_arn = edges.target_arn
        )
        {%- endfor %}

),

reached_{{ depth }} as (

    select source_arn, node_arn, min(path_text) as path_text, min(reached_because) as reached_because
    from step_{{ depth }}
    group by source_arn, node_arn

),
{% endfor %}

found as (

    {% for depth in range(1, max_depth + 1) %}
    select
        source_arn,
        node_arn as admin_arn,
        {{ depth }} as step_count,
        path_text,
        reached_because
    from reached_{{ depth }}
    where reached_because is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

shortest as (

    select
        found.*,
        row_number() over (
            partition by found.source_arn
            order by found.step_count, found.path_text
        ) as path_rank
    from found
    left join admin_capable
        on found.source_arn = admin_capable.principal_arn
    where admin_capable.principal_arn is null

),

final as (

    select source_arn as principal_arn, admin_arn, step_count, path_text, reached_because
    from shortest
    where path_rank = 1

)

select * from final
