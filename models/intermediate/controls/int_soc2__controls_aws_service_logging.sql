-- Service logging controls: one row per resource whose service can write
-- access, audit or engine logs, passing when that logging is on. Load
-- balancers (classic, and application/network), API Gateway stages (REST and
-- v2), RDS instances and clusters (log exports per engine family, var
-- soc2_rds_required_log_exports), Redshift clusters, WAF web ACLs,
-- CloudFront distributions, OpenSearch domains, EKS clusters, Route 53
-- public zones, ECS task definitions, and application services (AppSync,
-- Athena, CodeBuild, Step Functions, Glue jobs, Amazon MQ brokers). A control whose catalog group lists
-- alternatives (`a|b`) adds one not_evaluated row (no account) for an
-- alternative that is unavailable while another is available
-- (soc2.unavailable_alternative_rows).
{% call soc2.control_family() %}
{%- set default_log_exports = {
    'mysql': ['audit', 'error', 'general', 'slowquery'],
    'mariadb': ['audit', 'error', 'general', 'slowquery'],
    'postgres': ['postgresql'],
    'aurora-mysql': ['audit', 'error', 'general', 'slowquery'],
    'aurora-postgresql': ['postgresql'],
    'oracle': ['alert', 'audit', 'listener', 'trace'],
    'sqlserver': ['agent', 'error'],
    'db2': ['diag.log', 'notify.log'],
} -%}
{%- set required_log_exports = var('soc2_rds_required_log_exports', default_log_exports) -%}
with classic_load_balancers as (

    select * from {{ ref('stg_soc2__aws_elbv1_load_balancers') }}

),

v2_load_balancers as (

    select * from {{ ref('stg_soc2__aws_elbv2_load_balancers') }}

),

v2_load_balancer_attributes as (

    select * from {{ ref('stg_soc2__aws_elbv2_load_balancer_attributes') }}

),

rest_stages as (

    select * from {{ ref('stg_soc2__aws_apigateway_rest_api_stages') }}

),

v2_stages as (

    select * from {{ ref('stg_soc2__aws_apigatewayv2_api_stages') }}

),

rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_clusters as (

    select * from {{ ref('stg_soc2__aws_rds_clusters') }}

),

redshift_clusters as (

    select * from {{ ref('stg_soc2__aws_redshift_clusters') }}

),

waf_classic_acls as (

    select * from {{ ref('stg_soc2__aws_waf_web_acls') }}

),

wafv2_acls as (

    select * from {{ ref('stg_soc2__aws_wafv2_web_acls') }}

),

waf_regional_acls as (

    select * from {{ ref('stg_soc2__aws_wafregional_web_acls') }}

),

cloudfront_distributions as (

    select * from {{ ref('stg_soc2__aws_cloudfront_distributions') }}

),

search_domains as (

    select * from {{ ref('stg_soc2__aws_elasticsearch_domains') }}

),

eks_clusters as (

    select * from {{ ref('stg_soc2__aws_eks_clusters') }}

),

hosted_zones as (

    select * from {{ ref('stg_soc2__aws_route53_hosted_zones') }}

),

query_logging_configs as (

    select * from {{ ref('stg_soc2__aws_route53_hosted_zone_query_logging_configs') }}

),

task_definitions as (

    select * from {{ ref('stg_soc2__aws_ecs_task_definitions') }}

),

appsync_apis as (

    select * from {{ ref('stg_soc2__aws_appsync_graphql_apis') }}

),

athena_work_groups as (

    select * from {{ ref('stg_soc2__aws_athena_work_groups') }}

),

codebuild_projects as (

    select * from {{ ref('stg_soc2__aws_codebuild_projects') }}

),

state_machines as (

    select * from {{ ref('stg_soc2__aws_stepfunctions_state_machines') }}

),

glue_jobs as (

    select * from {{ ref('stg_soc2__aws_glue_jobs') }}

),

mq_brokers as (

    select * from {{ ref('stg_soc2__aws_mq_brokers') }}

),

-- Load balancers ------------------------------------------------------------

