-- Exposure controls: resources reachable by anyone, or by accounts outside
-- the inventory, through a resource policy (decided by the one grantee rule,
-- int_soc2__aws_policy_grantees, DECISIONS 78) or a network setting: SQS,
-- SNS, ECR, Secrets Manager, Glacier and CloudWatch Logs resource policies,
-- KMS key policies, Lambda functions (policy or function URL), OpenSearch
-- domains (VPC and access policy), RDS instances and snapshots, EBS
-- snapshots, Redshift clusters, DMS replication instances, SageMaker notebook
-- instances and EKS endpoints. A control whose required_tables group lists
-- alternatives adds one not_evaluated row (no account) for an alternative
-- that is unavailable while another is available
-- (soc2.unavailable_alternative_rows).
{% call soc2.control_family() %}
{%- set shared_policy_kinds = [
    ('sqs_queue_policy', 'aws_sqs_queue'),
    ('sns_topic_policy', 'aws_sns_topic'),
    ('ecr_repository_policy', 'aws_ecr_repository'),
    ('secret_policy', 'aws_secretsmanager_secret'),
    ('glacier_vault_policy', 'aws_glacier_vault'),
    ('cloudwatch_logs_resource_policy', 'aws_cloudwatch_logs_resource_policy'),
] %}
with documents as (

    select * from {{ ref('int_soc2__aws_policy_documents') }}
    where document_kind in ({{ soc2.sql_list(soc2.resource_policy_kinds(include_role_trust=false)) }})

),

statement_problems as (

    select document_id, count(*) as problem_statements
    from {{ ref('int_soc2__aws_policy_statements') }}
    where
        document_kind in ({{ soc2.sql_list(soc2.resource_policy_kinds(include_role_trust=false)) }})
        and statement_problem is not null
    group by document_id

),

inventory_accounts as (

    select account_id from {{ ref('int_soc2__aws_accounts') }}

),

