-- Encryption in transit: load-balancer listeners (HTTP redirected to HTTPS,
-- Classic LBs on HTTPS/SSL with ACM certificates, TLS 1.2+ policies from var
-- soc2_allowed_tls_policies), CloudFront viewer and origin protocols, ACM
-- certificates not expiring within var soc2_acm_certificate_min_days_to_expiry,
-- OpenSearch HTTPS and node-to-node encryption, Redshift require_ssl, RDS
-- parameter groups forcing TLS (instances and clusters), ElastiCache, DAX and
-- MSK TLS, and Transfer Family servers without plain FTP.
{%- set allowed_policies = var('soc2_allowed_tls_policies', []) or [] %}
{%- set min_days = var('soc2_acm_certificate_min_days_to_expiry', 30) | int %}
{% call soc2.control_family() %}
with listeners as (

    select * from {{ ref('stg_soc2__aws_elbv2_listeners') }}

),

classic_load_balancers as (

    select * from {{ ref('stg_soc2__aws_elbv1_load_balancers') }}

),

classic_policies as (

    select * from {{ ref('stg_soc2__aws_elbv1_load_balancer_policies') }}

),

distributions as (

    select * from {{ ref('stg_soc2__aws_cloudfront_distributions') }}

),

certificates as (

    select * from {{ ref('stg_soc2__aws_acm_certificates') }}

),

search_domains as (

    select * from {{ ref('stg_soc2__aws_elasticsearch_domains') }}

),

redshift_clusters as (

    select * from {{ ref('stg_soc2__aws_redshift_clusters') }}

),

redshift_parameters as (

    select * from {{ ref('stg_soc2__aws_redshift_cluster_parameters') }}

),

rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_clusters as (

    select * from {{ ref('stg_soc2__aws_rds_clusters') }}

),

db_parameter_groups as (

    select * from {{ ref('stg_soc2__aws_rds_db_parameter_groups') }}

),

db_parameters as (

    select * from {{ ref('stg_soc2__aws_rds_db_parameter_group_db_parameters') }}

),

cluster_parameter_groups as (

    select * from {{ ref('stg_soc2__aws_rds_cluster_parameter_groups') }}

),

cluster_parameters as (

    select * from {{ ref('stg_soc2__aws_rds_cluster_parameter_group_parameters') }}

),

replication_groups as (

    select * from {{ ref('stg_soc2__aws_elasticache_replication_groups') }}

),

dax_clusters as (

    select * from {{ ref('stg_soc2__aws_dax_clusters') }}

),

kafka_clusters as (

    select * from {{ ref('stg_soc2__aws_kafka_clusters') }}

),

transfer_servers as (

    select * from {{ ref('stg_soc2__aws_transfer_servers') }}

),

-- ELBv2 listeners ------------------------------------------------------------

listener_actions as (

    select
        listeners.arn as listener_arn,
        count(*) as action_count,
        sum(case
            when lower({{ soc2.json_text('listener_action', ['Type']) }}) = 'redirect'
                and upper({{ soc2.json_text('listener_action', ['RedirectConfig', 'Protocol']) }}) = 'HTTPS'
                then 1 else 0
        end) as https_redirect_count
    from listeners
    {{ soc2.unnest_lateral(soc2.json_as_array('listeners.default_actions'), 'listener_action', 'action_index', 'actions') }}
    group by listeners.arn

),

listener_facts as (

    select
        listeners.account_id,
        listeners.region,
        listeners.arn,
        listeners.load_balancer_arn,
        listeners.port,
        upper(listeners.protocol) as protocol,
        listeners.ssl_policy,
        coalesce(listener_actions.action_count, 0) as action_count,
        coalesce(listener_actions.https_redirect_count, 0) as https_redirect_count,
        listeners.source_relation,
        listeners.synced_at
    from listeners
    left join listener_actions
        on listeners.arn = listener_actions.listener_arn

),

alb_http_redirects_to_https as (

    select
        'aws_alb_http_redirects_to_https' as control_id,
        account_id,
        region,
        'aws_elbv2_listener' as resource_type,
        arn as resource_id,
        case
            when protocol in ('HTTPS', 'TLS') then 'pass'
            when protocol = 'HTTP' and action_count > 0 and https_redirect_count = action_count then 'pass'
            when protocol = 'HTTP' then 'fail'
            when protocol = 'TCP' then 'not_evaluated'
            else 'not_applicable'
        end as status,
        case
            when protocol in ('HTTPS', 'TLS') then 'the listener terminates ' || protocol
            when protocol = 'HTTP' and action_count > 0 and https_redirect_count = action_count
                then 'the HTTP listener redirects every request to HTTPS'
            when protocol = 'HTTP'
                then 'HTTP listener on port ' || cast(port as {{ dbt.type_string() }})
                || ' serves traffic in clear text; make its default action a redirect to HTTPS (or replace it with an HTTPS listener)'
            when protocol = 'TCP'
                then 'TCP listener on port ' || cast(port as {{ dbt.type_string() }})
                || ' passes traffic through: whether the targets terminate TLS cannot be seen; use a TLS listener to decide it here'
            else 'the ' || coalesce(protocol, 'unknown') || ' listener cannot carry TLS'
        end as reason,
        'protocol=' || coalesce(protocol, 'null')
        || '; port=' || coalesce(cast(port as {{ dbt.type_string() }}), 'null')
        || '; default_actions=' || cast(action_count as {{ dbt.type_string() }})
        || '; https_redirects=' || cast(https_redirect_count as {{ dbt.type_string() }}) as evidence,
        source_relation,
        synced_at
    from listener_facts

),

