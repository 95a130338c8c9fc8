-- CodeBuild change-management controls, one row per project: no AWS access
-- keys in plaintext environment variables, no credentials in source URLs and
-- GitHub/Bitbucket sources authorised through OAuth or a connection (the
-- project's own source auth, or else the account's source credential for
-- that server type in the region), and no privileged (Docker-in-Docker) mode.
{% call soc2.control_family() %}
with projects as (

    select * from {{ ref('stg_soc2__aws_codebuild_projects') }}

),

source_credentials as (

    select * from {{ ref('stg_soc2__aws_codebuild_source_credentials') }}

),

environment_variables as (

    select
        projects.project_arn,
        upper({{ soc2.json_text('variable', ['Name']) }}) as variable_name,
        {#- CodeBuild's default variable type is PLAINTEXT #}
        upper(coalesce({{ soc2.json_text('variable', ['Type']) }}, 'PLAINTEXT')) as variable_type
    from projects
    {{ soc2.unnest_lateral(soc2.json_as_array('projects.environment_variables'), 'variable', 'variable_index', 'variables') }}

),

plaintext_aws_credentials as (

    select
        project_arn,
        {{ soc2.string_agg_distinct('variable_name', ', ') }} as variable_names
    from environment_variables
    where variable_type = 'PLAINTEXT'
        and variable_name in ('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY')
    group by project_arn

),

no_plaintext_aws_creds as (

    select
        'aws_codebuild_no_plaintext_aws_creds' as control_id,
        projects.account_id,
        projects.region,
        'aws_codebuild_project' as resource_type,
        projects.project_arn as resource_id,
        case when plaintext_aws_credentials.project_arn is null then 'pass' else 'fail' end as status,
        case
            when plaintext_aws_credentials.project_arn is null
                then 'no AWS access key is set in a plaintext environment variable'
            else 'project ' || projects.project_name || ' sets '
                || plaintext_aws_credentials.variable_names
                || ' as plaintext environment variables; remove them (use the project service role) or store them in Secrets Manager or Parameter Store, and rotate the key'
        end as reason,
        'plaintext_aws_variables=' || coalesce(plaintext_aws_credentials.variable_names, 'none') as evidence,
        projects.source_relation,
        projects.synced_at
    from projects
    left join plaintext_aws_credentials
        on projects.project_arn = plaintext_aws_credentials.project_arn

),

project_sources as (

    select
        project_arn,
        account_id,
        region,
        'source' as source_label,
        source_type,
        source_location,
        source_auth_type
    from projects
    union all
    select
        projects.project_arn,
        projects.account_id,
        projects.region,
        'secondary source ' || cast(secondary_index + 1 as {{ dbt.type_string() }}) as source_label,
        upper({{ soc2.json_text('secondary_source', ['Type']) }}) as source_type,
        {{ soc2.json_text('secondary_source', ['Location']) }} as source_location,
        upper({{ soc2.json_text('secondary_source', ['Auth', 'Type']) }}) as source_auth_type
    from projects
    {{ soc2.unnest_lateral(soc2.json_as_array('projects.secondary_sources'), 'secondary_source', 'secondary_index', 'secondaries') }}

),

source_findings as (

    select
        project_sources.project_arn,
        project_sources.source_label,
        project_sources.source_type,
        project_sources.source_location like '%://%@%' as has_url_credentials,
        project_sources.source_type in ('GITHUB', 'GITHUB_ENTERPRISE', 'BITBUCKET')
        and coalesce(project_sources.source_auth_type, '') not in ('OAUTH', 'CODECONNECTIONS')
        and coalesce(source_credentials.auth_type, '') not in ('OAUTH', 'CODECONNECTIONS')
            as lacks_oauth,
        source_credentials.auth_type as account_auth_type
    from project_sources
    left join source_credentials
        on project_sources.account_id = source_credentials.account_id
        and project_sources.region = source_credentials.region
        and project_sources.source_type = source_credentials.server_type

),

project_source_findings as (

    select
        project_arn,
        nullif({{ soc2.string_agg_distinct(
            'case when has_url_credentials then source_label end', ', ') }}, '') as url_credential_sources,
        nullif({{ soc2.string_agg_distinct(
            "case when lacks_oauth and not has_url_credentials then source_label || ' (' || source_type
                || ', ' || coalesce(account_auth_type, 'no source credential') || ')' end", ', ') }}, '')
            as non_oauth_sources
    from source_findings
    group by project_arn

),

source_url_no_credentials as (

    select
        'aws_codebuild_source_url_no_credentials' as control_id,
        projects.account_id,
        projects.region,
        'aws_codebuild_project' as resource_type,
        projects.project_arn as resource_id,
        case
            when project_source_findings.url_credential_sources is null
                and project_source_findings.non_oauth_sources is null then 'pass'
            else 'fail'
        end as status,
        case
            when project_source_findings.url_credential_sources is not null
                then 'project ' || projects.project_name || ' has credentials in the URL of its '
                || project_source_findings.url_credential_sources
                || '; remove them from the location, rotate them, and connect the repository through OAuth or a CodeConnections connection'
            when project_source_findings.non_oauth_sources is not null
                then 'project ' || projects.project_name || ' reaches its repository without OAuth or a connection: '
                || project_source_findings.non_oauth_sources
                || '; replace the stored token or password with OAuth or a CodeConnections connection'
            else 'no source URL holds credentials and every GitHub/Bitbucket source uses OAuth or a connection'
        end as reason,
        'url_credentials=' || coalesce(project_source_findings.url_credential_sources, 'none')
        || '; without_oauth=' || coalesce(project_source_findings.non_oauth_sources, 'none') as evidence,
        projects.source_relation,
        projects.synced_at
    from projects
    left join project_source_findings
        on projects.project_arn = project_source_findings.project_arn

),

no_privileged_mode as (

    select
        'aws_codebuild_no_privileged_mode' as control_id,
        account_id,
        region,
        'aws_codebuild_project' as resource_type,
        project_arn as resource_id,
        case when privileged_mode = 'true' then 'fail' else 'pass' end as status,
        case
            when privileged_mode = 'true'
                then 'project ' || project_name
                || ' runs its build container in privileged mode; turn privileged mode off unless the build must run Docker'
            else 'the build container does not run in privileged mode'
        end as reason,
        'PrivilegedMode=' || coalesce(privileged_mode, 'null') as evidence,
        source_relation,
        synced_at
    from projects

),

final as (

    select * from no_plaintext_aws_creds
    union all
    select * from source_url_no_credentials
    union all
    select * from no_privileged_mode

)

select * from final
{% endcall %}
