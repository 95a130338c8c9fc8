-- Edge protection: internet-facing application load balancers, API Gateway
-- REST stages and CloudFront distributions have a WAF web ACL (WAFv2 or WAF
-- Classic), and application load balancers drop invalid HTTP header fields
-- and do not run desync mitigation in monitor mode.
{% call soc2.control_family() %}
with load_balancers as (

    select * from {{ ref('stg_soc2__aws_elbv2_load_balancers') }}

),

load_balancer_attributes as (

    select * from {{ ref('stg_soc2__aws_elbv2_load_balancer_attributes') }}

),

load_balancer_web_acls as (

    select * from {{ ref('stg_soc2__aws_elbv2_load_balancer_web_acls') }}

),

wafv2_web_acls as (

    select * from {{ ref('stg_soc2__aws_wafv2_web_acls') }}

),

wafregional_web_acls as (

    select * from {{ ref('stg_soc2__aws_wafregional_web_acls') }}

),

rest_api_stages as (

    select * from {{ ref('stg_soc2__aws_apigateway_rest_api_stages') }}

),

distributions as (

    select * from {{ ref('stg_soc2__aws_cloudfront_distributions') }}

),

-- the resources each WAFv2 or WAF Classic Regional web ACL names
acl_protected_resources as (

    select
        wafv2_web_acls.web_acl_name,
        {{ soc2.json_element_text('protected_resource') }} as resource_arn
    from wafv2_web_acls
    {{ soc2.unnest_lateral(soc2.json_as_array('wafv2_web_acls.resources_for_web_acl'), 'protected_resource', 'resource_index', 'v2_resources') }}
    union all
    select
        wafregional_web_acls.web_acl_name,
        {{ soc2.json_element_text('protected_resource') }} as resource_arn
    from wafregional_web_acls
    {{ soc2.unnest_lateral(soc2.json_as_array('wafregional_web_acls.resources_for_web_acl'), 'protected_resource', 'resource_index', 'regional_resources') }}

),

load_balancer_acls as (

    select
        load_balancer_arn,
        min(name) as web_acl_name
    from (
        select load_balancer_arn, name from load_balancer_web_acls
        union all
        select resource_arn as load_balancer_arn, web_acl_name as name from acl_protected_resources
    ) as associations
    group by load_balancer_arn

),

waf_on_public_endpoints__alb as (

    select
        'aws_waf_on_public_endpoints__alb' as control_id,
        load_balancers.account_id,
        load_balancers.region,
        'aws_elbv2_load_balancer' as resource_type,
        load_balancers.load_balancer_arn as resource_id,
        case
            when coalesce(load_balancers.load_balancer_type, '') <> 'application' then 'not_applicable'
            when coalesce(load_balancers.scheme, '') <> 'internet-facing' then 'not_applicable'
            when load_balancer_acls.load_balancer_arn is not null then 'pass'
            else 'fail'
        end as status,
        case
            when coalesce(load_balancers.load_balancer_type, '') <> 'application'
                then 'a ' || coalesce(load_balancers.load_balancer_type, 'unknown') || ' load balancer cannot carry a WAF web ACL'
            when coalesce(load_balancers.scheme, '') <> 'internet-facing'
                then 'the load balancer is internal'
            when load_balancer_acls.load_balancer_arn is not null
                then 'web ACL ' || load_balancer_acls.web_acl_name || ' protects the load balancer'
            else 'internet-facing load balancer ' || load_balancers.load_balancer_name
                || ' has no WAF web ACL; associate a WAFv2 web ACL with it'
        end as reason,
        'type=' || coalesce(load_balancers.load_balancer_type, 'null')
        || '; scheme=' || coalesce(load_balancers.scheme, 'null')
        || '; web_acl=' || coalesce(load_balancer_acls.web_acl_name, 'none') as evidence,
        load_balancers.source_relation,
        load_balancers.synced_at
    from load_balancers
    left join load_balancer_acls
        on load_balancers.load_balancer_arn = load_balancer_acls.load_balancer_arn

),