-- Classic load balancers -----------------------------------------------------

classic_listeners as (

    select
        classic_load_balancers.load_balancer_arn,
        listener_index,
        upper({{ soc2.json_text('listener_description', ['Listener', 'Protocol']) }}) as protocol,
        {{ soc2.json_text('listener_description', ['Listener', 'LoadBalancerPort']) }} as port,
        {{ soc2.json_text('listener_description', ['Listener', 'SSLCertificateId']) }} as certificate_id,
        {{ soc2.json_value('listener_description', ['PolicyNames']) }} as policy_names
    from classic_load_balancers
    {{ soc2.unnest_lateral(soc2.json_as_array('classic_load_balancers.listener_descriptions'), 'listener_description', 'listener_index', 'descriptions') }}

),

classic_listener_findings as (

    select
        load_balancer_arn,
        count(*) as listener_count,
        nullif({{ soc2.string_agg_distinct(
            "case when coalesce(protocol, '') not in ('HTTPS', 'SSL') then coalesce(protocol, 'unknown') || ':' || coalesce(port, '?') end", ', ') }}, '')
            as plain_listeners,
        nullif({{ soc2.string_agg_distinct(
            "case when protocol in ('HTTPS', 'SSL') and coalesce(certificate_id, '') not like 'arn:aws%:acm:%' then protocol || ':' || coalesce(port, '?') end", ', ') }}, '')
            as non_acm_listeners
    from classic_listeners
    group by load_balancer_arn

),

clb_tls_listeners as (

    select
        'aws_clb_tls_listeners' as control_id,
        classic_load_balancers.account_id,
        classic_load_balancers.region,
        'aws_elbv1_load_balancer' as resource_type,
        classic_load_balancers.load_balancer_arn as resource_id,
        case
            when classic_listener_findings.load_balancer_arn is null then 'not_evaluated'
            when classic_listener_findings.plain_listeners is not null
                or classic_listener_findings.non_acm_listeners is not null then 'fail'
            else 'pass'
        end as status,
        case
            when classic_listener_findings.load_balancer_arn is null
                then 'the listeners of ' || classic_load_balancers.load_balancer_name || ' were not synced'
            when classic_listener_findings.plain_listeners is not null
                then classic_load_balancers.load_balancer_name || ' has listeners without TLS ('
                || classic_listener_findings.plain_listeners
                || '); replace them with HTTPS or SSL listeners'
            when classic_listener_findings.non_acm_listeners is not null
                then classic_load_balancers.load_balancer_name || ' serves TLS with a certificate not issued or imported in ACM ('
                || classic_listener_findings.non_acm_listeners || '); move the certificate to ACM'
            else 'every listener uses HTTPS or SSL with an ACM certificate'
        end as reason,
        'listeners=' || coalesce(cast(classic_listener_findings.listener_count as {{ dbt.type_string() }}), '0')
        || '; plain=' || coalesce(classic_listener_findings.plain_listeners, 'none')
        || '; non_acm=' || coalesce(classic_listener_findings.non_acm_listeners, 'none') as evidence,
        classic_load_balancers.source_relation,
        classic_load_balancers.synced_at
    from classic_load_balancers
    left join classic_listener_findings
        on classic_load_balancers.load_balancer_arn = classic_listener_findings.load_balancer_arn

),

-- TLS policies ---------------------------------------------------------------

classic_listener_policies as (

    select
        classic_listeners.load_balancer_arn,
        classic_listeners.protocol || ':' || coalesce(classic_listeners.port, '?') as listener_label,
        {{ soc2.json_element_text('policy_name') }} as policy_name
    from classic_listeners
    {{ soc2.unnest_lateral(soc2.json_as_array('classic_listeners.policy_names'), 'policy_name', 'policy_index', 'policy_list') }}
    where classic_listeners.protocol in ('HTTPS', 'SSL')

),

negotiation_policies as (

    select
        load_balancer_arn,
        policy_name,
        {{ soc2.json_element_text(soc2.json_value_at_key('policy_attribute_descriptions', "'Reference-Security-Policy'")) }}
            as reference_policy,
        lower(coalesce({{ soc2.json_element_text(soc2.json_value_at_key('policy_attribute_descriptions', "'Protocol-SSLv3'")) }}, 'false'))
            as allows_sslv3,
        lower(coalesce({{ soc2.json_element_text(soc2.json_value_at_key('policy_attribute_descriptions', "'Protocol-TLSv1'")) }}, 'false'))
            as allows_tlsv1,
        lower(coalesce({{ soc2.json_element_text(soc2.json_value_at_key('policy_attribute_descriptions', "'Protocol-TLSv1.1'")) }}, 'false'))
            as allows_tlsv1_1,
        lower(coalesce({{ soc2.json_element_text(soc2.json_value_at_key('policy_attribute_descriptions', "'Protocol-TLSv1.2'")) }}, 'false'))
            as allows_tlsv1_2
    from classic_policies
    where policy_type_name = 'SSLNegotiationPolicyType'

),