{#- A foreign grantee (outside the owner's organisation, not trusted) is
    outside when its account is not in the inventory either. #}
grantees as (

    select
        policy_grantees.*,
        policy_grantees.is_foreign_account and inventory_accounts.account_id is null
            as is_outside_account
    from {{ ref('int_soc2__aws_policy_grantees') }} as policy_grantees
    left join inventory_accounts
        on policy_grantees.principal_account_id = inventory_accounts.account_id
    where policy_grantees.document_kind != 'role_trust'

),

lambda_functions as (

    select * from {{ ref('stg_soc2__aws_lambda_functions') }}

),

lambda_url_configs as (

    select * from {{ ref('stg_soc2__aws_lambda_function_url_configs') }}

),

opensearch_domains as (

    select * from {{ ref('stg_soc2__aws_elasticsearch_domains') }}

),

rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_db_snapshots as (

    select * from {{ ref('stg_soc2__aws_rds_db_snapshots') }}

),

rds_cluster_snapshots as (

    select * from {{ ref('stg_soc2__aws_rds_cluster_snapshots') }}

),

ebs_snapshots as (

    select * from {{ ref('stg_soc2__aws_ec2_ebs_snapshots') }}

),

ebs_snapshot_attributes as (

    select * from {{ ref('stg_soc2__aws_ec2_ebs_snapshot_attributes') }}

),

redshift_clusters as (

    select * from {{ ref('stg_soc2__aws_redshift_clusters') }}

),

dms_instances as (

    select * from {{ ref('stg_soc2__aws_dms_replication_instances') }}

),

notebook_instances as (

    select * from {{ ref('stg_soc2__aws_sagemaker_notebook_instances') }}

),

eks_clusters as (

    select * from {{ ref('stg_soc2__aws_eks_clusters') }}

),

emr_clusters as (

    select * from {{ ref('stg_soc2__aws_emr_clusters') }}

),

emr_instance_groups as (

    select * from {{ ref('stg_soc2__aws_emr_cluster_instance_groups') }}

),

emr_instances as (

    select * from {{ ref('stg_soc2__aws_emr_cluster_instances') }}

),

emr_block_public_access_configs as (

    select * from {{ ref('stg_soc2__aws_emr_block_public_access_configs') }}

),

account_regions as (

    select * from {{ ref('int_soc2__aws_account_regions') }}

),

{#- Per policy document: the statements open to anyone (a public principal
    with no restricting condition) and those granting an account outside the
    inventory, its organisation and soc2_trusted_account_ids. #}
document_grants as (

    select
        document_id,
        nullif({{ soc2.string_agg_distinct(
            "case when access_kind = 'public' and not is_restricted then statement_label end", ', ') }}, '')
            as public_statements,
        nullif({{ soc2.string_agg_distinct(
            "case when is_outside_account then principal end", ', ') }}, '')
            as outside_principals
    from grantees
    group by document_id

),

document_verdicts as (

    select
        documents.document_id,
        documents.document_kind,
        documents.account_id,
        documents.region,
        documents.owner_arn as resource_arn,
        documents.document_problem,
        coalesce(statement_problems.problem_statements, 0) as problem_statements,
        document_grants.public_statements,
        document_grants.outside_principals,
        documents.source_relation,
        documents.synced_at
    from documents
    left join statement_problems
        on documents.document_id = statement_problems.document_id
    left join document_grants
        on documents.document_id = document_grants.document_id

),

resource_policy_verdicts as (

    select
        document_verdicts.*,
        case
            when public_statements is not null or outside_principals is not null then 'fail'
            when document_problem is not null or problem_statements > 0 then 'not_evaluated'
            else 'pass'
        end as status,
        case
            when public_statements is not null
                then 'the policy lets anyone use the resource (statements ' || public_statements
                || ': Principal "*" with no condition restricting who); name the accounts or principals, or add an aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, aws:SourceVpce or aws:SourceIp condition'
            when outside_principals is not null
                then 'the policy grants ' || outside_principals
                || ', an account outside the inventory, its organisation and soc2_trusted_account_ids; remove the grant or add the account to soc2_trusted_account_ids'
            when document_problem is not null
                then 'the policy cannot be evaluated (' || document_problem || '); see soc2__policy_quarantine and fix the document'
            when problem_statements > 0
                then 'the policy has statements that cannot be evaluated; see soc2__policy_quarantine'
            else 'the policy admits no one outside the account, its organisation or trusted accounts without a restricting condition'
        end as reason,
        'public_statements=' || coalesce(public_statements, 'none')
        || '; outside_principals=' || coalesce(outside_principals, 'none')
        || '; quarantined=' || case
            when document_problem is not null or problem_statements > 0 then 'true' else 'false'
        end as evidence
    from document_verdicts

),

resource_policies_not_public as (

    select
        'aws_resource_policies_not_public' as control_id,
        account_id,
        region,
        case document_kind
            {%- for kind, resource_type in shared_policy_kinds %}
            when '{{ kind }}' then '{{ resource_type }}'
            {%- endfor %}
        end as resource_type,
        resource_arn as resource_id,
        status,
        reason,
        evidence,
        source_relation,
        synced_at
    from resource_policy_verdicts
    where document_kind in ({{ soc2.sql_list(shared_policy_kinds | map('first') | list) }})

),

resource_policies_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_resource_policies_not_public', [
        'aws_sqs_queues', 'aws_sns_topics', 'aws_ecr_repository_policies', 'aws_secretsmanager_secrets',
        'aws_glacier_vault_access_policies', 'aws_cloudwatchlogs_resource_policies']) }}

),

kms_key_policy_not_public as (

    select
        'aws_kms_key_policy_not_public' as control_id,
        account_id,
        region,
        'aws_kms_key' as resource_type,
        resource_arn as resource_id,
        status,
        reason,
        evidence,
        source_relation,
        synced_at
    from resource_policy_verdicts
    where document_kind = 'kms_key_policy'

),

lambda_policies as (

    select * from resource_policy_verdicts
    where document_kind = 'lambda_policy'

),