classic_access_logging as (

    select
        'aws_elb_access_logging__classic' as control_id,
        account_id,
        region,
        'aws_elb_load_balancer' as resource_type,
        load_balancer_arn as resource_id,
        case when access_log_enabled = 'true' then 'pass' else 'fail' end as status,
        case
            when access_log_enabled = 'true'
                then 'access logs of the classic load balancer go to S3 bucket '
                || coalesce(access_log_bucket, '(not named)')
            else 'the classic load balancer ' || load_balancer_name
                || ' writes no access logs; enable access logging to an S3 bucket'
        end as reason,
        'AccessLog.Enabled=' || coalesce(access_log_enabled, 'null') as evidence,
        source_relation,
        synced_at
    from classic_load_balancers

),

v2_access_log_attributes as (

    select
        load_balancer_arn,
        count(*) as attribute_count,
        max(case when attribute_key = 'access_logs.s3.enabled' then lower(attribute_value) end)
            as access_logs_enabled,
        max(case when attribute_key = 'access_logs.s3.bucket' then nullif(attribute_value, '') end)
            as access_logs_bucket
    from v2_load_balancer_attributes
    group by load_balancer_arn

),

v2_access_logging as (

    select
        'aws_elb_access_logging__v2' as control_id,
        v2_load_balancers.account_id,
        v2_load_balancers.region,
        'aws_elbv2_load_balancer' as resource_type,
        v2_load_balancers.load_balancer_arn as resource_id,
        case
            when v2_load_balancers.load_balancer_type = 'gateway' then 'not_applicable'
            when v2_access_log_attributes.load_balancer_arn is null then 'not_evaluated'
            when v2_access_log_attributes.access_logs_enabled = 'true' then 'pass'
            else 'fail'
        end as status,
        case
            when v2_load_balancers.load_balancer_type = 'gateway'
                then 'gateway load balancers have no access logs'
            when v2_access_log_attributes.load_balancer_arn is null
                then 'aws_elbv2_load_balancer_attributes has no row for this load balancer (its attributes were not synced)'
            when v2_access_log_attributes.access_logs_enabled = 'true'
                then 'access logs go to S3 bucket '
                || coalesce(v2_access_log_attributes.access_logs_bucket, '(not named)')
            else 'the ' || coalesce(v2_load_balancers.load_balancer_type, '') || ' load balancer '
                || v2_load_balancers.load_balancer_name
                || ' writes no access logs; set access_logs.s3.enabled to true with a bucket'
        end as reason,
        'type=' || coalesce(v2_load_balancers.load_balancer_type, 'null')
        || '; access_logs.s3.enabled=' || coalesce(v2_access_log_attributes.access_logs_enabled, 'null')
            as evidence,
        v2_load_balancers.source_relation,
        v2_load_balancers.synced_at
    from v2_load_balancers
    left join v2_access_log_attributes
        on v2_load_balancers.load_balancer_arn = v2_access_log_attributes.load_balancer_arn

),

-- API Gateway ---------------------------------------------------------------

rest_stage_logging as (

    select
        'aws_apigw_logging' as control_id,
        account_id,
        region,
        'aws_apigateway_stage' as resource_type,
        stage_arn as resource_id,
        case when default_logging_level in ('ERROR', 'INFO') then 'pass' else 'fail' end as status,
        case
            when default_logging_level in ('ERROR', 'INFO')
                then 'the REST API stage logs execution at level ' || default_logging_level
            else 'the REST API stage ' || stage_name || ' has execution logging '
                || coalesce(default_logging_level, 'not set')
                || ' in its default method settings (*/*); set the logging level to ERROR or INFO'
        end as reason,
        'method_settings */* LoggingLevel=' || coalesce(default_logging_level, 'null') as evidence,
        source_relation,
        synced_at
    from rest_stages

),

v2_stage_logging as (

    select
        'aws_apigw_logging' as control_id,
        account_id,
        region,
        'aws_apigatewayv2_stage' as resource_type,
        stage_arn as resource_id,
        case when access_log_destination_arn is not null then 'pass' else 'fail' end as status,
        case
            when access_log_destination_arn is not null
                then 'the stage writes access logs to ' || access_log_destination_arn
            else 'the HTTP/WebSocket API stage ' || stage_name
                || ' writes no access logs; set an access log destination'
        end as reason,
        'access_log_settings.DestinationArn=' || coalesce(access_log_destination_arn, 'null') as evidence,
        source_relation,
        synced_at
    from v2_stages

),