classic_tls_verdicts as (

    select
        classic_listener_policies.load_balancer_arn,
        classic_listener_policies.listener_label,
        negotiation_policies.policy_name,
        negotiation_policies.reference_policy,
        case
            when negotiation_policies.policy_name is null then null
            {%- if allowed_policies %}
            when negotiation_policies.reference_policy in (
                {%- for policy in allowed_policies %}'{{ policy }}'{{ ', ' if not loop.last }}{% endfor -%}
            ) then true
            {%- endif %}
            when negotiation_policies.reference_policy is not null then false
            when negotiation_policies.allows_sslv3 = 'false'
                and negotiation_policies.allows_tlsv1 = 'false'
                and negotiation_policies.allows_tlsv1_1 = 'false'
                and negotiation_policies.allows_tlsv1_2 = 'true' then true
            else false
        end as is_secure
    from classic_listener_policies
    left join negotiation_policies
        on classic_listener_policies.load_balancer_arn = negotiation_policies.load_balancer_arn
        and classic_listener_policies.policy_name = negotiation_policies.policy_name

),

classic_tls_findings as (

    select
        load_balancer_arn,
        max(case when is_secure then 1 else 0 end) as has_secure,
        nullif({{ soc2.string_agg_distinct(
            "case when is_secure = false then listener_label || ' (' || coalesce(reference_policy, 'custom ' || policy_name) || ')' end", ', ') }}, '')
            as insecure_listeners,
        {{ soc2.string_agg_distinct("coalesce(reference_policy, policy_name)", ', ') }} as policies
    from classic_tls_verdicts
    group by load_balancer_arn

),

classic_tls_listener_sets as (

    select
        load_balancer_arn,
        {{ soc2.string_agg_distinct("protocol || ':' || coalesce(port, '?')", ', ') }} as tls_listeners
    from classic_listeners
    where protocol in ('HTTPS', 'SSL')
    group by load_balancer_arn

),

elb_secure_tls_policy__elbv2 as (

    select
        'aws_elb_secure_tls_policy' as control_id,
        account_id,
        region,
        'aws_elbv2_listener' as resource_type,
        arn as resource_id,
        case
            when coalesce(protocol, '') not in ('HTTPS', 'TLS') then 'not_applicable'
            {%- if not allowed_policies %}
            else 'not_evaluated'
            {%- else %}
            when ssl_policy in (
                {%- for policy in allowed_policies %}'{{ policy }}'{{ ', ' if not loop.last }}{% endfor -%}
            ) then 'pass'
            else 'fail'
            {%- endif %}
        end as status,
        case
            when coalesce(protocol, '') not in ('HTTPS', 'TLS')
                then 'the ' || coalesce(protocol, 'unknown') || ' listener negotiates no TLS'
            {%- if not allowed_policies %}
            else 'the var soc2_allowed_tls_policies is empty: name the TLS policies to accept'
            {%- else %}
            when ssl_policy in (
                {%- for policy in allowed_policies %}'{{ policy }}'{{ ', ' if not loop.last }}{% endfor -%}
            ) then 'the listener uses ' || ssl_policy || ', an accepted TLS 1.2+ policy'
            else 'the ' || protocol || ' listener on port ' || cast(port as {{ dbt.type_string() }}) || ' uses '
                || coalesce(ssl_policy, 'no named policy')
                || ', not in soc2_allowed_tls_policies; switch it to a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06'
            {%- endif %}
        end as reason,
        'protocol=' || coalesce(protocol, 'null') || '; ssl_policy=' || coalesce(ssl_policy, 'null') as evidence,
        source_relation,
        synced_at
    from listener_facts

),

elb_secure_tls_policy__classic as (

    select
        'aws_elb_secure_tls_policy' as control_id,
        classic_load_balancers.account_id,
        classic_load_balancers.region,
        'aws_elbv1_load_balancer' as resource_type,
        classic_load_balancers.load_balancer_arn as resource_id,
        case
            when classic_load_balancers.listener_descriptions is null then 'not_evaluated'
            when classic_tls_listener_sets.load_balancer_arn is null then 'not_applicable'
            {%- if not allowed_policies %}
            else 'not_evaluated'
            {%- else %}
            when classic_tls_findings.insecure_listeners is not null then 'fail'
            when coalesce(classic_tls_findings.has_secure, 0) = 0 then 'not_evaluated'
            else 'pass'
            {%- endif %}
        end as status,
        case
            when classic_load_balancers.listener_descriptions is null
                then 'the listeners of ' || classic_load_balancers.load_balancer_name || ' were not synced'
            when classic_tls_listener_sets.load_balancer_arn is null
                then classic_load_balancers.load_balancer_name || ' has no HTTPS or SSL listener'
            {%- if not allowed_policies %}
            else 'the var soc2_allowed_tls_policies is empty: name the TLS policies to accept'
            {%- else %}
            when classic_tls_findings.insecure_listeners is not null
                then classic_load_balancers.load_balancer_name || ' negotiates TLS below 1.2 or with a policy outside soc2_allowed_tls_policies on '
                || classic_tls_findings.insecure_listeners
                || '; attach an SSL negotiation policy referencing ELBSecurityPolicy-TLS-1-2-2017-01 or newer'
            when coalesce(classic_tls_findings.has_secure, 0) = 0
                then 'the SSL negotiation policy of ' || classic_load_balancers.load_balancer_name || ' was not synced'
            else 'every HTTPS/SSL listener negotiates TLS 1.2+ only'
            {%- endif %}
        end as reason,
        'tls_listeners=' || coalesce(classic_tls_listener_sets.tls_listeners, 'none')
        || '; policies=' || coalesce(classic_tls_findings.policies, 'none') as evidence,
        classic_load_balancers.source_relation,
        classic_load_balancers.synced_at
    from classic_load_balancers
    left join classic_tls_listener_sets
        on classic_load_balancers.load_balancer_arn = classic_tls_listener_sets.load_balancer_arn
    left join classic_tls_findings
        on classic_load_balancers.load_balancer_arn = classic_tls_findings.load_balancer_arn

),