lambda_public_urls as (

    select function_arn, max(function_url) as function_url
    from lambda_url_configs
    where upper(auth_type) = 'NONE'
    group by function_arn

),

lambda_not_public as (

    select
        'aws_lambda_not_public' as control_id,
        lambda_functions.account_id,
        lambda_functions.region,
        'aws_lambda_function' as resource_type,
        lambda_functions.arn as resource_id,
        case
            when lambda_policies.public_statements is not null or lambda_public_urls.function_arn is not null
                then 'fail'
            when lambda_policies.document_problem is not null or lambda_policies.problem_statements > 0
                then 'not_evaluated'
            else 'pass'
        end as status,
        case
            when lambda_policies.public_statements is not null
                then 'the function policy lets anyone invoke it (statements ' || lambda_policies.public_statements
                || '); name the calling account or service and add an aws:SourceArn or aws:SourceAccount condition'
            when lambda_public_urls.function_arn is not null
                then 'the function URL ' || lambda_public_urls.function_url
                || ' has AuthType NONE: anyone can invoke it; set AuthType AWS_IAM or remove the URL'
            when lambda_policies.document_problem is not null or lambda_policies.problem_statements > 0
                then 'the function policy cannot be evaluated; see soc2__policy_quarantine'
            else 'neither the function policy nor a function URL lets anyone invoke the function'
        end as reason,
        'public_statements=' || coalesce(lambda_policies.public_statements, 'none')
        || '; public_url=' || case when lambda_public_urls.function_arn is null then 'false' else 'true' end
            as evidence,
        lambda_functions.source_relation,
        lambda_functions.synced_at
    from lambda_functions
    left join lambda_policies
        on lambda_functions.arn = lambda_policies.resource_arn
    left join lambda_public_urls
        on lambda_functions.arn = lambda_public_urls.function_arn

),

opensearch_policies as (

    select * from resource_policy_verdicts
    where document_kind = 'opensearch_domain_policy'

),

opensearch_in_vpc_not_public as (

    select
        'aws_opensearch_in_vpc_not_public' as control_id,
        opensearch_domains.account_id,
        opensearch_domains.region,
        'aws_opensearch_domain' as resource_type,
        opensearch_domains.domain_arn as resource_id,
        case
            when nullif({{ soc2.json_text('opensearch_domains.vpc_options', ['VPCId']) }}, '') is null
                then 'fail'
            when opensearch_policies.public_statements is not null then 'fail'
            when opensearch_policies.document_problem is not null or opensearch_policies.problem_statements > 0
                then 'not_evaluated'
            else 'pass'
        end as status,
        case
            when nullif({{ soc2.json_text('opensearch_domains.vpc_options', ['VPCId']) }}, '') is null
                then 'domain ' || opensearch_domains.domain_name
                || ' has a public endpoint (no VPC options); recreate it inside a VPC'
            when opensearch_policies.public_statements is not null
                then 'the access policy lets anyone use domain ' || opensearch_domains.domain_name
                || ' (statements ' || opensearch_policies.public_statements
                || '); name the principals or add a restricting condition'
            when opensearch_policies.document_problem is not null or opensearch_policies.problem_statements > 0
                then 'the access policy cannot be evaluated; see soc2__policy_quarantine'
            else 'the domain is in a VPC and its access policy admits no one without a restricting condition'
        end as reason,
        'vpc_id=' || coalesce({{ soc2.json_text('opensearch_domains.vpc_options', ['VPCId']) }}, 'none')
        || '; public_statements=' || coalesce(opensearch_policies.public_statements, 'none') as evidence,
        opensearch_domains.source_relation,
        opensearch_domains.synced_at
    from opensearch_domains
    left join opensearch_policies
        on opensearch_domains.domain_arn = opensearch_policies.resource_arn

),