apigw_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_apigw_logging',
        ['aws_apigateway_rest_api_stages', 'aws_apigatewayv2_api_stages']) }}

),

-- RDS log exports -----------------------------------------------------------

required_log_exports as (

    {%- for engine_family, log_types in required_log_exports.items() %}
    {%- for log_type in log_types %}
    select
        '{{ engine_family }}' as engine_family,
        '{{ log_type }}' as log_type
    union all
    {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as engine_family,
        cast(null as {{ dbt.type_string() }}) as log_type
    where 1 = 0

),

configured_engine_families as (

    {%- for engine_family in required_log_exports %}
    select '{{ engine_family }}' as engine_family
    union all
    {%- endfor %}
    select cast(null as {{ dbt.type_string() }}) as engine_family
    where 1 = 0

),

rds_databases as (

    select
        account_id,
        region,
        'aws_rds_db_instance' as resource_type,
        db_instance_arn as resource_arn,
        db_instance_identifier as identifier,
        db_cluster_identifier,
        engine,
        enabled_log_exports,
        source_relation,
        synced_at
    from rds_instances
    union all
    select
        account_id,
        region,
        'aws_rds_db_cluster' as resource_type,
        db_cluster_arn as resource_arn,
        db_cluster_identifier as identifier,
        cast(null as {{ dbt.type_string() }}) as db_cluster_identifier,
        engine,
        enabled_log_exports,
        source_relation,
        synced_at
    from rds_clusters

),

rds_engine_families as (

    select
        rds_databases.*,
        case
            when engine like 'aurora-postgresql%' then 'aurora-postgresql'
            when engine like 'aurora%' then 'aurora-mysql'
            when engine like '%oracle%' then 'oracle'
            when engine like '%sqlserver%' then 'sqlserver'
            when engine like 'db2%' then 'db2'
            when engine like 'mysql%' then 'mysql'
            when engine like 'mariadb%' then 'mariadb'
            when engine like 'postgres%' then 'postgres'
            else engine
        end as engine_family
    from rds_databases

),

rds_missing_exports as (

    select
        rds_engine_families.resource_arn,
        count(required_log_exports.log_type) as required_count,
        nullif({{ soc2.string_agg_distinct(
            "case when ',' || coalesce(rds_engine_families.enabled_log_exports, '') || ','
                not like '%,' || required_log_exports.log_type || ',%'
                then required_log_exports.log_type end", ', ') }}, '') as missing_log_types
    from rds_engine_families
    inner join required_log_exports
        on rds_engine_families.engine_family = required_log_exports.engine_family
    group by rds_engine_families.resource_arn

),

rds_log_exports as (

    select
        'aws_rds_log_exports' as control_id,
        rds_engine_families.account_id,
        rds_engine_families.region,
        rds_engine_families.resource_type,
        rds_engine_families.resource_arn as resource_id,
        case
            when rds_engine_families.db_cluster_identifier is not null then 'not_applicable'
            when configured_engine_families.engine_family is null then 'not_applicable'
            when coalesce(rds_missing_exports.required_count, 0) = 0 then 'not_applicable'
            when rds_missing_exports.missing_log_types is null then 'pass'
            else 'fail'
        end as status,
        case
            when rds_engine_families.db_cluster_identifier is not null
                then 'the instance belongs to cluster ' || rds_engine_families.db_cluster_identifier
                || ', whose log exports are evaluated on the cluster'
            when configured_engine_families.engine_family is null
                then 'engine ' || coalesce(rds_engine_families.engine, 'unknown')
                || ' has no entry in the var soc2_rds_required_log_exports'
            when coalesce(rds_missing_exports.required_count, 0) = 0
                then 'the var soc2_rds_required_log_exports requires no log type for engine family '
                || rds_engine_families.engine_family
            when rds_missing_exports.missing_log_types is null
                then 'every required log type of engine family ' || rds_engine_families.engine_family
                || ' is exported to CloudWatch Logs'
            else rds_engine_families.identifier || ' does not export the '
                || rds_engine_families.engine_family || ' log types '
                || rds_missing_exports.missing_log_types
                || ' to CloudWatch Logs; enable them (var soc2_rds_required_log_exports)'
        end as reason,
        'engine=' || coalesce(rds_engine_families.engine, 'null')
        || '; exports=' || coalesce(nullif(rds_engine_families.enabled_log_exports, ''), 'none')
            as evidence,
        rds_engine_families.source_relation,
        rds_engine_families.synced_at
    from rds_engine_families
    left join configured_engine_families
        on rds_engine_families.engine_family = configured_engine_families.engine_family
    left join rds_missing_exports
        on rds_engine_families.resource_arn = rds_missing_exports.resource_arn

),

rds_log_exports_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_rds_log_exports',
        ['aws_rds_instances', 'aws_rds_clusters']) }}

),

-- Redshift ------------------------------------------------------------------

redshift_audit_logging as (

    select
        'aws_redshift_audit_logging' as control_id,
        account_id,
        region,
        'aws_redshift_cluster' as resource_type,
        cluster_arn as resource_id,
        case when audit_logging_enabled = 'true' then 'pass' else 'fail' end as status,
        case
            when audit_logging_enabled = 'true'
                then 'audit logging is on (destination ' || coalesce(log_destination_type, 'not named') || ')'
            else 'Redshift cluster ' || cluster_identifier
                || ' has audit logging off; enable it to S3 or CloudWatch Logs'
        end as reason,
        'LoggingEnabled=' || coalesce(audit_logging_enabled, 'null') as evidence,
        source_relation,
        synced_at
    from redshift_clusters

),

-- WAF -----------------------------------------------------------------------

waf_classic_logging as (

    select
        'aws_waf_logging' as control_id,
        account_id,
        'global' as region,
        'aws_waf_web_acl' as resource_type,
        web_acl_arn as resource_id,
        case
            when coalesce(log_destination_configs, '[]') not in ('[]', 'null', '') then 'pass'
            else 'fail'
        end as status,
        case
            when coalesce(log_destination_configs, '[]') not in ('[]', 'null', '')
                then 'the WAF Classic web ACL logs to ' || log_destination_configs
            else 'the WAF Classic web ACL ' || web_acl_name
                || ' has no logging configuration; send its logs to a Kinesis Data Firehose stream'
        end as reason,
        'LogDestinationConfigs=' || coalesce(log_destination_configs, 'null') as evidence,
        source_relation,
        synced_at
    from waf_classic_acls

),

wafv2_rules as (

    select
        wafv2_acls.web_acl_arn,
        {{ soc2.json_text('rule_element', ['Name']) }} as rule_name,
        lower({{ soc2.json_text('rule_element', ['VisibilityConfig', 'CloudWatchMetricsEnabled']) }})
            as rule_metrics_enabled
    from wafv2_acls
    {{ soc2.unnest_lateral(soc2.json_as_array('wafv2_acls.rules'), 'rule_element', 'rule_index', 'acl_rules') }}

),

wafv2_rules_without_metrics as (

    select
        web_acl_arn,
        nullif({{ soc2.string_agg_distinct(
            "case when coalesce(rule_metrics_enabled, 'false') != 'true'
                then coalesce(rule_name, '(unnamed)') end", ', ') }}, '') as rule_names
    from wafv2_rules
    group by web_acl_arn

),

wafv2_state as (

    select
        wafv2_acls.*,
        coalesce(wafv2_acls.log_destination_configs, '[]') not in ('[]', 'null', '') as has_logging,
        coalesce(wafv2_acls.metrics_enabled, 'false') = 'true' as has_acl_metrics,
        wafv2_rules_without_metrics.rule_names as rules_without_metrics
    from wafv2_acls
    left join wafv2_rules_without_metrics
        on wafv2_acls.web_acl_arn = wafv2_rules_without_metrics.web_acl_arn

),

wafv2_logging as (

    select
        'aws_waf_logging' as control_id,
        account_id,
        region,
        'aws_wafv2_web_acl' as resource_type,
        web_acl_arn as resource_id,
        case
            when has_logging and has_acl_metrics and rules_without_metrics is null then 'pass'
            else 'fail'
        end as status,
        case
            when not has_logging
                then 'the WAFv2 web ACL ' || web_acl_name
                || ' has no logging configuration; send its logs to CloudWatch Logs, S3 or Firehose'
            when not has_acl_metrics
                then 'the WAFv2 web ACL ' || web_acl_name
                || ' logs but emits no CloudWatch metrics; enable CloudWatchMetricsEnabled on the ACL'
            when rules_without_metrics is not null
                then 'the WAFv2 web ACL ' || web_acl_name
                || ' logs but these rules emit no CloudWatch metrics: ' || rules_without_metrics
                || '; enable CloudWatchMetricsEnabled on each rule'
            else 'the WAFv2 web ACL logs to ' || log_destination_configs
                || ' and it and its rules emit CloudWatch metrics'
        end as reason,
        'logging=' || case when has_logging then 'on' else 'off' end
        || '; acl_metrics=' || case when has_acl_metrics then 'on' else 'off' end
        || '; rules_without_metrics=' || coalesce(rules_without_metrics, 'none') as evidence,
        source_relation,
        synced_at
    from wafv2_state

),

waf_regional_logging as (

    select
        'aws_waf_logging' as control_id,
        account_id,
        region,
        'aws_wafregional_web_acl' as resource_type,
        web_acl_arn as resource_id,
        'not_evaluated' as status,
        'aws_wafregional_web_acls has no logging column, so whether the WAF Classic Regional web ACL '
        || web_acl_name || ' logs cannot be seen; check it in the console or migrate the ACL to WAFv2'
            as reason,
        'no logging column' as evidence,
        source_relation,
        synced_at
    from waf_regional_acls

),

waf_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_waf_logging',
        ['aws_waf_web_acls', 'aws_wafv2_web_acls', 'aws_wafregional_web_acls']) }}

),

-- CloudFront ----------------------------------------------------------------

cloudfront_logging as (

    select
        'aws_cloudfront_logging' as control_id,
        account_id,
        'global' as region,
        'aws_cloudfront_distribution' as resource_type,
        distribution_arn as resource_id,
        case
            when standard_logging_enabled = 'true' or default_realtime_log_config_arn is not null
                then 'pass'
            else 'fail'
        end as status,
        case
            when standard_logging_enabled = 'true'
                then 'standard logging goes to ' || coalesce(standard_logging_bucket, '(bucket not named)')
            when default_realtime_log_config_arn is not null
                then 'the default cache behaviour sends real-time logs to ' || default_realtime_log_config_arn
            else 'distribution ' || distribution_id
                || ' has neither standard logging in its configuration nor a real-time log configuration on its default cache behaviour; enable one'
                || ' (standard-log deliveries set up through CloudWatch Logs, v2, are not synced and cannot be seen here)'
        end as reason,
        'Logging.Enabled=' || coalesce(standard_logging_enabled, 'null')
        || '; RealtimeLogConfigArn=' || coalesce(default_realtime_log_config_arn, 'null') as evidence,
        source_relation,
        synced_at
    from cloudfront_distributions

),

-- OpenSearch ----------------------------------------------------------------

search_domain_state as (

    select
        search_domains.*,
        coalesce(audit_logs_enabled, 'false') = 'true' and audit_logs_group_arn is not null
            as publishes_audit_logs,
        coalesce(application_logs_enabled, 'false') = 'true' and application_logs_group_arn is not null
            as publishes_application_logs
    from search_domains

),

opensearch_logging as (

    select
        'aws_opensearch_logging' as control_id,
        account_id,
        region,
        'aws_opensearch_domain' as resource_type,
        domain_arn as resource_id,
        case when publishes_audit_logs and publishes_application_logs then 'pass' else 'fail' end as status,
        case
            when publishes_audit_logs and publishes_application_logs
                then 'audit and error (application) logs are published to CloudWatch Logs'
            else 'domain ' || domain_name || ' does not publish '
                || concat_ws(' and ',
                    case when not publishes_audit_logs then 'audit logs (AUDIT_LOGS)' end,
                    case when not publishes_application_logs then 'error logs (ES_APPLICATION_LOGS)' end)
                || ' to CloudWatch Logs; enable them in its log publishing options'
        end as reason,
        'AUDIT_LOGS=' || coalesce(audit_logs_enabled, 'null')
        || '; ES_APPLICATION_LOGS=' || coalesce(application_logs_enabled, 'null')
        || '; SEARCH_SLOW_LOGS=' || coalesce(search_slow_logs_enabled, 'null')
        || '; INDEX_SLOW_LOGS=' || coalesce(index_slow_logs_enabled, 'null') as evidence,
        source_relation,
        synced_at
    from search_domain_state

),

-- EKS -----------------------------------------------------------------------

eks_log_settings as (

    select
        eks_clusters.cluster_arn,
        lower({{ soc2.json_text('log_setting', ['Enabled']) }}) as setting_enabled,
        {{ soc2.json_value('log_setting', ['Types']) }} as setting_types
    from eks_clusters
    {{ soc2.unnest_lateral(soc2.json_as_array('eks_clusters.cluster_logging'), 'log_setting', 'setting_index', 'log_settings') }}

),

eks_enabled_log_types as (

    select
        eks_log_settings.cluster_arn,
        {{ soc2.json_element_text('log_type') }} as log_type
    from eks_log_settings
    {{ soc2.unnest_lateral(soc2.json_as_array('eks_log_settings.setting_types'), 'log_type', 'type_index', 'log_types') }}
    where eks_log_settings.setting_enabled = 'true'

),

eks_log_coverage as (

    select
        eks_clusters.cluster_arn,
        concat_ws(', '
            {%- for log_type in ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] %},
            case when max(case when eks_enabled_log_types.log_type = '{{ log_type }}' then 1 else 0 end) = 0
                then '{{ log_type }}' end
            {%- endfor %}
        ) as missing_log_types
    from eks_clusters
    left join eks_enabled_log_types
        on eks_clusters.cluster_arn = eks_enabled_log_types.cluster_arn
    group by eks_clusters.cluster_arn

),