-- CloudFront -----------------------------------------------------------------

cache_behaviours as (

    select
        distributions.distribution_arn,
        {{ soc2.json_text('behaviour', ['PathPattern']) }} as path_pattern,
        lower({{ soc2.json_text('behaviour', ['ViewerProtocolPolicy']) }}) as viewer_protocol_policy
    from distributions
    {{ soc2.unnest_lateral(soc2.json_as_array(soc2.json_value('distributions.distribution_config', ['CacheBehaviors', 'Items'])), 'behaviour', 'behaviour_index', 'behaviours') }}

),

origins as (

    select
        distributions.distribution_arn,
        {{ soc2.json_text('origin', ['Id']) }} as origin_id,
        lower({{ soc2.json_text('origin', ['CustomOriginConfig', 'OriginProtocolPolicy']) }}) as origin_protocol_policy,
        {{ soc2.json_text('origin', ['CustomOriginConfig', 'OriginSslProtocols', 'Items']) }} as origin_ssl_protocols
    from distributions
    {{ soc2.unnest_lateral(soc2.json_as_array(soc2.json_value('distributions.distribution_config', ['Origins', 'Items'])), 'origin', 'origin_index', 'origin_list') }}

),

distribution_facts as (

    select
        distributions.account_id,
        distributions.distribution_arn,
        distributions.distribution_id,
        distributions.distribution_config,
        lower({{ soc2.json_text('distributions.distribution_config', ['DefaultCacheBehavior', 'ViewerProtocolPolicy']) }})
            as default_viewer_protocol_policy,
        distributions.source_relation,
        distributions.synced_at
    from distributions

),

behaviour_findings as (

    select
        distribution_arn,
        {{ soc2.string_agg_distinct("path_pattern", ', ') }} as allow_all_paths
    from cache_behaviours
    where viewer_protocol_policy = 'allow-all'
    group by distribution_arn

),

origin_findings as (

    select
        distribution_arn,
        nullif({{ soc2.string_agg_distinct(
            "case when origin_protocol_policy = 'http-only' then origin_id end", ', ') }}, '') as http_only_origins,
        nullif({{ soc2.string_agg_distinct(
            "case when origin_ssl_protocols like '%\"SSLv3\"%' then origin_id end", ', ') }}, '') as sslv3_origins
    from origins
    group by distribution_arn

),

cloudfront_https_only as (

    select
        'aws_cloudfront_https_only' as control_id,
        distribution_facts.account_id,
        'global' as region,
        'aws_cloudfront_distribution' as resource_type,
        distribution_facts.distribution_arn as resource_id,
        case
            when distribution_facts.default_viewer_protocol_policy is null then 'not_evaluated'
            when distribution_facts.default_viewer_protocol_policy = 'allow-all'
                or behaviour_findings.allow_all_paths is not null
                or origin_findings.http_only_origins is not null
                or origin_findings.sslv3_origins is not null then 'fail'
            else 'pass'
        end as status,
        case
            when distribution_facts.default_viewer_protocol_policy is null
                then 'the cache behaviours of distribution ' || distribution_facts.distribution_id || ' were not synced'
            when distribution_facts.default_viewer_protocol_policy = 'allow-all'
                or behaviour_findings.allow_all_paths is not null
                then 'distribution ' || distribution_facts.distribution_id || ' serves viewers over HTTP ('
                || case when distribution_facts.default_viewer_protocol_policy = 'allow-all' then 'default behaviour' else '' end
                || case
                    when distribution_facts.default_viewer_protocol_policy = 'allow-all'
                        and behaviour_findings.allow_all_paths is not null then ', '
                    else ''
                end
                || coalesce('paths ' || behaviour_findings.allow_all_paths, '')
                || '); set the viewer protocol policy to redirect-to-https or https-only'
            when origin_findings.http_only_origins is not null
                then 'distribution ' || distribution_facts.distribution_id || ' reaches origins over HTTP only ('
                || origin_findings.http_only_origins || '); set their origin protocol policy to https-only'
            when origin_findings.sslv3_origins is not null
                then 'distribution ' || distribution_facts.distribution_id || ' allows SSLv3 to origins ('
                || origin_findings.sslv3_origins || '); remove SSLv3 from their origin SSL protocols'
            else 'viewers and custom origins are reached over HTTPS only'
        end as reason,
        'default_viewer_policy=' || coalesce(distribution_facts.default_viewer_protocol_policy, 'null')
        || '; allow_all_paths=' || coalesce(behaviour_findings.allow_all_paths, 'none')
        || '; http_only_origins=' || coalesce(origin_findings.http_only_origins, 'none')
        || '; sslv3_origins=' || coalesce(origin_findings.sslv3_origins, 'none') as evidence,
        distribution_facts.source_relation,
        distribution_facts.synced_at
    from distribution_facts
    left join behaviour_findings
        on distribution_facts.distribution_arn = behaviour_findings.distribution_arn
    left join origin_findings
        on distribution_facts.distribution_arn = origin_findings.distribution_arn

),