{%- set flag_controls = [
    ('rds_instance_not_public', 'rds_instances', 'aws_rds_instance', 'db_instance_arn', 'db_instance_identifier',
        'DB instance', 'turn off Publicly accessible (modify the instance) so it has no public address'),
    ('redshift_not_public', 'redshift_clusters', 'aws_redshift_cluster', 'cluster_arn', 'cluster_identifier',
        'cluster', 'turn off Publicly accessible (modify the cluster)'),
    ('dms_replication_not_public', 'dms_instances', 'aws_dms_replication_instance', 'arn',
        'replication_instance_identifier', 'replication instance',
        'recreate the replication instance with Publicly accessible off'),
] %}
{% for check_id, relation, resource_type, arn_column, name_column, label, fix in flag_controls %}
{{ check_id }} as (

    select
        'aws_{{ check_id }}' as control_id,
        account_id,
        region,
        '{{ resource_type }}' as resource_type,
        {{ arn_column }} as resource_id,
        case
            when publicly_accessible is null then 'not_evaluated'
            when publicly_accessible then 'fail'
            else 'pass'
        end as status,
        case
            when publicly_accessible is null
                then 'publicly_accessible was not synced for {{ label }} ' || {{ name_column }}
            when publicly_accessible
                then '{{ label }} ' || {{ name_column }} || ' is publicly accessible; {{ fix }}'
            else '{{ label }} ' || {{ name_column }} || ' is not publicly accessible'
        end as reason,
        'publicly_accessible=' || coalesce(cast(publicly_accessible as {{ dbt.type_string() }}), 'null')
            as evidence,
        source_relation,
        synced_at
    from {{ relation }}

),
{% endfor %}

rds_snapshot_attributes as (

    select
        rds_db_snapshots.arn as snapshot_arn,
        {{ soc2.json_text('snapshot_attribute', ['AttributeName']) }} as attribute_name,
        {{ soc2.json_to_text(soc2.json_value('snapshot_attribute', ['AttributeValues'])) }}
            as attribute_values
    from rds_db_snapshots
    {{ soc2.unnest_lateral(soc2.json_as_array('rds_db_snapshots.attributes'), 'snapshot_attribute', 'attribute_index', 'db_attributes') }}

    union all

    select
        rds_cluster_snapshots.arn as snapshot_arn,
        {{ soc2.json_text('snapshot_attribute', ['AttributeName']) }} as attribute_name,
        {{ soc2.json_to_text(soc2.json_value('snapshot_attribute', ['AttributeValues'])) }}
            as attribute_values
    from rds_cluster_snapshots
    {{ soc2.unnest_lateral(soc2.json_as_array('rds_cluster_snapshots.attributes'), 'snapshot_attribute', 'attribute_index', 'cluster_attributes') }}

),

public_rds_snapshots as (

    select distinct snapshot_arn
    from rds_snapshot_attributes
    where attribute_name = 'restore' and attribute_values like '%"all"%'

),

all_rds_snapshots as (

    select account_id, region, arn, db_snapshot_identifier as snapshot_name, 'aws_rds_db_snapshot' as resource_type,
        source_relation, synced_at
    from rds_db_snapshots
    union all
    select account_id, region, arn, db_cluster_snapshot_identifier as snapshot_name,
        'aws_rds_cluster_snapshot' as resource_type, source_relation, synced_at
    from rds_cluster_snapshots

),

rds_snapshot_not_public as (

    select
        'aws_rds_snapshot_not_public' as control_id,
        all_rds_snapshots.account_id,
        all_rds_snapshots.region,
        all_rds_snapshots.resource_type,
        all_rds_snapshots.arn as resource_id,
        case when public_rds_snapshots.snapshot_arn is null then 'pass' else 'fail' end as status,
        case
            when public_rds_snapshots.snapshot_arn is null
                then 'snapshot ' || all_rds_snapshots.snapshot_name || ' is not shared publicly'
            else 'snapshot ' || all_rds_snapshots.snapshot_name
                || ' can be restored by any AWS account (restore attribute includes all); remove all from its shared accounts'
        end as reason,
        'restore_all=' || case when public_rds_snapshots.snapshot_arn is null then 'false' else 'true' end
            as evidence,
        all_rds_snapshots.source_relation,
        all_rds_snapshots.synced_at
    from all_rds_snapshots
    left join public_rds_snapshots
        on all_rds_snapshots.arn = public_rds_snapshots.snapshot_arn

),