waf_on_public_endpoints__api_gateway as (

    select
        'aws_waf_on_public_endpoints__api_gateway' as control_id,
        account_id,
        region,
        'aws_apigateway_rest_api_stage' as resource_type,
        stage_arn as resource_id,
        case when nullif(web_acl_arn, '') is not null then 'pass' else 'fail' end as status,
        case
            when nullif(web_acl_arn, '') is not null then 'web ACL ' || web_acl_arn || ' protects the stage'
            else 'stage ' || stage_name || ' of ' || rest_api_arn
                || ' has no WAF web ACL; associate a WAFv2 web ACL with the stage'
        end as reason,
        'web_acl_arn=' || coalesce(nullif(web_acl_arn, ''), 'none') as evidence,
        source_relation,
        synced_at
    from rest_api_stages

),

waf_on_public_endpoints__cloudfront as (

    select
        'aws_waf_on_public_endpoints__cloudfront' as control_id,
        account_id,
        'global' as region,
        'aws_cloudfront_distribution' as resource_type,
        distribution_arn as resource_id,
        case
            when distribution_config is null then 'not_evaluated'
            when nullif({{ soc2.json_text('distribution_config', ['WebACLId']) }}, '') is not null then 'pass'
            else 'fail'
        end as status,
        case
            when distribution_config is null
                then 'the configuration of distribution ' || distribution_id || ' was not synced'
            when nullif({{ soc2.json_text('distribution_config', ['WebACLId']) }}, '') is not null
                then 'web ACL ' || {{ soc2.json_text('distribution_config', ['WebACLId']) }} || ' protects the distribution'
            else 'distribution ' || distribution_id
                || ' has no WAF web ACL; associate a global (CLOUDFRONT-scope) WAFv2 web ACL with it'
        end as reason,
        'WebACLId=' || coalesce(nullif({{ soc2.json_text('distribution_config', ['WebACLId']) }}, ''), 'none') as evidence,
        source_relation,
        synced_at
    from distributions

),

header_attributes as (

    select
        load_balancer_arn,
        max(case
            when attribute_key = 'routing.http.drop_invalid_header_fields.enabled' then lower(attribute_value)
        end) as drop_invalid_headers,
        max(case
            when attribute_key = 'routing.http.desync_mitigation_mode' then lower(attribute_value)
        end) as desync_mitigation_mode
    from load_balancer_attributes
    group by load_balancer_arn

),

alb_drop_invalid_headers as (

    select
        'aws_alb_drop_invalid_headers' as control_id,
        load_balancers.account_id,
        load_balancers.region,
        'aws_elbv2_load_balancer' as resource_type,
        load_balancers.load_balancer_arn as resource_id,
        case
            when coalesce(load_balancers.load_balancer_type, '') <> 'application' then 'not_applicable'
            when coalesce(header_attributes.drop_invalid_headers, 'false') <> 'true' then 'fail'
            when coalesce(header_attributes.desync_mitigation_mode, 'defensive') = 'monitor' then 'fail'
            else 'pass'
        end as status,
        case
            when coalesce(load_balancers.load_balancer_type, '') <> 'application'
                then 'header handling applies to application load balancers only'
            when coalesce(header_attributes.drop_invalid_headers, 'false') <> 'true'
                then 'load balancer ' || load_balancers.load_balancer_name
                || ' forwards invalid HTTP header fields to its targets; set routing.http.drop_invalid_header_fields.enabled to true'
            when coalesce(header_attributes.desync_mitigation_mode, 'defensive') = 'monitor'
                then 'load balancer ' || load_balancers.load_balancer_name
                || ' only monitors HTTP desync attacks; set routing.http.desync_mitigation_mode to defensive or strictest'
            else 'invalid header fields are dropped and desync mitigation is '
                || coalesce(header_attributes.desync_mitigation_mode, 'defensive (default)')
        end as reason,
        'drop_invalid_header_fields=' || coalesce(header_attributes.drop_invalid_headers, 'unset')
        || '; desync_mitigation_mode=' || coalesce(header_attributes.desync_mitigation_mode, 'unset') as evidence,
        load_balancers.source_relation,
        load_balancers.synced_at
    from load_balancers
    left join header_attributes
        on load_balancers.load_balancer_arn = header_attributes.load_balancer_arn

),

final as (

    select * from waf_on_public_endpoints__alb
    union all
    select * from waf_on_public_endpoints__api_gateway
    union all
    select * from waf_on_public_endpoints__cloudfront
    union all
    select * from alb_drop_invalid_headers

)

select * from final
{% endcall %}