eks_control_plane_logging as (

    select
        'aws_eks_control_plane_logging' as control_id,
        eks_clusters.account_id,
        eks_clusters.region,
        'aws_eks_cluster' as resource_type,
        eks_clusters.cluster_arn as resource_id,
        case when eks_log_coverage.missing_log_types = '' then 'pass' else 'fail' end as status,
        case
            when eks_log_coverage.missing_log_types = ''
                then 'all five control-plane log types are sent to CloudWatch Logs'
            else 'EKS cluster ' || eks_clusters.cluster_name || ' does not log the control-plane types '
                || eks_log_coverage.missing_log_types || '; enable them in the cluster logging configuration'
        end as reason,
        'missing=' || coalesce(nullif(eks_log_coverage.missing_log_types, ''), 'none') as evidence,
        eks_clusters.source_relation,
        eks_clusters.synced_at
    from eks_clusters
    inner join eks_log_coverage
        on eks_clusters.cluster_arn = eks_log_coverage.cluster_arn

),

-- Route 53 ------------------------------------------------------------------

zone_query_logging as (

    select
        hosted_zone_arn,
        {{ soc2.string_agg_distinct('log_group_arn', ', ') }} as log_group_arns
    from query_logging_configs
    group by hosted_zone_arn

),

route53_query_logging as (

    select
        'aws_route53_query_logging' as control_id,
        hosted_zones.account_id,
        'global' as region,
        'aws_route53_hosted_zone' as resource_type,
        hosted_zones.hosted_zone_arn as resource_id,
        case
            when hosted_zones.private_zone = 'true' then 'not_applicable'
            when zone_query_logging.hosted_zone_arn is not null then 'pass'
            else 'fail'
        end as status,
        case
            when hosted_zones.private_zone = 'true'
                then 'private hosted zone: query logging applies to public zones (use Resolver query logging for VPCs)'
            when zone_query_logging.hosted_zone_arn is not null
                then 'DNS queries are logged to ' || zone_query_logging.log_group_arns
            else 'the public hosted zone ' || hosted_zones.zone_name
                || ' has no query logging configuration; create one to a CloudWatch Logs group in us-east-1'
        end as reason,
        'private=' || coalesce(hosted_zones.private_zone, 'null')
        || '; query_logging=' || coalesce(zone_query_logging.log_group_arns, 'none') as evidence,
        hosted_zones.source_relation,
        hosted_zones.synced_at
    from hosted_zones
    left join zone_query_logging
        on hosted_zones.hosted_zone_arn = zone_query_logging.hosted_zone_arn

),