-- ACM ------------------------------------------------------------------------

certificate_facts as (

    select
        account_id,
        region,
        arn,
        domain_name,
        upper(status) as certificate_status,
        not_after,
        -{{ soc2.days_before_as_of('not_after') }} as days_to_expiry,
        coalesce({{ soc2.json_to_text('in_use_by') }}, '[]') not in ('[]', '') as is_in_use,
        source_relation,
        synced_at
    from certificates

),

acm_certificate_not_expiring as (

    select
        'aws_acm_certificate_not_expiring' as control_id,
        account_id,
        region,
        'aws_acm_certificate' as resource_type,
        arn as resource_id,
        case
            when coalesce(certificate_status, '') not in ('ISSUED', 'EXPIRED') then 'not_applicable'
            when not is_in_use then 'not_applicable'
            when days_to_expiry is null then 'not_evaluated'
            when days_to_expiry < {{ min_days }} then 'fail'
            else 'pass'
        end as status,
        case
            when coalesce(certificate_status, '') not in ('ISSUED', 'EXPIRED')
                then 'certificate for ' || coalesce(domain_name, arn) || ' is ' || coalesce(certificate_status, 'in an unknown state') || ', not serving traffic'
            when not is_in_use
                then 'certificate for ' || coalesce(domain_name, arn) || ' is not associated with any resource'
            when days_to_expiry is null then 'the expiry date of the certificate was not synced'
            when days_to_expiry < 0
                then 'certificate for ' || domain_name || ' expired on ' || {{ soc2.date_text('not_after') }}
                || ' and is still in use; renew or reimport it and replace it on the resources using it'
            when days_to_expiry < {{ min_days }}
                then 'certificate for ' || domain_name || ' expires on ' || {{ soc2.date_text('not_after') }}
                || ', in ' || cast(days_to_expiry as {{ dbt.type_string() }})
                || ' days (minimum {{ min_days }}); renew or reimport it'
            else 'the certificate is valid for at least {{ min_days }} more days'
        end as reason,
        'status=' || coalesce(certificate_status, 'null')
        || '; not_after=' || coalesce({{ soc2.date_text('not_after') }}, 'null')
        || '; in_use=' || cast(is_in_use as {{ dbt.type_string() }}) as evidence,
        source_relation,
        synced_at
    from certificate_facts

),

-- OpenSearch -----------------------------------------------------------------

search_domain_facts as (

    select
        account_id,
        region,
        domain_arn,
        domain_name,
        lower({{ soc2.json_text('domain_endpoint_options', ['EnforceHTTPS']) }}) as enforce_https,
        {{ soc2.json_text('domain_endpoint_options', ['TLSSecurityPolicy']) }} as tls_security_policy,
        lower({{ soc2.json_text('node_to_node_encryption_options', ['Enabled']) }}) as node_to_node_enabled,
        source_relation,
        synced_at
    from search_domains

),

opensearch_tls as (

    select
        'aws_opensearch_tls' as control_id,
        account_id,
        region,
        'aws_elasticsearch_domain' as resource_type,
        domain_arn as resource_id,
        case
            when enforce_https is null and node_to_node_enabled is null then 'not_evaluated'
            when coalesce(enforce_https, 'false') = 'true'
                and coalesce(tls_security_policy, '') like 'Policy-Min-TLS-1-2%'
                and coalesce(node_to_node_enabled, 'false') = 'true' then 'pass'
            else 'fail'
        end as status,
        case
            when enforce_https is null and node_to_node_enabled is null
                then 'the endpoint and node-to-node encryption options of ' || domain_name || ' were not synced'
            when coalesce(enforce_https, 'false') = 'true'
                and coalesce(tls_security_policy, '') like 'Policy-Min-TLS-1-2%'
                and coalesce(node_to_node_enabled, 'false') = 'true'
                then 'HTTPS is enforced with a TLS 1.2+ policy and node-to-node traffic is encrypted'
            else 'domain ' || domain_name || ':'
                || case when coalesce(enforce_https, 'false') <> 'true' then ' HTTPS is not enforced;' else '' end
                || case
                    when coalesce(tls_security_policy, '') not like 'Policy-Min-TLS-1-2%'
                        then ' the TLS policy ' || coalesce(tls_security_policy, '(none)') || ' allows TLS below 1.2;'
                    else ''
                end
                || case when coalesce(node_to_node_enabled, 'false') <> 'true' then ' node-to-node encryption is off;' else '' end
                || ' require HTTPS with Policy-Min-TLS-1-2-2019-07 or newer and enable node-to-node encryption'
        end as reason,
        'EnforceHTTPS=' || coalesce(enforce_https, 'null')
        || '; TLSSecurityPolicy=' || coalesce(tls_security_policy, 'null')
        || '; NodeToNodeEncryption=' || coalesce(node_to_node_enabled, 'null') as evidence,
        source_relation,
        synced_at
    from search_domain_facts

),

