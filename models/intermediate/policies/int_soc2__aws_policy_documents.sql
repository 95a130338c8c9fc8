-- One row per policy document in force or stored: managed policy versions,
-- inline policies of users, groups and roles, role trust policies, service
-- control policies and the resource policies of S3 buckets, Lambda
-- functions, SNS topics, SQS queues, ECR repositories, KMS keys, Secrets
-- Manager secrets, OpenSearch domains, Glacier vaults and CloudWatch Logs
-- (soc2.resource_policy_kinds, DECISIONS 78). `document` is the parsed JSON (null when the text does not
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

{#- Resource policies: (kind, staging model, owner ARN, policy name, policy
    text). A JSON column goes through json_to_text; an empty text is no
    policy. #}
{%- set resource_policies = [
    ('lambda_policy', 'stg_soc2__aws_lambda_functions', 'arn',
        "'resource policy'", soc2.json_to_text('policy_document')),
    ('sns_topic_policy', 'stg_soc2__aws_sns_topics', 'topic_arn',
        "'topic policy'", soc2.json_to_text('policy')),
    ('sqs_queue_policy', 'stg_soc2__aws_sqs_queues', 'arn',
        "'queue policy'", soc2.json_to_text('policy')),
    ('ecr_repository_policy', 'stg_soc2__aws_ecr_repository_policies', 'repository_arn',
        "'repository policy'", 'coalesce(' ~ soc2.json_to_text('policy_json') ~ ', policy_text)'),
    ('kms_key_policy', 'stg_soc2__aws_kms_key_policies', 'key_arn',
        "coalesce(name, 'default')", soc2.json_to_text('policy')),
    ('secret_policy', 'stg_soc2__aws_secretsmanager_secrets', 'arn',
        "'resource policy'", soc2.json_to_text('policy')),
    ('opensearch_domain_policy', 'stg_soc2__aws_elasticsearch_domains', 'domain_arn',
        "'access policy'", 'access_policies'),
    ('glacier_vault_policy', 'stg_soc2__aws_glacier_vault_access_policies', 'vault_arn',
        "'vault access policy'", soc2.json_to_text('policy')),
    ('cloudwatch_logs_resource_policy', 'stg_soc2__aws_cloudwatchlogs_resource_policies',
        "'arn:aws:logs:' || region || ':' || account_id || ':resource-policy:' || policy_name",
        'policy_name', soc2.json_to_text('policy_document')),
    ('backup_vault_policy', 'stg_soc2__aws_backup_vaults', 'arn',
        "'vault access policy'", soc2.json_to_text('access_policy')),
] %}

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
        cast(null as {{ dbt.type_string() }}) as region,
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
        cast(null as {{ dbt.type_string() }}) as region,
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
        cast(null as {{ dbt.type_string() }}) as region,
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
        cast(null as {{ dbt.type_string() }}) as region,
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
        cast(null as {{ dbt.type_string() }}) as region,
        source_relation,
        synced_at
    from organization_policies

),

{% for kind, model, owner_arn, policy_name, policy_text in resource_policies %}
{{ kind }} as (

    select
        '{{ kind }}' as document_kind,
        account_id,
        {{ owner_arn }} as owner_arn,
        cast(null as {{ dbt.type_string() }}) as policy_arn,
        cast({{ policy_name }} as {{ dbt.type_string() }}) as policy_name,
        cast(null as {{ dbt.type_string() }}) as version_id,
        true as is_default_version,
        false as is_aws_managed,
        nullif({{ policy_text }}, '') as policy_document_text,
        region,
        source_relation,
        synced_at
    from {{ ref(model) }}
    where nullif({{ policy_text }}, '') is not null

),

{% endfor %}
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
    {% for kind, model, owner_arn, policy_name, policy_text in resource_policies %}
        union all
        select * from {{ kind }}
    {% endfor %}

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
        region,
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