-- ECS -----------------------------------------------------------------------

task_containers as (

    select
        task_definitions.task_definition_arn,
        {{ soc2.json_text('container', ['Name']) }} as container_name,
        nullif({{ soc2.json_text('container', ['LogConfiguration', 'LogDriver']) }}, '') as log_driver
    from task_definitions
    {{ soc2.unnest_lateral(soc2.json_as_array('task_definitions.container_definitions'), 'container', 'container_index', 'containers') }}

),

task_log_coverage as (

    select
        task_definition_arn,
        count(*) as container_count,
        nullif({{ soc2.string_agg_distinct(
            "case when log_driver is null then coalesce(container_name, '(unnamed)') end", ', ') }}, '')
            as containers_without_logs,
        nullif({{ soc2.string_agg_distinct('log_driver', ', ') }}, '') as log_drivers
    from task_containers
    group by task_definition_arn

),

container_task_logging as (

    select
        'aws_container_task_logging' as control_id,
        task_definitions.account_id,
        task_definitions.region,
        'aws_ecs_task_definition' as resource_type,
        task_definitions.task_definition_arn as resource_id,
        case
            when task_log_coverage.task_definition_arn is null then 'not_evaluated'
            when task_log_coverage.containers_without_logs is null then 'pass'
            else 'fail'
        end as status,
        case
            when task_log_coverage.task_definition_arn is null
                then 'the task definition has no container definitions in aws_ecs_task_definitions'
            when task_log_coverage.containers_without_logs is null
                then 'every container has a log driver (' || coalesce(task_log_coverage.log_drivers, '') || ')'
            else 'in task definition ' || task_definitions.task_family || ':'
                || cast(task_definitions.revision as {{ dbt.type_string() }})
                || ' these containers have no log configuration: ' || task_log_coverage.containers_without_logs
                || '; set a logConfiguration (for example awslogs) on each'
        end as reason,
        'containers=' || cast(coalesce(task_log_coverage.container_count, 0) as {{ dbt.type_string() }})
        || '; without_logs=' || coalesce(task_log_coverage.containers_without_logs, 'none') as evidence,
        task_definitions.source_relation,
        task_definitions.synced_at
    from task_definitions
    left join task_log_coverage
        on task_definitions.task_definition_arn = task_log_coverage.task_definition_arn

),

