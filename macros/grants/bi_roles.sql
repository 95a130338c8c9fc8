{#- Read-only BI roles (var soc2_bi_roles, DECISIONS 116). Run by the
    package's on-run-end hook after every dbt invocation: each role may use the
    marts' schema and select its tables, those there now and those dbt creates
    later (a rebuilt table is a new table). Staging, intermediate, seeds and the
    raw tables live in other schemas, on which nothing is granted. -#}
{% macro grant_bi_schema_usage() -%}
    {%- set roles = soc2.bi_roles() -%}
    {%- if not execute or roles | length == 0 -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- for schema in soc2.marts_schemas() -%}
        {%- for role in roles -%}
            {%- do statements.append(adapter.dispatch('grant_bi_schema_usage', 'soc2')(schema, role)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(statements | join(';\n') if statements else 'select 1') }}
{%- endmacro %}

{#- The var as a list of role names; a single name is accepted too. -#}
{% macro bi_roles() -%}
    {%- set roles = var('soc2_bi_roles', []) or [] -%}
    {%- if roles is string -%}
        {%- set roles = [roles] -%}
    {%- endif -%}
    {%- for role in roles -%}
        {%- if role is not string or role | trim == '' -%}
            {{ exceptions.raise_compiler_error("soc2_bi_roles must be a list of role names; got " ~ roles) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(roles) }}
{%- endmacro %}

{#- The schemas (relations without identifier) that hold the package's marts
    and exist now. -#}
{% macro marts_schemas() -%}
    {%- set seen = [] -%}
    {%- set schemas = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == 'soc2'
            and node.fqn | length > 1 and node.fqn[1] == 'marts' -%}
            {%- set key = (node.database ~ '.' ~ node.schema) | lower -%}
            {%- if key not in seen -%}
                {%- do seen.append(key) -%}
                {%- if adapter.check_schema_exists(node.database, node.schema) -%}
                    {%- do schemas.append(api.Relation.create(database=node.database, schema=node.schema).without_identifier()) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(schemas) }}
{%- endmacro %}

{% macro default__grant_bi_schema_usage(schema, role) -%}
    {{ exceptions.raise_compiler_error(
        "soc2_bi_roles is set, but the soc2 package grants access only on PostgreSQL, not on '"
        ~ adapter.type() ~ "'. Leave soc2_bi_roles empty and grant read access to the schema "
        ~ schema ~ " with your warehouse's own statements.") }}
{%- endmacro %}

{#- PostgreSQL names a schema without its database (a connection reads one
    database). -#}
{% macro postgres__grant_bi_schema_usage(schema, role) -%}
    {%- set name = adapter.quote(schema.schema) -%}
    grant usage on schema {{ name }} to {{ adapter.quote(role) }};
    grant select on all tables in schema {{ name }} to {{ adapter.quote(role) }};
    alter default privileges in schema {{ name }} grant select on tables to {{ adapter.quote(role) }}
{%- endmacro %}
