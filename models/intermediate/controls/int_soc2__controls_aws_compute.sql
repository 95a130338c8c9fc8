-- EC2 compute controls, one row per control and resource: launch templates
-- and launch configurations assign no public IP and require IMDSv2
-- (templates: their default and their latest version, see DECISIONS), EC2
-- instances require IMDSv2, are EBS-optimized where their type supports it
-- and have detailed monitoring; account-owned AMIs are not public; Auto
-- Scaling groups span several Availability Zones and use ELB health checks
-- when a load balancer is attached; and no secret-like environment variables
-- in Lambda functions and ECS task definitions.
{%- set secret_name_patterns = var('soc2_secret_name_patterns', [
    '*PASSWORD*', '*PASSWD*', '*SECRET*', '*TOKEN*', '*API_KEY*', '*APIKEY*',
    '*ACCESS_KEY*', '*PRIVATE_KEY*', '*CREDENTIAL*', 'ECS_ENGINE_AUTH_DATA',
]) %}
{%- if secret_name_patterns is string %}
    {%- set secret_name_patterns = [secret_name_patterns] %}
{%- endif %}
{%- set secret_name_checks = [] %}
{%- for pattern in secret_name_patterns %}
    {%- do secret_name_checks.append(soc2.wildcard_match(
        'upper(variable_name)', "'" ~ (pattern | upper | replace("'", "''")) ~ "'")) %}
{%- endfor %}
{#- a name matching one of the patterns, or a value shaped like an AWS access
    key id (AKIA/ASIA and 16 more characters) #}
{%- set secret_variable_condition = '(' ~ ((secret_name_checks | join(' or ')) if secret_name_checks else 'false')
    ~ " or (length(variable_value) = 20 and substring(upper(variable_value), 1, 4) in ('AKIA', 'ASIA')))" %}
{% call soc2.control_family() %}
with instances as (

    select * from {{ ref('stg_soc2__aws_ec2_instances') }}

),

instance_types as (

    select * from {{ ref('stg_soc2__aws_ec2_instance_types') }}

),

launch_templates as (

    select * from {{ ref('stg_soc2__aws_ec2_launch_templates') }}

),

launch_template_versions as (

    select * from {{ ref('stg_soc2__aws_ec2_launch_template_versions') }}

),

launch_configurations as (

    select * from {{ ref('stg_soc2__aws_autoscaling_launch_configurations') }}

),

images as (

    select * from {{ ref('stg_soc2__aws_ec2_images') }}

),

image_launch_permissions as (

    select * from {{ ref('stg_soc2__aws_ec2_image_launch_permissions') }}

),

autoscaling_groups as (

    select * from {{ ref('stg_soc2__aws_autoscaling_groups') }}

),

lambda_functions as (

    select * from {{ ref('stg_soc2__aws_lambda_functions') }}

),

task_definitions as (

    select * from {{ ref('stg_soc2__aws_ecs_task_definitions') }}

),

-- EC2 instances --------------------------------------------------------------

instance_settings as (

    select
        account_id,
        region,
        instance_id,
        instance_type,
        ebs_optimized,
        {{ soc2.json_text('state', ['Name']) }} as state_name,
        {{ soc2.json_text('metadata_options', ['HttpTokens']) }} as http_tokens,
        {{ soc2.json_text('metadata_options', ['HttpEndpoint']) }} as http_endpoint,
        {{ soc2.json_text('monitoring', ['State']) }} as monitoring_state,
        source_relation,
        synced_at
    from instances

),

instance_facts as (

    select
        *,
        coalesce(state_name in ('terminated', 'shutting-down'), false) as is_terminated,
        'state=' || coalesce(state_name, 'null') as state_evidence
    from instance_settings

),

imdsv2_required__instance as (

    select
        'aws_imdsv2_required__instance' as control_id,
        account_id,
        region,
        'aws_ec2_instance' as resource_type,
        instance_id as resource_id,
        case
            when is_terminated then 'not_applicable'
            when http_tokens is null and http_endpoint is null then 'not_evaluated'
            when http_tokens = 'required' or http_endpoint = 'disabled' then 'pass'
            else 'fail'
        end as status,
        case
            when is_terminated then 'the instance is ' || state_name
            when http_tokens is null and http_endpoint is null
                then 'aws_ec2_instances has no metadata options for this instance'
            when http_tokens = 'required' then 'the instance metadata service requires session tokens (IMDSv2)'
            when http_endpoint = 'disabled' then 'the instance metadata service is disabled'
            else 'instance ' || instance_id || ' accepts IMDSv1 requests (HttpTokens='
                || coalesce(http_tokens, 'null')
                || '); set HttpTokens to required (aws ec2 modify-instance-metadata-options --http-tokens required)'
        end as reason,
        'HttpTokens=' || coalesce(http_tokens, 'null') || '; HttpEndpoint=' || coalesce(http_endpoint, 'null')
        || '; ' || state_evidence as evidence,
        source_relation,
        synced_at
    from instance_facts

),

ebs_optimized_facts as (

    select
        instance_facts.*,
        {{ soc2.json_text('instance_types.ebs_info', ['EbsOptimizedSupport']) }} as ebs_optimized_support
    from instance_facts
    left join instance_types
        on instance_facts.account_id = instance_types.account_id
        and instance_facts.region = instance_types.region
        and instance_facts.instance_type = instance_types.instance_type

),

ec2_ebs_optimized as (

    select
        'aws_ec2_ebs_optimized' as control_id,
        account_id,
        region,
        'aws_ec2_instance' as resource_type,
        instance_id as resource_id,
        case
            when is_terminated then 'not_applicable'
            when ebs_optimized_support = 'unsupported' then 'not_applicable'
            when ebs_optimized or ebs_optimized_support = 'default' then 'pass'
            when ebs_optimized_support = 'supported' then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when is_terminated then 'the instance is ' || state_name
            when ebs_optimized_support = 'unsupported'
                then 'instance type ' || instance_type || ' does not support EBS optimization'
            when ebs_optimized then 'the instance is EBS-optimized'
            when ebs_optimized_support = 'default'
                then 'instance type ' || instance_type || ' is EBS-optimized by default'
            when ebs_optimized_support = 'supported'
                then 'instance ' || instance_id || ' (' || instance_type
                || ') is not EBS-optimized although its type supports it; stop the instance and enable EBS optimization'
            else 'instance type ' || coalesce(instance_type, 'null')
                || ' is not in aws_ec2_instance_types for this account and region, so its EBS optimization support is unknown'
        end as reason,
        'EbsOptimized=' || coalesce(cast(ebs_optimized as {{ dbt.type_string() }}), 'null')
        || '; EbsOptimizedSupport=' || coalesce(ebs_optimized_support, 'unknown') || '; ' || state_evidence as evidence,
        source_relation,
        synced_at
    from ebs_optimized_facts

),

ec2_detailed_monitoring as (

    select
        'aws_ec2_detailed_monitoring' as control_id,
        account_id,
        region,
        'aws_ec2_instance' as resource_type,
        instance_id as resource_id,
        case
            when is_terminated then 'not_applicable'
            when monitoring_state = 'enabled' then 'pass'
            when monitoring_state is null then 'not_evaluated'
            else 'fail'
        end as status,
        case
            when is_terminated then 'the instance is ' || state_name
            when monitoring_state = 'enabled' then 'detailed (1-minute) monitoring is enabled'
            when monitoring_state is null then 'aws_ec2_instances has no monitoring state for this instance'
            else 'instance ' || instance_id || ' has detailed monitoring ' || monitoring_state
                || '; enable it (aws ec2 monitor-instances) so that metrics arrive every minute'
        end as reason,
        'Monitoring.State=' || coalesce(monitoring_state, 'null') || '; ' || state_evidence as evidence,
        source_relation,
        synced_at
    from instance_facts

),

-- Launch templates: the default version (used when a launch names no version)
-- and the latest version (used by launches and Auto Scaling groups that ask
-- for $Latest) are both read ---------------------------------------------------

launch_template_version_settings as (

    select
        arn,
        version_number,
        coalesce(
            {{ soc2.json_text('launch_template_data', ['MetadataOptions', 'HttpTokens']) }},
            {{ soc2.json_text('launch_template_data', ['metadataOptions', 'httpTokens']) }}
        ) as http_tokens,
        coalesce(
            {{ soc2.json_text('launch_template_data', ['MetadataOptions', 'HttpEndpoint']) }},
            {{ soc2.json_text('launch_template_data', ['metadataOptions', 'httpEndpoint']) }}
        ) as http_endpoint
    from launch_template_versions

),

launch_template_network_interfaces as (

    select
        launch_template_versions.arn,
        launch_template_versions.version_number,
        coalesce(
            {{ soc2.json_text('interface', ['AssociatePublicIpAddress']) }},
            {{ soc2.json_text('interface', ['associatePublicIpAddress']) }}
        ) as associate_public_ip_address
    from launch_template_versions
    {{ soc2.unnest_lateral(soc2.json_as_array(
        "coalesce(" ~ soc2.json_value('launch_template_versions.launch_template_data', ['NetworkInterfaces'])
        ~ ", " ~ soc2.json_value('launch_template_versions.launch_template_data', ['networkInterfaceSet']) ~ ")"),
        'interface', 'interface_index', 'interfaces') }}

),

launch_template_public_versions as (

    select
        arn,
        version_number
    from launch_template_network_interfaces
    where associate_public_ip_address = 'true'
    group by arn, version_number

),

launch_template_reads as (

    select
        arn,
        default_version_number as version_number,
        case
            when latest_version_number = default_version_number then 'default and latest'
            else 'default'
        end as version_label
    from launch_templates
    union all
    select
        arn,
        latest_version_number as version_number,
        'latest' as version_label
    from launch_templates
    where latest_version_number != default_version_number

),

launch_template_read_facts as (

    select
        launch_template_reads.arn,
        'version ' || coalesce(cast(launch_template_reads.version_number as {{ dbt.type_string() }}), 'null')
        || ' (' || launch_template_reads.version_label || ')' as version_text,
        launch_template_version_settings.arn is null as is_missing,
        launch_template_public_versions.arn is not null as assigns_public_ip,
        coalesce(
            launch_template_version_settings.http_tokens = 'required'
            or launch_template_version_settings.http_endpoint = 'disabled',
            false
        ) as requires_imdsv2,
        launch_template_version_settings.http_tokens
    from launch_template_reads
    left join launch_template_version_settings
        on launch_template_reads.arn = launch_template_version_settings.arn
        and launch_template_reads.version_number = launch_template_version_settings.version_number
    left join launch_template_public_versions
        on launch_template_reads.arn = launch_template_public_versions.arn
        and launch_template_reads.version_number = launch_template_public_versions.version_number

),

launch_template_findings as (

    select
        arn,
        {{ soc2.string_agg_distinct('version_text', ', ') }} as versions_read,
        {{ soc2.string_agg_distinct('case when is_missing then version_text end', ', ') }} as missing_versions,
        {{ soc2.string_agg_distinct('case when not is_missing and assigns_public_ip then version_text end', ', ') }}
            as public_ip_versions,
        {{ soc2.string_agg_distinct(
            "case when not is_missing and not requires_imdsv2 then version_text || ' HttpTokens='
                || coalesce(http_tokens, 'not set') end", ', ') }} as imdsv1_versions
    from launch_template_read_facts
    group by arn

),

launch_template_facts as (

    select
        launch_templates.account_id,
        launch_templates.region,
        launch_templates.arn,
        coalesce(launch_templates.launch_template_name, launch_templates.launch_template_id) as template_name,
        launch_template_findings.versions_read,
        launch_template_findings.missing_versions,
        launch_template_findings.public_ip_versions,
        launch_template_findings.imdsv1_versions,
        launch_templates.source_relation,
        launch_templates.synced_at
    from launch_templates
    left join launch_template_findings
        on launch_templates.arn = launch_template_findings.arn

),

ec2_launch_template_no_public_ip__launch_template as (

    select
        'aws_ec2_launch_template_no_public_ip__launch_template' as control_id,
        account_id,
        region,
        'aws_ec2_launch_template' as resource_type,
        arn as resource_id,
        case
            when missing_versions is not null or versions_read is null then 'not_evaluated'
            when public_ip_versions is not null then 'fail'
            else 'pass'
        end as status,
        case
            when missing_versions is not null or versions_read is null
                then 'aws_ec2_launch_template_versions has no row for '
                || coalesce(missing_versions, 'the default version') || ' of launch template ' || template_name
            when public_ip_versions is not null
                then 'launch template ' || template_name || ' assigns a public IP address to a network interface in '
                || public_ip_versions
                || '; set AssociatePublicIpAddress to false in a new version and make it the default (and latest)'
            else 'neither the default nor the latest version assigns a public IP address'
        end as reason,
        'versions_read=' || coalesce(versions_read, 'none')
        || '; public_ip=' || coalesce(public_ip_versions, 'none') as evidence,
        source_relation,
        synced_at
    from launch_template_facts

),

imdsv2_required__launch_template as (

    select
        'aws_imdsv2_required__launch_template' as control_id,
        account_id,
        region,
        'aws_ec2_launch_template' as resource_type,
        arn as resource_id,
        case
            when missing_versions is not null or versions_read is null then 'not_evaluated'
            when imdsv1_versions is not null then 'fail'
            else 'pass'
        end as status,
        case
            when missing_versions is not null or versions_read is null
                then 'aws_ec2_launch_template_versions has no row for '
                || coalesce(missing_versions, 'the default version') || ' of launch template ' || template_name
            when imdsv1_versions is not null
                then 'launch template ' || template_name || ' does not require IMDSv2 in ' || imdsv1_versions
                || '; set MetadataOptions HttpTokens to required in a new version and make it the default (and latest)'
            else 'the default and latest versions require IMDSv2 (HttpTokens required) or disable the metadata service'
        end as reason,
        'versions_read=' || coalesce(versions_read, 'none')
        || '; without_imdsv2=' || coalesce(imdsv1_versions, 'none') as evidence,
        source_relation,
        synced_at
    from launch_template_facts

),

-- Launch configurations ---------------------------------------------------------

launch_configuration_facts as (

    select
        account_id,
        region,
        arn,
        launch_configuration_name,
        associate_public_ip_address,
        {{ soc2.json_text('metadata_options', ['HttpTokens']) }} as http_tokens,
        {{ soc2.json_text('metadata_options', ['HttpEndpoint']) }} as http_endpoint,
        source_relation,
        synced_at
    from launch_configurations

),

ec2_launch_template_no_public_ip__launch_configuration as (

    select
        'aws_ec2_launch_template_no_public_ip__launch_configuration' as control_id,
        account_id,
        region,
        'aws_autoscaling_launch_configuration' as resource_type,
        arn as resource_id,
        case when associate_public_ip_address then 'fail' else 'pass' end as status,
        case
            when associate_public_ip_address
                then 'launch configuration ' || launch_configuration_name
                || ' assigns public IP addresses; create a launch template (or configuration) with AssociatePublicIpAddress false and move the Auto Scaling groups to it'
            else 'the launch configuration does not assign public IP addresses'
        end as reason,
        'AssociatePublicIpAddress=' || coalesce(cast(associate_public_ip_address as {{ dbt.type_string() }}), 'null')
            as evidence,
        source_relation,
        synced_at
    from launch_configuration_facts

),

imdsv2_required__launch_configuration as (

    select
        'aws_imdsv2_required__launch_configuration' as control_id,
        account_id,
        region,
        'aws_autoscaling_launch_configuration' as resource_type,
        arn as resource_id,
        case
            when http_tokens = 'required' or http_endpoint = 'disabled' then 'pass'
            else 'fail'
        end as status,
        case
            when http_tokens = 'required' then 'the launch configuration requires IMDSv2 (HttpTokens required)'
            when http_endpoint = 'disabled' then 'the launch configuration disables the instance metadata service'
            else 'launch configuration ' || launch_configuration_name || ' does not require IMDSv2 (HttpTokens '
                || coalesce(http_tokens, 'not set') || '); replace it with a launch template that sets HttpTokens to required'
        end as reason,
        'HttpTokens=' || coalesce(http_tokens, 'null') || '; HttpEndpoint=' || coalesce(http_endpoint, 'null') as evidence,
        source_relation,
        synced_at
    from launch_configuration_facts

),

-- AMIs -----------------------------------------------------------------------

public_launch_permissions as (

    select image_arn
    from image_launch_permissions
    where launch_permission_group = 'all'
    group by image_arn

),

ami_not_public as (

    select
        'aws_ami_not_public' as control_id,
        images.account_id,
        images.region,
        'aws_ec2_image' as resource_type,
        images.image_id as resource_id,
        case
            when images.public or public_launch_permissions.image_arn is not null then 'fail'
            else 'pass'
        end as status,
        case
            when images.public or public_launch_permissions.image_arn is not null
                then 'AMI ' || images.image_id || ' is public (anyone can launch it and read its snapshots); remove the launch permission for group all (aws ec2 modify-image-attribute --launch-permission "Remove=[{Group=all}]") and turn on AMI Block Public Access'
            else 'the AMI is not public'
        end as reason,
        'Public=' || coalesce(cast(images.public as {{ dbt.type_string() }}), 'null')
        || '; launch_permission_all=' || case when public_launch_permissions.image_arn is null then 'no' else 'yes' end
            as evidence,
        images.source_relation,
        images.synced_at
    from images
    left join public_launch_permissions
        on images.arn = public_launch_permissions.image_arn
    where images.owner_id = images.account_id

),

-- Auto Scaling groups ------------------------------------------------------------

autoscaling_group_zones as (

    select
        autoscaling_groups.arn,
        count(distinct {{ soc2.json_element_text('zone') }}) as zone_count
    from autoscaling_groups
    {{ soc2.unnest_lateral(soc2.json_as_array('autoscaling_groups.availability_zones'), 'zone', 'zone_index', 'zones') }}
    group by autoscaling_groups.arn

),

autoscaling_group_facts as (

    select
        autoscaling_groups.account_id,
        autoscaling_groups.region,
        autoscaling_groups.arn,
        autoscaling_groups.auto_scaling_group_name,
        coalesce(autoscaling_group_zones.zone_count, 0) as zone_count,
        {{ soc2.json_is_present('autoscaling_groups.load_balancer_names') }}
        or {{ soc2.json_is_present('autoscaling_groups.target_group_arns') }} as has_load_balancer,
        upper(coalesce(autoscaling_groups.health_check_type, 'EC2')) as health_check_type,
        autoscaling_groups.source_relation,
        autoscaling_groups.synced_at
    from autoscaling_groups
    left join autoscaling_group_zones
        on autoscaling_groups.arn = autoscaling_group_zones.arn

),

autoscaling_resilience as (

    select
        'aws_autoscaling_resilience' as control_id,
        account_id,
        region,
        'aws_autoscaling_group' as resource_type,
        arn as resource_id,
        case
            when zone_count < 2 then 'fail'
            when has_load_balancer and health_check_type != 'ELB' then 'fail'
            else 'pass'
        end as status,
        case
            when zone_count < 2 and has_load_balancer and health_check_type != 'ELB'
                then 'Auto Scaling group ' || auto_scaling_group_name || ' uses '
                || cast(zone_count as {{ dbt.type_string() }})
                || ' Availability Zone and ' || health_check_type
                || ' health checks although a load balancer is attached; add subnets in a second zone and set the health check type to ELB'
            when zone_count < 2
                then 'Auto Scaling group ' || auto_scaling_group_name || ' uses '
                || cast(zone_count as {{ dbt.type_string() }})
                || ' Availability Zone; add subnets in at least one more zone'
            when has_load_balancer and health_check_type != 'ELB'
                then 'Auto Scaling group ' || auto_scaling_group_name || ' is behind a load balancer but uses '
                || health_check_type || ' health checks, so instances failing the load balancer check are not replaced; set the health check type to ELB'
            when has_load_balancer then 'the group spans several Availability Zones and uses ELB health checks'
            else 'the group spans several Availability Zones (no load balancer attached, so EC2 health checks suffice)'
        end as reason,
        'zones=' || cast(zone_count as {{ dbt.type_string() }})
        || '; load_balancer=' || case when has_load_balancer then 'yes' else 'no' end
        || '; HealthCheckType=' || health_check_type as evidence,
        source_relation,
        synced_at
    from autoscaling_group_facts

),

-- Secrets in configuration: Lambda and ECS environment variables ---------------

lambda_variables as (

    select
        lambda_functions.arn,
        {{ soc2.json_element_text('variable_name') }} as variable_name,
        {{ soc2.json_element_text(soc2.json_value_at_key(
            soc2.json_value('lambda_functions.configuration', ['Environment', 'Variables']),
            soc2.json_element_text('variable_name'))) }} as variable_value
    from lambda_functions
    {{ soc2.unnest_lateral(soc2.json_object_keys_array(
        soc2.json_value('lambda_functions.configuration', ['Environment', 'Variables'])),
        'variable_name', 'variable_index', 'variables') }}

),

lambda_secret_variables as (

    select
        arn,
        {{ soc2.string_agg_distinct('variable_name', ', ') }} as variable_names
    from lambda_variables
    where {{ secret_variable_condition }}
    group by arn

),

no_plaintext_secrets_in_config__lambda as (

    select
        'aws_no_plaintext_secrets_in_config__lambda' as control_id,
        lambda_functions.account_id,
        lambda_functions.region,
        'aws_lambda_function' as resource_type,
        lambda_functions.arn as resource_id,
        case when lambda_secret_variables.arn is null then 'pass' else 'fail' end as status,
        case
            when lambda_secret_variables.arn is null
                then 'no environment variable has a secret-like name or an AWS access key id as its value'
            else 'function ' || coalesce({{ soc2.json_text('lambda_functions.configuration', ['FunctionName']) }}, lambda_functions.arn)
                || ' keeps secret-like environment variables in plaintext: ' || lambda_secret_variables.variable_names
                || '; move the values to Secrets Manager or Parameter Store, read them at run time, and rotate them'
        end as reason,
        'secret_like_variables=' || coalesce(lambda_secret_variables.variable_names, 'none') as evidence,
        lambda_functions.source_relation,
        lambda_functions.synced_at
    from lambda_functions
    left join lambda_secret_variables
        on lambda_functions.arn = lambda_secret_variables.arn

),

task_containers as (

    select
        task_definitions.task_definition_arn,
        coalesce({{ soc2.json_text('container', ['Name']) }}, '(unnamed)') as container_name,
        {{ soc2.json_value('container', ['Environment']) }} as environment
    from task_definitions
    {{ soc2.unnest_lateral(soc2.json_as_array('task_definitions.container_definitions'), 'container', 'container_index', 'containers') }}

),

task_variables as (

    select
        task_containers.task_definition_arn,
        task_containers.container_name,
        {{ soc2.json_text('variable', ['Name']) }} as variable_name,
        {{ soc2.json_text('variable', ['Value']) }} as variable_value
    from task_containers
    {{ soc2.unnest_lateral(soc2.json_as_array('task_containers.environment'), 'variable', 'variable_index', 'variables') }}

),

task_secret_variables as (

    select
        task_definition_arn,
        {{ soc2.string_agg_distinct("container_name || '.' || variable_name", ', ') }} as variable_names
    from task_variables
    where {{ secret_variable_condition }}
    group by task_definition_arn

),

no_plaintext_secrets_in_config__ecs_task_definition as (

    select
        'aws_no_plaintext_secrets_in_config__ecs_task_definition' as control_id,
        task_definitions.account_id,
        task_definitions.region,
        'aws_ecs_task_definition' as resource_type,
        task_definitions.task_definition_arn as resource_id,
        case when task_secret_variables.task_definition_arn is null then 'pass' else 'fail' end as status,
        case
            when task_secret_variables.task_definition_arn is null
                then 'no container environment variable has a secret-like name or an AWS access key id as its value'
            else 'task definition ' || task_definitions.task_family || ':'
                || cast(task_definitions.revision as {{ dbt.type_string() }})
                || ' keeps secret-like environment variables in plaintext: ' || task_secret_variables.variable_names
                || '; pass them through the secrets parameter (Secrets Manager or Parameter Store) instead, and rotate them'
        end as reason,
        'secret_like_variables=' || coalesce(task_secret_variables.variable_names, 'none') as evidence,
        task_definitions.source_relation,
        task_definitions.synced_at
    from task_definitions
    left join task_secret_variables
        on task_definitions.task_definition_arn = task_secret_variables.task_definition_arn

),

-- Nitro Enclave hosts ---------------------------------------------------------

{#- only instances with Nitro Enclaves enabled get a row (DECISIONS) #}
enclave_hosts as (

    select
        account_id,
        region,
        instance_id,
        nullif(public_ip_address, '') as public_ip_address,
        {{ soc2.json_text('state', ['Name']) }} as state_name,
        {{ soc2.json_text('metadata_options', ['HttpTokens']) }} as http_tokens,
        source_relation,
        synced_at
    from instances
    where lower({{ soc2.json_text('enclave_options', ['Enabled']) }}) = 'true'

),

enclave_host_facts as (

    select
        *,
        coalesce(state_name in ('terminated', 'shutting-down'), false) as is_terminated,
        public_ip_address is not null as has_public_ip,
        coalesce(http_tokens = 'required', false) as requires_imdsv2
    from enclave_hosts

),

nitro_enclave_kms_attestation__enclave_hosts as (

    select
        'aws_nitro_enclave_kms_attestation__enclave_hosts' as control_id,
        account_id,
        region,
        'aws_ec2_instance' as resource_type,
        instance_id as resource_id,
        case
            when is_terminated then 'not_applicable'
            when has_public_ip or not requires_imdsv2 then 'fail'
            else 'pass'
        end as status,
        case
            when is_terminated then 'the instance is ' || state_name
            when has_public_ip and not requires_imdsv2
                then 'enclave host ' || instance_id || ' has a public IP address and accepts IMDSv1 requests;'
                || ' move it to a private subnet and set HttpTokens to required'
            when has_public_ip
                then 'enclave host ' || instance_id || ' has a public IP address;'
                || ' move it to a private subnet without a public IPv4 address'
            when not requires_imdsv2
                then 'enclave host ' || instance_id || ' does not require IMDSv2 (HttpTokens='
                || coalesce(http_tokens, 'null') || '); set HttpTokens to required'
            else 'enclave host ' || instance_id || ' has no public IP address and requires IMDSv2'
        end as reason,
        'EnclaveOptions.Enabled=true; public_ip=' || coalesce(public_ip_address, 'none')
        || '; HttpTokens=' || coalesce(http_tokens, 'null')
        || '; state=' || coalesce(state_name, 'null') as evidence,
        source_relation,
        synced_at
    from enclave_host_facts

),

final as (

    select * from ec2_launch_template_no_public_ip__launch_template
    union all
    select * from ec2_launch_template_no_public_ip__launch_configuration
    union all
    select * from imdsv2_required__instance
    union all
    select * from imdsv2_required__launch_template
    union all
    select * from imdsv2_required__launch_configuration
    union all
    select * from ami_not_public
    union all
    select * from ec2_ebs_optimized
    union all
    select * from ec2_detailed_monitoring
    union all
    select * from autoscaling_resilience
    union all
    select * from no_plaintext_secrets_in_config__lambda
    union all
    select * from no_plaintext_secrets_in_config__ecs_task_definition
    union all
    select * from nitro_enclave_kms_attestation__enclave_hosts

)

select * from final
{% endcall %}
