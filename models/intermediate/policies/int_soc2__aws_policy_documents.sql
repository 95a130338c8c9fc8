-- One row per policy document in force or stored: managed policy versions,
-- inline policies of users, groups and roles, role trust policies, S3 bucket
-- policies and service control policies. `document` is the parsed JSON (null when the text does not
-- parse; those documents are reported by soc2__policy_quarantine).
with managed_versions as (

    select * from {{ ref('int_soc2__aws_managed_policy_versions') }}

),

policies as (

    select * from {{ ref('int_soc2__aws_iam_policies') }}

),

inline_policies as (

    select * from {{ ref('int_soc2__aws_iam_inline_policies') }}

),

roles as (

    select * from {{ ref('int_soc2__aws_iam_roles') }}

),

bucket_policies as (

    select * from {{ ref('stg_soc2__aws_s3_bucket_policies') }}

),

organization_policies as (

    select * from {{ ref('stg_soc2__aws_organizations_policies') }}
    where organization_policy_type = 'SERVICE_CONTROL_POLICY'

),

managed as (

    select
        'managed_policy_version' as document_kind,
        managed_versions.account_id,
        managed_versions.policy_arn as owner_arn,
        managed_versions.policy_arn,
        policies.policy_name,
        managed_versions.version_id,
        managed_versions.is_default_version,
        coalesce(
            policies.is_aws_managed,
            managed_versions.policy_arn like 'arn:aws:iam::aws:policy/%'
        ) as is_aws_managed,
        managed_versions.policy_document_text,
        managed_versions.source_relation,
        managed_versions.synced_at
    from managed_versions
    left join policies
        on
            managed_versions.account_id = policies.account_id
            and managed_versions.policy_arn = policies.policy_arn

),

inline as (

    select
        inline_policies.holder_type || '_inline' as document_kind,
        account_id,
        holder_arn as owner_arn,
        cast(null as {{ dbt.type_string() }}) as policy_arn,
        policy_name,
        cast(null as {{ dbt.type_string() }}) as version_id,
        true as is_default_version,
        false as is_aws_managed,
        policy_document_text,
        source_relation,
        synced_at
    from inline_policies

),

role_trust as (

    select
        'role_trust' as document_kind,
        account_id,
        role_arn as owner_arn,
        cast(null as {{ dbt.type_string() }}) as policy_arn,
        cast('trust policy' as {{ dbt.type_string() }}) as policy_name,
        cast(null as {{ dbt.type_string() }}) as version_id,
        true as is_default_version,
        false as is_aws_managed,
        trust_policy_text as policy_document_text,
        source_relation,
        synced_at
    from roles
    where trust_policy_text is not null

),

bucket as (

    select
        'bucket_policy' as document_kind,
        account_id,
        bucket_arn as owner_arn,
        cast(null as {{ dbt.type_string() }}) as policy_arn,
        cast('bucket policy' as {{ dbt.type_string() }}) as policy_name,
        cast(null as {{ dbt.type_string() }}) as version_id,
        true as is_default_version,
        false as is_aws_managed,
        policy_document_text,
        source_relation,
        synced_at
    from bucket_policies

),

service_control as (

    select
        'service_control_policy' as document_kind,
        management_account_id as account_id,
        organization_policy_arn as owner_arn,
        organization_policy_arn as policy_arn,
        organization_policy_name as policy_name,
        cast(null as {{ dbt.type_string() }}) as version_id,
        true as is_default_version,
        coalesce(is_aws_managed, false) as is_aws_managed,
        policy_document_text,
        source_relation,
        synced_at
    from organization_policies

),

unioned as (

    select * from managed
    union all
    select * from inline
    union all
    select * from role_trust
    union all
    select * from bucket
    union all
    select * from service_control

),

identified as (

    select
        document_kind
        || '|' || coalesce(account_id, '')
        || '|' || coalesce(owner_arn, '')
        || '|' || coalesce(policy_name, '')
        || '|' || coalesce(version_id, '') as document_id,
        document_kind,
        account_id,
        owner_arn,
        policy_arn,
        policy_name,
        version_id,
        is_default_version,
        is_aws_managed,
        policy_document_text,
        {{ soc2.try_parse_json('policy_document_text') }} as document,
        source_relation,
        synced_at
    from unioned

),

final as (

    select
        *,
        case
            when policy_document_text is null
                then 'policy document is missing (null)'
            when document is null
                then 'policy document is not valid JSON'
            when {{ soc2.json_kind('document') }} != 'object'
                then 'policy document is valid JSON but not an object'
            when {{ soc2.json_value('document', ['Statement']) }} is null
                then 'policy document has no Statement element'
            when
                {{ soc2.json_kind(soc2.json_value('document', ['Statement'])) }}
                not in ('object', 'array')
                then 'Statement is neither an object nor an array'
        end as document_problem
    from identified

)

select * from final
