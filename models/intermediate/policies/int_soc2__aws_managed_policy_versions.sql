-- One row per stored version of a managed policy, whichever of CloudQuery's
-- layouts carried it: aws_iam_policy_versions (all versions),
-- aws_iam_policy_default_versions (default only, newer plugins), the
-- policy_version_list column of aws_iam_policies (plugin SDK v1-v3) or, for
-- accounts read from aws_iam_account_authorization_details, its Policies list.
with policies as (

    select * from {{ ref('stg_soc2__aws_iam_policies') }}

),

policy_versions as (

    select * from {{ ref('stg_soc2__aws_iam_policy_versions') }}

),

default_versions as (

    select * from {{ ref('stg_soc2__aws_iam_policy_default_versions') }}

),

from_versions_table as (

    select
        account_id,
        policy_arn,
        version_id,
        is_default_version,
        policy_document_text,
        created_at,
        'aws_iam_policy_versions' as version_layout,
        source_relation,
        synced_at
    from policy_versions

),

from_default_versions_table as (

    select
        default_versions.account_id,
        default_versions.policy_arn,
        default_versions.version_id,
        default_versions.is_default_version,
        default_versions.policy_document_text,
        default_versions.created_at,
        'aws_iam_policy_default_versions' as version_layout,
        default_versions.source_relation,
        default_versions.synced_at
    from default_versions
    left join from_versions_table
        on
            default_versions.account_id = from_versions_table.account_id
            and default_versions.policy_arn = from_versions_table.policy_arn
            and default_versions.version_id = from_versions_table.version_id
    where from_versions_table.policy_arn is null

),

already_versioned as (

    select account_id, policy_arn from from_versions_table
    union
    select account_id, policy_arn from from_default_versions_table

),

policies_with_version_list as (

    select policies.*
    from policies
    left join already_versioned
        on
            policies.account_id = already_versioned.account_id
            and policies.policy_arn = already_versioned.policy_arn
    where
        already_versioned.policy_arn is null
        and policies.policy_version_list is not null

),

from_version_list as (

    select
        policies_with_version_list.account_id,
        policies_with_version_list.policy_arn,
        {{ soc2.json_text('version_item', ['VersionId']) }} as version_id,
        lower({{ soc2.json_text('version_item', ['IsDefaultVersion']) }}) = 'true'
            as is_default_version,
        {{ soc2.json_text('version_item', ['Document']) }} as policy_document_text,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        'aws_iam_policies.policy_version_list' as version_layout,
        policies_with_version_list.source_relation,
        policies_with_version_list.synced_at
    from policies_with_version_list
    {{ soc2.unnest_lateral(
        soc2.json_as_array('policies_with_version_list.policy_version_list'),
        'version_item', 'version_index') }}

),

authz_versions as (

    select * from {{ ref('int_soc2__aws_authz_entity_links') }}
    where link_type = 'policy_version'

),

input_forms as (

    select * from {{ ref('int_soc2__aws_iam_input_forms') }}

),

from_authorization_details as (

    select
        authz_versions.account_id,
        authz_versions.entity_arn as policy_arn,
        authz_versions.version_id,
        authz_versions.is_default_version,
        authz_versions.document_text as policy_document_text,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        'aws_iam_account_authorization_details' as version_layout,
        authz_versions.source_relation,
        authz_versions.synced_at
    from authz_versions
    inner join input_forms
        on authz_versions.account_id = input_forms.account_id
        and input_forms.input_form = 'authorization_details'

),

unioned as (

    select * from from_versions_table
    union all
    select * from from_default_versions_table
    union all
    select * from from_version_list
    union all
    select * from from_authorization_details

)

select * from unioned