-- Redshift -------------------------------------------------------------------

redshift_ssl as (

    select
        cluster_arn,
        count(*) as parameter_count,
        max(case when parameter_name = 'require_ssl' then lower(parameter_value) end) as require_ssl
    from redshift_parameters
    group by cluster_arn

),

redshift_require_tls as (

    select
        'aws_redshift_require_tls' as control_id,
        redshift_clusters.account_id,
        redshift_clusters.region,
        'aws_redshift_cluster' as resource_type,
        redshift_clusters.cluster_arn as resource_id,
        case
            when redshift_ssl.cluster_arn is null then 'not_evaluated'
            when redshift_ssl.require_ssl = 'true' then 'pass'
            else 'fail'
        end as status,
        case
            when redshift_ssl.cluster_arn is null
                then 'the parameters of cluster ' || redshift_clusters.cluster_identifier || ' were not synced'
            when redshift_ssl.require_ssl = 'true' then 'the parameter group sets require_ssl=true'
            else 'cluster ' || redshift_clusters.cluster_identifier || ' accepts connections without TLS (require_ssl='
                || coalesce(redshift_ssl.require_ssl, 'unset')
                || '); set require_ssl=true in a custom parameter group attached to it'
        end as reason,
        'require_ssl=' || coalesce(redshift_ssl.require_ssl, 'null') as evidence,
        redshift_clusters.source_relation,
        redshift_clusters.synced_at
    from redshift_clusters
    left join redshift_ssl
        on redshift_clusters.cluster_arn = redshift_ssl.cluster_arn

),

-- RDS ------------------------------------------------------------------------

instance_parameter_group_names as (

    select
        rds_instances.db_instance_arn,
        min({{ soc2.json_text('parameter_group', ['DBParameterGroupName']) }}) as parameter_group_name
    from rds_instances
    {{ soc2.unnest_lateral(soc2.json_as_array('rds_instances.db_parameter_groups'), 'parameter_group', 'group_index', 'instance_groups') }}
    group by rds_instances.db_instance_arn

),

db_tls_parameters as (

    select
        db_parameter_groups.account_id,
        db_parameter_groups.region,
        db_parameter_groups.db_parameter_group_name as parameter_group_name,
        count(db_parameters.parameter_name) as parameter_count,
        max(case when db_parameters.parameter_name = 'rds.force_ssl' then 1 else 0 end) as has_force_ssl,
        max(case when db_parameters.parameter_name = 'rds.force_ssl' then lower(db_parameters.parameter_value) end) as force_ssl,
        max(case when db_parameters.parameter_name = 'require_secure_transport' then 1 else 0 end) as has_secure_transport,
        max(case
            when db_parameters.parameter_name = 'require_secure_transport' then lower(db_parameters.parameter_value)
        end) as secure_transport
    from db_parameter_groups
    left join db_parameters
        on db_parameter_groups.arn = db_parameters.db_parameter_group_arn
    group by db_parameter_groups.account_id, db_parameter_groups.region, db_parameter_groups.db_parameter_group_name

),

cluster_tls_parameters as (

    select
        cluster_parameter_groups.account_id,
        cluster_parameter_groups.region,
        cluster_parameter_groups.db_cluster_parameter_group_name as parameter_group_name,
        count(cluster_parameters.parameter_name) as parameter_count,
        max(case when cluster_parameters.parameter_name = 'rds.force_ssl' then 1 else 0 end) as has_force_ssl,
        max(case when cluster_parameters.parameter_name = 'rds.force_ssl' then lower(cluster_parameters.parameter_value) end) as force_ssl,
        max(case when cluster_parameters.parameter_name = 'require_secure_transport' then 1 else 0 end) as has_secure_transport,
        max(case
            when cluster_parameters.parameter_name = 'require_secure_transport' then lower(cluster_parameters.parameter_value)
        end) as secure_transport
    from cluster_parameter_groups
    left join cluster_parameters
        on cluster_parameter_groups.arn = cluster_parameters.cluster_parameter_group_arn
    group by
        cluster_parameter_groups.account_id,
        cluster_parameter_groups.region,
        cluster_parameter_groups.db_cluster_parameter_group_name

),

