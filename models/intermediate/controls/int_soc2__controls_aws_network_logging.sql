-- Network logging: every VPC has a flow log that captures it (a flow log
-- whose resource is the VPC, active, and whose last delivery did not fail).
-- Flow logs of subnets or interfaces only do not count: they leave the rest
-- of the VPC unlogged.
{% call soc2.control_family() %}
with vpcs as (

    select * from {{ ref('stg_soc2__aws_ec2_vpcs') }}

),

flow_logs as (

    select * from {{ ref('stg_soc2__aws_ec2_flow_logs') }}

),

vpc_flow_logs as (

    select
        vpcs.account_id,
        vpcs.region,
        vpcs.vpc_id,
        max(
            case
                when
                    flow_logs.flow_log_id is not null
                    and coalesce(flow_logs.flow_log_status, 'ACTIVE') = 'ACTIVE'
                    and coalesce(flow_logs.deliver_logs_status, 'SUCCESS') != 'FAILED'
                    then 1
                else 0
            end
        ) as has_working_flow_log,
        {{ soc2.string_agg_distinct(
            "flow_logs.flow_log_id || ' (status ' || coalesce(flow_logs.flow_log_status, 'unknown') "
            ~ "|| ', delivery ' || coalesce(flow_logs.deliver_logs_status, 'unknown') || ')'", ', ') }}
            as flow_log_summary,
        vpcs.source_relation,
        vpcs.synced_at
    from vpcs
    left join flow_logs
        on
            vpcs.account_id = flow_logs.account_id
            and vpcs.region = flow_logs.region
            and vpcs.vpc_id = flow_logs.flow_resource_id
    group by vpcs.account_id, vpcs.region, vpcs.vpc_id, vpcs.source_relation, vpcs.synced_at

),

vpc_flow_logs_enabled as (

    select
        'aws_vpc_flow_logs_enabled' as control_id,
        account_id,
        region,
        'aws_ec2_vpc' as resource_type,
        vpc_id as resource_id,
        case when has_working_flow_log = 1 then 'pass' else 'fail' end as status,
        case
            when has_working_flow_log = 1 then 'the VPC has an active flow log that delivers'
            when flow_log_summary is not null
                then 'the VPC''s flow logs are inactive or fail to deliver: ' || flow_log_summary
                || '; fix the destination or its permissions'
            else 'the VPC has no flow log; create one (traffic type ALL) on the VPC'
        end as reason,
        'flow_logs=' || coalesce(flow_log_summary, 'none') as evidence,
        source_relation,
        synced_at
    from vpc_flow_logs

),

final as (

    select * from vpc_flow_logs_enabled

)

select * from final
{% endcall %}
