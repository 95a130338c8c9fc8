{{ config(materialized='table') }}
-- One row per statement of an identity policy, boundary or SCP and IAM action
-- it covers, expanded on the action catalog: `*` and `?` anywhere, compared
-- lower-cased. `*` alone is kept as the single action_key '*' (all actions)
-- rather than 20,000 rows, and a pattern matching no catalog action is kept
-- as written (is_known_action false) so that new or unknown actions are not
-- lost. A NotAction statement covers every action except the ones it lists:
-- one row '*' with match_kind 'not_action', plus one 'excluded' row per
-- catalog action it lists (a NotAction that lists no known action covers
-- everything and is a plain '*'). A pattern made only of `*` (such as `*` or
-- `**`) matches every action: in Action it is the row '*'; in NotAction it
-- leaves nothing, and so does a NotAction whose patterns list every catalog
-- action: such a statement applies to no action and has no row.
with statements as (

    select * from {{ ref('int_soc2__aws_policy_statements') }}
    where
        statement_problem is null
        and document_kind in (
            'managed_policy_version', 'user_inline', 'group_inline', 'role_inline',
            'service_control_policy'
        )
        and is_default_version

),

elements as (

    select * from {{ ref('int_soc2__aws_policy_statement_elements') }}
    where element_kind in ('action', 'not_action')

),

catalog as (

    select * from {{ ref('soc2__iam_actions') }}

),