rds_databases as (

    select
        'aws_rds_require_tls__instance' as control_id,
        rds_instances.account_id,
        rds_instances.region,
        'aws_rds_instance' as resource_type,
        rds_instances.db_instance_arn as resource_id,
        'instance' as database_kind,
        rds_instances.db_instance_identifier as identifier,
        rds_instances.db_cluster_identifier as member_of_cluster,
        rds_instances.engine,
        instance_parameter_group_names.parameter_group_name,
        db_tls_parameters.parameter_group_name as found_group_name,
        db_tls_parameters.parameter_count,
        db_tls_parameters.has_force_ssl,
        db_tls_parameters.force_ssl,
        db_tls_parameters.has_secure_transport,
        db_tls_parameters.secure_transport,
        rds_instances.source_relation,
        rds_instances.synced_at
    from rds_instances
    left join instance_parameter_group_names
        on rds_instances.db_instance_arn = instance_parameter_group_names.db_instance_arn
    left join db_tls_parameters
        on rds_instances.account_id = db_tls_parameters.account_id
        and rds_instances.region = db_tls_parameters.region
        and instance_parameter_group_names.parameter_group_name = db_tls_parameters.parameter_group_name
    union all
    select
        'aws_rds_require_tls__cluster' as control_id,
        rds_clusters.account_id,
        rds_clusters.region,
        'aws_rds_cluster' as resource_type,
        rds_clusters.db_cluster_arn as resource_id,
        'cluster' as database_kind,
        rds_clusters.db_cluster_identifier as identifier,
        cast(null as {{ dbt.type_string() }}) as member_of_cluster,
        rds_clusters.engine,
        rds_clusters.db_cluster_parameter_group as parameter_group_name,
        cluster_tls_parameters.parameter_group_name as found_group_name,
        cluster_tls_parameters.parameter_count,
        cluster_tls_parameters.has_force_ssl,
        cluster_tls_parameters.force_ssl,
        cluster_tls_parameters.has_secure_transport,
        cluster_tls_parameters.secure_transport,
        rds_clusters.source_relation,
        rds_clusters.synced_at
    from rds_clusters
    left join cluster_tls_parameters
        on rds_clusters.account_id = cluster_tls_parameters.account_id
        and rds_clusters.region = cluster_tls_parameters.region
        and rds_clusters.db_cluster_parameter_group = cluster_tls_parameters.parameter_group_name

),

rds_tls_facts as (

    select
        *,
        case
            when engine like 'postgres%' or engine like 'aurora-postgresql%' or engine like 'sqlserver%' then 'rds.force_ssl'
            when engine in ('mysql', 'mariadb', 'aurora') or engine like 'aurora-mysql%' then 'require_secure_transport'
        end as tls_parameter,
        case
            when engine like 'postgres%' or engine like 'aurora-postgresql%' or engine like 'sqlserver%' then has_force_ssl
            else has_secure_transport
        end as has_tls_parameter,
        case
            when engine like 'postgres%' or engine like 'aurora-postgresql%' or engine like 'sqlserver%' then force_ssl
            else secure_transport
        end as tls_value
    from rds_databases

),

rds_require_tls as (

    select
        control_id,
        account_id,
        region,
        resource_type,
        resource_id,
        case
            when member_of_cluster is not null then 'not_applicable'
            when engine in ('docdb', 'neptune') then 'not_applicable'
            when tls_parameter is null then 'not_evaluated'
            when parameter_group_name is null or found_group_name is null then 'not_evaluated'
            when coalesce(has_tls_parameter, 0) = 0 then 'not_evaluated'
            when tls_value in ('1', 'on', 'true') then 'pass'
            else 'fail'
        end as status,
        case
            when member_of_cluster is not null
                then 'instance ' || identifier || ' belongs to cluster ' || member_of_cluster
                || ', whose cluster parameter group is evaluated'
            when engine in ('docdb', 'neptune')
                then 'cluster ' || identifier || ' runs ' || engine || ', not an RDS database engine'
            when tls_parameter is null
                then 'TLS enforcement for engine ' || coalesce(engine, 'unknown')
                || ' is not set by a parameter the package reads (Oracle uses the SSL option of an option group; Db2 and custom engines their own settings), so it cannot be decided here'
            when parameter_group_name is null
                then 'the parameter group of ' || database_kind || ' ' || identifier || ' was not synced'
            when found_group_name is null
                then 'parameter group ' || parameter_group_name || ' of ' || database_kind || ' ' || identifier || ' was not synced'
            when coalesce(has_tls_parameter, 0) = 0
                then 'parameter ' || tls_parameter || ' of group ' || parameter_group_name || ' was not synced'
            when tls_value in ('1', 'on', 'true')
                then 'parameter group ' || parameter_group_name || ' sets ' || tls_parameter || '=' || tls_value
            else database_kind || ' ' || identifier || ' (' || engine || ') accepts unencrypted connections: '
                || tls_parameter || '=' || coalesce(nullif(tls_value, ''), 'unset') || ' in parameter group '
                || parameter_group_name || '; set ' || tls_parameter || ' to 1 in a custom parameter group'
        end as reason,
        'engine=' || coalesce(engine, 'null')
        || '; parameter_group=' || coalesce(parameter_group_name, 'null')
        || '; ' || coalesce(tls_parameter, 'tls_parameter') || '=' || coalesce(nullif(tls_value, ''), 'unset') as evidence,
        source_relation,
        synced_at
    from rds_tls_facts

),

-- Caches and streams ---------------------------------------------------------