rds_snapshot_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_rds_snapshot_not_public',
        ['aws_rds_db_snapshots', 'aws_rds_cluster_snapshots']) }}

),

ebs_snapshot_not_public as (

    select
        'aws_ebs_snapshot_not_public' as control_id,
        ebs_snapshots.account_id,
        ebs_snapshots.region,
        'aws_ebs_snapshot' as resource_type,
        ebs_snapshots.arn as resource_id,
        case
            when ebs_snapshot_attributes.snapshot_arn is null then 'not_evaluated'
            when {{ soc2.json_to_text('ebs_snapshot_attributes.create_volume_permissions') }}
                like '%"Group"%"all"%' then 'fail'
            else 'pass'
        end as status,
        case
            when ebs_snapshot_attributes.snapshot_arn is null
                then 'the create-volume permissions of snapshot ' || ebs_snapshots.snapshot_id
                || ' were not synced (aws_ec2_ebs_snapshot_attributes has no row)'
            when {{ soc2.json_to_text('ebs_snapshot_attributes.create_volume_permissions') }}
                like '%"Group"%"all"%'
                then 'snapshot ' || ebs_snapshots.snapshot_id
                || ' can be used by any AWS account (create-volume permission group all); make it private'
            else 'snapshot ' || ebs_snapshots.snapshot_id || ' is not shared publicly'
        end as reason,
        'create_volume_permissions='
        || coalesce({{ soc2.json_to_text('ebs_snapshot_attributes.create_volume_permissions') }}, 'not synced')
            as evidence,
        ebs_snapshots.source_relation,
        ebs_snapshots.synced_at
    from ebs_snapshots
    left join ebs_snapshot_attributes
        on ebs_snapshots.arn = ebs_snapshot_attributes.snapshot_arn

),

sagemaker_notebook_no_direct_internet as (

    select
        'aws_sagemaker_notebook_no_direct_internet' as control_id,
        account_id,
        region,
        'aws_sagemaker_notebook_instance' as resource_type,
        arn as resource_id,
        case
            when direct_internet_access is null then 'not_evaluated'
            when lower(direct_internet_access) = 'disabled' and nullif(subnet_id, '') is not null then 'pass'
            else 'fail'
        end as status,
        case
            when direct_internet_access is null
                then 'direct_internet_access was not synced for notebook ' || notebook_instance_name
            when lower(direct_internet_access) != 'disabled'
                then 'notebook ' || notebook_instance_name
                || ' has direct internet access; recreate it in a VPC subnet with direct internet access disabled'
            when nullif(subnet_id, '') is null
                then 'notebook ' || notebook_instance_name || ' is not in a VPC subnet; recreate it in one'
            else 'notebook ' || notebook_instance_name || ' runs in a VPC subnet without direct internet access'
        end as reason,
        'direct_internet_access=' || coalesce(direct_internet_access, 'null')
        || '; subnet_id=' || coalesce(nullif(subnet_id, ''), 'none') as evidence,
        source_relation,
        synced_at
    from notebook_instances

),

eks_endpoints as (

    select
        eks_clusters.*,
        lower(coalesce(
            {{ soc2.json_text('resources_vpc_config', ['EndpointPublicAccess']) }},
            {{ soc2.json_text('resources_vpc_config', ['endpointPublicAccess']) }}
        )) as endpoint_public_access,
        coalesce(
            {{ soc2.json_to_text(soc2.json_value('resources_vpc_config', ['PublicAccessCidrs'])) }},
            {{ soc2.json_to_text(soc2.json_value('resources_vpc_config', ['publicAccessCidrs'])) }}
        ) as public_access_cidrs
    from eks_clusters

),