patterns as (

    {#- a pattern of stars alone matches every action: it becomes '*' #}
    select
        elements.statement_id,
        elements.element_kind,
        case
            when elements.element_value like '*%'
                and replace(elements.element_value, '*', '') = '' then '*'
            else elements.element_value
        end as action_pattern,
        elements.like_pattern,
        {{ dbt.split_part('elements.element_value', "':'", 1) }} as pattern_service,
        elements.element_value like '%*%' or elements.element_value like '%?%' as has_wildcard
    from elements
    inner join statements on elements.statement_id = statements.statement_id

),

exact_matches as (

    select
        patterns.statement_id,
        patterns.element_kind,
        patterns.action_pattern,
        patterns.action_pattern as action_key
    from patterns
    where not patterns.has_wildcard

),

wildcard_matches as (

    select
        patterns.statement_id,
        patterns.element_kind,
        patterns.action_pattern,
        catalog.action_key
    from patterns
    inner join catalog
        on catalog.service_prefix = patterns.pattern_service
    where
        patterns.has_wildcard
        and patterns.action_pattern != '*'
        and {{ soc2.like_match('catalog.action_key', 'patterns.like_pattern') }}

),

service_wildcard_patterns as (

    {#- a wildcard in the service prefix itself, e.g. "s3*:get*" (rare):
        such a pattern is matched against the whole catalog. Its distinct
        LIKE patterns are listed first, so that the catalog meets a handful
        of rows: PostgreSQL cannot estimate the filter and once rescanned
        every pattern of the inventory per catalog action (20,000 x 54,000
        rows at 10,000 principals) to find none (DECISIONS 112). #}
    select distinct patterns.like_pattern
    from patterns
    where
        patterns.has_wildcard
        and patterns.action_pattern != '*'
        and (patterns.pattern_service like '%*%' or patterns.pattern_service like '%?%')

),

service_wildcard_actions as (

    select
        service_wildcard_patterns.like_pattern,
        catalog.action_key
    from service_wildcard_patterns
    cross join catalog
    where {{ soc2.like_match('catalog.action_key', 'service_wildcard_patterns.like_pattern') }}

),

service_wildcard_matches as (

    select
        patterns.statement_id,
        patterns.element_kind,
        patterns.action_pattern,
        service_wildcard_actions.action_key
    from patterns
    inner join service_wildcard_actions
        on patterns.like_pattern = service_wildcard_actions.like_pattern
    where
        patterns.has_wildcard
        and patterns.action_pattern != '*'
        and (patterns.pattern_service like '%*%' or patterns.pattern_service like '%?%')

),

all_actions as (

    select
        statement_id,
        element_kind,
        action_pattern,
        '*' as action_key
    from patterns
    where action_pattern = '*'

),

matched as (

    select * from exact_matches
    union all
    select * from wildcard_matches
    union all
    select * from service_wildcard_matches
    union all
    select * from all_actions

),

unmatched_wildcards as (

    select
        patterns.statement_id,
        patterns.element_kind,
        patterns.action_pattern,
        patterns.action_pattern as action_key
    from patterns
    left join matched
        on patterns.statement_id = matched.statement_id
        and patterns.action_pattern = matched.action_pattern
    where patterns.has_wildcard and matched.statement_id is null

),

action_statements as (

    select statement_id, action_key, min(action_pattern) as matched_pattern
    from (
        select * from matched
        union all
        select * from unmatched_wildcards
    ) as all_matches
    where element_kind = 'action'
    group by statement_id, action_key

),

catalog_size as (

    select count(*) as action_count from catalog

),

not_action_matching_nothing as (

    {#- a NotAction listing '*' (or every catalog action) leaves no action:
        the statement applies to nothing #}
    select not_action_listed.statement_id
    from (
        select
            matched.statement_id,
            max(case when matched.action_key = '*' then 1 else 0 end) as lists_everything,
            count(distinct catalog.action_key) as listed_known_actions
        from matched
        left join catalog
            on matched.action_key = catalog.action_key
        where matched.element_kind = 'not_action'
        group by matched.statement_id
    ) as not_action_listed
    cross join catalog_size
    where
        not_action_listed.lists_everything = 1
        or not_action_listed.listed_known_actions = catalog_size.action_count

),

not_action_statements as (

    select distinct patterns.statement_id
    from patterns
    left join not_action_matching_nothing
        on patterns.statement_id = not_action_matching_nothing.statement_id
    where
        patterns.element_kind = 'not_action'
        and not_action_matching_nothing.statement_id is null

),

not_action_excluded as (

    {#- only actions that exist: an unknown name in NotAction excludes nothing #}
    select distinct matched.statement_id, matched.action_key
    from matched
    inner join catalog
        on matched.action_key = catalog.action_key
    inner join not_action_statements
        on matched.statement_id = not_action_statements.statement_id
    where matched.element_kind = 'not_action'

),

not_action_excluding_something as (

    {#- a NotAction that excludes no known action (a typo, an unknown action)
        grants everything: it becomes '*' rather than the whole catalog #}
    select distinct statement_id from not_action_excluded

),

not_action_everything as (

    select
        not_action_statements.statement_id,
        '*' as action_key,
        'NotAction (excludes no known action)' as matched_pattern
    from not_action_statements
    left join not_action_excluding_something
        on not_action_statements.statement_id = not_action_excluding_something.statement_id
    where not_action_excluding_something.statement_id is null

),

not_action_any as (

    select
        not_action_statements.statement_id,
        '*' as action_key,
        'NotAction' as matched_pattern
    from not_action_statements
    inner join not_action_excluding_something
        on not_action_statements.statement_id = not_action_excluding_something.statement_id

),

unioned as (

    select statement_id, action_key, matched_pattern, 'action' as match_kind
    from action_statements
    union all
    select statement_id, action_key, matched_pattern, 'not_action' as match_kind
    from not_action_any
    union all
    select statement_id, action_key, 'listed in NotAction' as matched_pattern,
        'excluded' as match_kind
    from not_action_excluded
    union all
    select statement_id, action_key, matched_pattern, 'action' as match_kind
    from not_action_everything

),

final as (

    select
        unioned.statement_id,
        unioned.action_key,
        unioned.match_kind,
        unioned.matched_pattern,
        unioned.action_key = '*' or catalog.action_key is not null as is_known_action,
        case when unioned.action_key = '*' then 'All' else catalog.access_level end
            as access_level,
        coalesce(catalog.is_wildcard_only, false) as is_wildcard_only,
        coalesce(catalog.service_prefix, {{ dbt.split_part('unioned.action_key', "':'", 1) }})
            as service_prefix
    from unioned
    left join catalog
        on unioned.action_key = catalog.action_key

)

select * from final