cache_stream_tls__elasticache as (

    select
        'aws_cache_stream_tls__elasticache' as control_id,
        account_id,
        region,
        'aws_elasticache_replication_group' as resource_type,
        arn as resource_id,
        case
            when transit_encryption_enabled is null then 'not_evaluated'
            when transit_encryption_enabled then 'pass'
            else 'fail'
        end as status,
        case
            when transit_encryption_enabled is null then 'the in-transit encryption setting was not synced'
            when transit_encryption_enabled then 'in-transit encryption (TLS) is enabled'
            else 'replication group ' || replication_group_id
                || ' accepts unencrypted connections; enable in-transit encryption (transit encryption mode required)'
        end as reason,
        'TransitEncryptionEnabled=' || coalesce(cast(transit_encryption_enabled as {{ dbt.type_string() }}), 'null') as evidence,
        source_relation,
        synced_at
    from replication_groups

),

cache_stream_tls__dax as (

    select
        'aws_cache_stream_tls__dax' as control_id,
        account_id,
        region,
        'aws_dax_cluster' as resource_type,
        arn as resource_id,
        case
            when cluster_endpoint_encryption_type is null then 'not_evaluated'
            when upper(cluster_endpoint_encryption_type) = 'TLS' then 'pass'
            else 'fail'
        end as status,
        case
            when cluster_endpoint_encryption_type is null then 'the endpoint encryption type was not synced'
            when upper(cluster_endpoint_encryption_type) = 'TLS' then 'the cluster endpoint requires TLS'
            else 'DAX cluster ' || cluster_name
                || ' has an unencrypted endpoint; recreate it with cluster endpoint encryption TLS'
        end as reason,
        'ClusterEndpointEncryptionType=' || coalesce(cluster_endpoint_encryption_type, 'null') as evidence,
        source_relation,
        synced_at
    from dax_clusters

),

kafka_facts as (

    select
        account_id,
        {{ soc2.list_item('arn', ':', 4) }} as region,
        arn,
        cluster_name,
        upper(cluster_type) as cluster_type,
        upper({{ soc2.json_text('provisioned', ['EncryptionInfo', 'EncryptionInTransit', 'ClientBroker']) }}) as client_broker,
        lower({{ soc2.json_text('provisioned', ['EncryptionInfo', 'EncryptionInTransit', 'InCluster']) }}) as in_cluster,
        source_relation,
        synced_at
    from kafka_clusters

),

cache_stream_tls__msk as (

    select
        'aws_cache_stream_tls__msk' as control_id,
        account_id,
        region,
        'aws_msk_cluster' as resource_type,
        arn as resource_id,
        case
            when cluster_type = 'SERVERLESS' then 'pass'
            when client_broker is null then 'not_evaluated'
            when client_broker = 'TLS' and coalesce(in_cluster, 'true') = 'true' then 'pass'
            else 'fail'
        end as status,
        case
            when cluster_type = 'SERVERLESS' then 'serverless MSK clusters always use TLS'
            when client_broker is null then 'the in-transit encryption settings of ' || cluster_name || ' were not synced'
            when client_broker = 'TLS' and coalesce(in_cluster, 'true') = 'true'
                then 'clients and brokers communicate over TLS only'
            else 'MSK cluster ' || cluster_name || ' allows'
                || case when client_broker <> 'TLS' then ' client traffic in plaintext (ClientBroker=' || client_broker || ')' else '' end
                || case when in_cluster = 'false' then ' unencrypted traffic between brokers' else '' end
                || '; set ClientBroker to TLS and enable in-cluster encryption'
        end as reason,
        'cluster_type=' || coalesce(cluster_type, 'null')
        || '; ClientBroker=' || coalesce(client_broker, 'null')
        || '; InCluster=' || coalesce(in_cluster, 'null') as evidence,
        source_relation,
        synced_at
    from kafka_facts

),

-- Transfer Family ------------------------------------------------------------

transfer_no_plain_ftp as (

    select
        'aws_transfer_no_plain_ftp' as control_id,
        account_id,
        region,
        'aws_transfer_server' as resource_type,
        arn as resource_id,
        case
            when protocols is null then 'not_evaluated'
            when {{ soc2.json_to_text('protocols') }} like '%"FTP"%' then 'fail'
            else 'pass'
        end as status,
        case
            when protocols is null then 'the protocols of server ' || server_id || ' were not synced'
            when {{ soc2.json_to_text('protocols') }} like '%"FTP"%'
                then 'server ' || server_id
                || ' accepts plain FTP, which sends credentials and data unencrypted; remove FTP and use SFTP or FTPS'
            else 'the server does not offer plain FTP'
        end as reason,
        'protocols=' || coalesce({{ soc2.json_to_text('protocols') }}, 'null') as evidence,
        source_relation,
        synced_at
    from transfer_servers

),

final as (

    select * from alb_http_redirects_to_https
    union all
    select * from clb_tls_listeners
    union all
    select * from elb_secure_tls_policy__elbv2
    union all
    select * from elb_secure_tls_policy__classic
    union all
    select * from cloudfront_https_only
    union all
    select * from acm_certificate_not_expiring
    union all
    select * from opensearch_tls
    union all
    select * from redshift_require_tls
    union all
    select
        control_id, account_id, region, resource_type, resource_id,
        status, reason, evidence, source_relation, synced_at
    from rds_require_tls
    union all
    select * from cache_stream_tls__elasticache
    union all
    select * from cache_stream_tls__dax
    union all
    select * from cache_stream_tls__msk
    union all
    select * from transfer_no_plain_ftp

)

select * from final
{% endcall %}