eks_endpoint_not_public as (

    select
        'aws_eks_endpoint_not_public' as control_id,
        account_id,
        region,
        'aws_eks_cluster' as resource_type,
        cluster_arn as resource_id,
        case
            when endpoint_public_access is null then 'not_evaluated'
            when endpoint_public_access = 'false' then 'pass'
            {#- EKS opens a public endpoint to 0.0.0.0/0 unless CIDRs are given #}
            when public_access_cidrs is null or public_access_cidrs like '%"0.0.0.0/0"%'
                or replace(public_access_cidrs, ' ', '') = '[]' then 'fail'
            else 'pass'
        end as status,
        case
            when endpoint_public_access is null
                then 'the endpoint settings of cluster ' || cluster_name || ' were not synced (resources_vpc_config)'
            when endpoint_public_access = 'false'
                then 'the API endpoint of cluster ' || cluster_name || ' is private'
            when public_access_cidrs is null or public_access_cidrs like '%"0.0.0.0/0"%'
                or replace(public_access_cidrs, ' ', '') = '[]'
                then 'the API endpoint of cluster ' || cluster_name
                || ' is public to 0.0.0.0/0; turn off public access or limit PublicAccessCidrs to known ranges'
            else 'the public API endpoint of cluster ' || cluster_name || ' is limited to ' || public_access_cidrs
        end as reason,
        'endpoint_public_access=' || coalesce(endpoint_public_access, 'null')
        || '; public_access_cidrs=' || coalesce(public_access_cidrs, 'none') as evidence,
        source_relation,
        synced_at
    from eks_endpoints

),

-- EMR: master nodes without public IPs, block public access per region -------

{#- master nodes: the instances of the cluster's MASTER instance group
    (instance-fleet clusters have no instance group and read as unknown) #}
emr_master_nodes as (

    select
        emr_instance_groups.account_id,
        emr_instance_groups.cluster_arn,
        emr_instances.ec2_instance_id,
        nullif(emr_instances.public_ip_address, '') as public_ip_address
    from emr_instance_groups
    inner join emr_instances
        on
            emr_instance_groups.account_id = emr_instances.account_id
            and emr_instance_groups.id = emr_instances.instance_group_id
    where upper(emr_instance_groups.instance_group_type) = 'MASTER'

),

emr_master_node_counts as (

    select
        account_id,
        cluster_arn,
        count(*) as master_nodes,
        count(public_ip_address) as public_master_nodes,
        min(case when public_ip_address is not null then ec2_instance_id end) as public_instance_id,
        min(public_ip_address) as public_ip_address
    from emr_master_nodes
    group by account_id, cluster_arn

),

emr_no_public_access__master_nodes as (

    select
        'aws_emr_no_public_access__master_nodes' as control_id,
        emr_clusters.account_id,
        emr_clusters.region,
        'aws_emr_cluster' as resource_type,
        emr_clusters.cluster_arn as resource_id,
        case
            when emr_master_node_counts.master_nodes is null then 'not_evaluated'
            when emr_master_node_counts.public_master_nodes > 0 then 'fail'
            else 'pass'
        end as status,
        case
            when emr_master_node_counts.master_nodes is null
                then 'no master node of cluster ' || coalesce(emr_clusters.cluster_name, emr_clusters.cluster_id)
                || ' is known (an instance-fleet cluster, or its instance groups and instances were not synced)'
            when emr_master_node_counts.public_master_nodes > 0
                then 'master node ' || emr_master_node_counts.public_instance_id || ' of cluster '
                || coalesce(emr_clusters.cluster_name, emr_clusters.cluster_id)
                || ' has a public IP address; launch the cluster in a private subnet'
                || ' (no auto-assigned public IPv4) and reach it through a VPN, bastion or Session Manager'
            else 'the master nodes of cluster ' || coalesce(emr_clusters.cluster_name, emr_clusters.cluster_id)
                || ' have no public IP address'
        end as reason,
        'master_nodes=' || cast(coalesce(emr_master_node_counts.master_nodes, 0) as {{ dbt.type_string() }})
        || '; public_master_nodes='
        || cast(coalesce(emr_master_node_counts.public_master_nodes, 0) as {{ dbt.type_string() }})
        || '; public_ip=' || coalesce(emr_master_node_counts.public_ip_address, 'none') as evidence,
        emr_clusters.source_relation,
        emr_clusters.synced_at
    from emr_clusters
    left join emr_master_node_counts
        on
            emr_clusters.account_id = emr_master_node_counts.account_id
            and emr_clusters.cluster_arn = emr_master_node_counts.cluster_arn

),

emr_block_public_access_settings as (

    select
        account_id,
        region,
        lower({{ soc2.json_text('block_public_access_configuration', ['BlockPublicSecurityGroupRules']) }})
            as block_public_security_group_rules,
        {{ soc2.json_to_text(soc2.json_value(
            'block_public_access_configuration', ['PermittedPublicSecurityGroupRuleRanges'])) }}
            as permitted_ranges,
        source_relation,
        synced_at
    from emr_block_public_access_configs

),

emr_no_public_access__block_public_access as (

    select
        'aws_emr_no_public_access__block_public_access' as control_id,
        account_regions.account_id,
        account_regions.region,
        case when account_regions.region = 'global' then 'aws_account' else 'aws_region' end as resource_type,
        case
            when account_regions.region = 'global' then account_regions.account_id else account_regions.region
        end as resource_id,
        case
            when account_regions.evaluation_status != 'evaluated' then account_regions.evaluation_status
            when emr_bpa.block_public_security_group_rules = 'true' then 'pass'
            when emr_bpa.block_public_security_group_rules = 'false' then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when account_regions.evaluation_status != 'evaluated' then account_regions.status_reason
            when emr_bpa.block_public_security_group_rules = 'true'
                then 'EMR block public access is on in ' || account_regions.region
                || ': clusters cannot start with security group rules open to anyone'
                || ' outside the permitted port ranges'
            when emr_bpa.block_public_security_group_rules = 'false'
                then 'EMR block public access is off in ' || account_regions.region
                || '; turn it on (EMR console, Block public access) so that no cluster starts'
                || ' with a security group open to 0.0.0.0/0 or ::/0'
            when emr_bpa.account_id is null
                then 'no aws_emr_block_public_access_configs row for ' || account_regions.region
                || ' of this account; sync the region'
            else 'the EMR block public access configuration of ' || account_regions.region
                || ' has no BlockPublicSecurityGroupRules value'
        end as reason,
        'BlockPublicSecurityGroupRules=' || coalesce(emr_bpa.block_public_security_group_rules, 'null')
        || '; PermittedPublicSecurityGroupRuleRanges=' || coalesce(emr_bpa.permitted_ranges, 'none')
        || '; region_status=' || account_regions.evaluation_status as evidence,
        coalesce(emr_bpa.source_relation, account_regions.source_relation) as source_relation,
        coalesce(emr_bpa.synced_at, account_regions.synced_at) as synced_at
    from account_regions
    left join emr_block_public_access_settings as emr_bpa
        on
            account_regions.account_id = emr_bpa.account_id
            and account_regions.region = emr_bpa.region

),

final as (

    select * from resource_policies_not_public
    union all
    select * from resource_policies_unavailable
    union all
    select * from kms_key_policy_not_public
    union all
    select * from lambda_not_public
    union all
    select * from opensearch_in_vpc_not_public
    {%- for check_id, relation, resource_type, arn_column, name_column, label, fix in flag_controls %}
    union all
    select * from {{ check_id }}
    {%- endfor %}
    union all
    select * from rds_snapshot_not_public
    union all
    select * from rds_snapshot_unavailable
    union all
    select * from ebs_snapshot_not_public
    union all
    select * from sagemaker_notebook_no_direct_internet
    union all
    select * from eks_endpoint_not_public
    union all
    select * from emr_no_public_access__master_nodes
    union all
    select * from emr_no_public_access__block_public_access

)

select * from final
{% endcall %}