-- Application services ------------------------------------------------------
{%- set app_scope = ' (this control reads AppSync, Athena, CodeBuild, Step Functions, Glue and Amazon MQ;'
    ~ ' Elastic Beanstalk, DataSync, DMS and Bedrock logging are not evaluated)' %}

app_service_logging as (

    select
        'aws_app_service_logging' as control_id,
        account_id,
        region,
        'aws_appsync_graphql_api' as resource_type,
        api_arn as resource_id,
        case when field_log_level in ('ERROR', 'ALL') then 'pass' else 'fail' end as status,
        case
            when field_log_level in ('ERROR', 'ALL')
                then 'the AppSync API logs fields at level ' || field_log_level
            else 'the AppSync API ' || api_name || ' has field-level logging '
                || coalesce(field_log_level, 'not configured') || '; set it to ERROR or ALL'
        end || '{{ app_scope }}' as reason,
        'FieldLogLevel=' || coalesce(field_log_level, 'null') as evidence,
        source_relation,
        synced_at
    from appsync_apis
    union all
    select
        'aws_app_service_logging' as control_id,
        account_id,
        region,
        'aws_athena_work_group' as resource_type,
        work_group_arn as resource_id,
        case when publish_cloudwatch_metrics = 'true' then 'pass' else 'fail' end as status,
        case
            when publish_cloudwatch_metrics = 'true'
                then 'the Athena workgroup publishes query metrics to CloudWatch'
            else 'the Athena workgroup ' || work_group_name
                || ' publishes no query metrics to CloudWatch; turn on PublishCloudWatchMetricsEnabled'
        end || '{{ app_scope }}' as reason,
        'PublishCloudWatchMetricsEnabled=' || coalesce(publish_cloudwatch_metrics, 'null') as evidence,
        source_relation,
        synced_at
    from athena_work_groups
    union all
    select
        'aws_app_service_logging' as control_id,
        account_id,
        region,
        'aws_codebuild_project' as resource_type,
        project_arn as resource_id,
        case
            when cloudwatch_logs_status = 'ENABLED' or s3_logs_status = 'ENABLED' then 'pass'
            else 'fail'
        end as status,
        case
            when cloudwatch_logs_status = 'ENABLED' or s3_logs_status = 'ENABLED'
                then 'the CodeBuild project sends build logs to '
                || concat_ws(' and ',
                    case when cloudwatch_logs_status = 'ENABLED' then 'CloudWatch Logs' end,
                    case when s3_logs_status = 'ENABLED' then 'S3' end)
            else 'the CodeBuild project ' || project_name
                || ' sends build logs nowhere; enable CloudWatch Logs or S3 logs'
        end || '{{ app_scope }}' as reason,
        'CloudWatchLogs=' || coalesce(cloudwatch_logs_status, 'null')
        || '; S3Logs=' || coalesce(s3_logs_status, 'null') as evidence,
        source_relation,
        synced_at
    from codebuild_projects
    union all
    select
        'aws_app_service_logging' as control_id,
        account_id,
        region,
        'aws_stepfunctions_state_machine' as resource_type,
        state_machine_arn as resource_id,
        case when coalesce(logging_level, 'OFF') != 'OFF' then 'pass' else 'fail' end as status,
        case
            when coalesce(logging_level, 'OFF') != 'OFF'
                then 'the state machine logs executions at level ' || logging_level
            else 'the state machine ' || state_machine_name
                || ' has execution logging off; set a logging level (ERROR or ALL) and a log group'
        end || '{{ app_scope }}' as reason,
        'Level=' || coalesce(logging_level, 'null') as evidence,
        source_relation,
        synced_at
    from state_machines
    union all
    select
        'aws_app_service_logging' as control_id,
        account_id,
        region,
        'aws_glue_job' as resource_type,
        job_arn as resource_id,
        case when continuous_cloudwatch_log = 'true' then 'pass' else 'fail' end as status,
        case
            when continuous_cloudwatch_log = 'true'
                then 'the Glue job streams continuous logs to CloudWatch'
            else 'the Glue job ' || job_name
                || ' does not stream continuous logs to CloudWatch; set the job argument --enable-continuous-cloudwatch-log to true'
        end || '{{ app_scope }}' as reason,
        '--enable-continuous-cloudwatch-log=' || coalesce(continuous_cloudwatch_log, 'null') as evidence,
        source_relation,
        synced_at
    from glue_jobs
    union all
    select
        'aws_app_service_logging' as control_id,
        account_id,
        region,
        'aws_mq_broker' as resource_type,
        broker_arn as resource_id,
        case
            when general_logs_enabled = 'true' and coalesce(audit_logs_enabled, 'true') = 'true' then 'pass'
            else 'fail'
        end as status,
        case
            when general_logs_enabled = 'true' and coalesce(audit_logs_enabled, 'true') = 'true'
                then 'the broker publishes its general'
                || case when audit_logs_enabled = 'true' then ' and audit' else '' end
                || ' logs to CloudWatch Logs'
            else 'the Amazon MQ broker ' || broker_name || ' does not publish its '
                || concat_ws(' and ',
                    case when coalesce(general_logs_enabled, 'false') != 'true' then 'general' end,
                    case when audit_logs_enabled = 'false' then 'audit' end)
                || ' logs to CloudWatch Logs; enable them'
        end || '{{ app_scope }}' as reason,
        'General=' || coalesce(general_logs_enabled, 'null')
        || '; Audit=' || coalesce(audit_logs_enabled, 'null') as evidence,
        source_relation,
        synced_at
    from mq_brokers

),

app_service_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_app_service_logging',
        ['aws_appsync_graphql_apis', 'aws_athena_work_groups', 'aws_codebuild_projects',
         'aws_stepfunctions_state_machines', 'aws_glue_jobs', 'aws_mq_brokers']) }}

),

final as (

    select * from classic_access_logging
    union all
    select * from v2_access_logging
    union all
    select * from rest_stage_logging
    union all
    select * from v2_stage_logging
    union all
    select * from apigw_unavailable
    union all
    select * from rds_log_exports
    union all
    select * from rds_log_exports_unavailable
    union all
    select * from redshift_audit_logging
    union all
    select * from waf_classic_logging
    union all
    select * from wafv2_logging
    union all
    select * from waf_regional_logging
    union all
    select * from waf_unavailable
    union all
    select * from cloudfront_logging
    union all
    select * from opensearch_logging
    union all
    select * from eks_control_plane_logging
    union all
    select * from route53_query_logging
    union all
    select * from container_task_logging
    union all
    select * from app_service_logging
    union all
    select * from app_service_unavailable

)

select * from final
{% endcall %}
