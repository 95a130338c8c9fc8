-- VPC topology and instance placement controls. Elastic IPs attached,
-- internet gateways attached only to the VPCs of soc2_authorized_igw_vpc_ids,
-- route tables sending 0.0.0.0/0 or ::/0 to an internet gateway only for the
-- subnets of soc2_public_subnet_ids, peering routes narrower than the peer
-- VPC's CIDR, transit gateways not auto-accepting shared attachments,
-- subnets not assigning public IPs on launch, VPCs whose subnets are not all
-- public, and per EC2 instance (terminated ones not_applicable): no public
-- address, inside a VPC, and when it is reachable from the internet (public
-- address and a subnet routed to an internet gateway) no sensitive port
-- (22, 3389 and soc2_high_risk_ports) open to the internet through its groups.
{%- set authorized_igw_vpc_ids = var('soc2_authorized_igw_vpc_ids', []) %}
{%- set public_subnet_ids = var('soc2_public_subnet_ids', []) %}
{%- set sensitive_ports = [22, 3389] + var('soc2_high_risk_ports', []) %}
{% call soc2.control_family() %}
with vpcs as (

    select * from {{ ref('stg_soc2__aws_ec2_vpcs') }}

),

subnets as (

    select * from {{ ref('stg_soc2__aws_ec2_subnets') }}

),

route_tables as (

    select * from {{ ref('stg_soc2__aws_ec2_route_tables') }}

),

internet_gateways as (

    select * from {{ ref('stg_soc2__aws_ec2_internet_gateways') }}

),

peering_connections as (

    select * from {{ ref('stg_soc2__aws_ec2_vpc_peering_connections') }}

),

transit_gateways as (

    select * from {{ ref('stg_soc2__aws_ec2_transit_gateways') }}

),

elastic_ips as (

    select * from {{ ref('stg_soc2__aws_ec2_eips') }}

),

instances as (

    select * from {{ ref('stg_soc2__aws_ec2_instances') }}

),

ingress as (

    select * from {{ ref('int_soc2__aws_security_group_ingress') }}

),

authorized_igw_vpcs as (

    {%- for vpc_id in authorized_igw_vpc_ids %}
    select '{{ vpc_id }}' as vpc_id
    union all
    {%- endfor %}
    select cast(null as {{ dbt.type_string() }}) as vpc_id
    where 1 = 0

),

public_subnets as (

    {%- for subnet_id in public_subnet_ids %}
    select '{{ subnet_id }}' as subnet_id
    union all
    {%- endfor %}
    select cast(null as {{ dbt.type_string() }}) as subnet_id
    where 1 = 0

),

sensitive_ports as (

    {%- for port in sensitive_ports %}
    select {{ port | int }} as port
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

routes as (

    select
        route_tables.account_id,
        route_tables.region,
        route_tables.route_table_id,
        route_tables.vpc_id,
        route_index,
        {{ soc2.json_text('route', ['DestinationCidrBlock']) }} as destination_cidr,
        {{ soc2.json_text('route', ['DestinationIpv6CidrBlock']) }} as destination_ipv6_cidr,
        {{ soc2.json_text('route', ['GatewayId']) }} as gateway_id,
        {{ soc2.json_text('route', ['VpcPeeringConnectionId']) }} as peering_connection_id
    from route_tables
    {{ soc2.unnest_lateral(soc2.json_as_array('route_tables.routes'), 'route', 'route_index', 'route_rows') }}

),

internet_routes as (

    select
        account_id,
        region,
        route_table_id,
        {{ soc2.string_agg_distinct(
            "coalesce(destination_cidr, destination_ipv6_cidr) || ' -> ' || gateway_id", ', ') }} as internet_routes
    from routes
    where gateway_id like 'igw-%'
        and (destination_cidr = '0.0.0.0/0' or destination_ipv6_cidr = '::/0')
    group by account_id, region, route_table_id

),

route_table_associations as (

    select
        route_tables.account_id,
        route_tables.region,
        route_tables.route_table_id,
        route_tables.vpc_id,
        lower(coalesce({{ soc2.json_text('association', ['Main']) }}, 'false')) = 'true' as is_main,
        {{ soc2.json_text('association', ['SubnetId']) }} as subnet_id
    from route_tables
    {{ soc2.unnest_lateral(soc2.json_as_array('route_tables.associations'), 'association', 'association_index', 'association_rows') }}

),

main_route_tables as (

    select
        account_id,
        region,
        vpc_id,
        min(route_table_id) as route_table_id
    from route_table_associations
    where is_main
    group by account_id, region, vpc_id

),

explicit_route_tables as (

    select
        account_id,
        region,
        subnet_id,
        min(route_table_id) as route_table_id
    from route_table_associations
    where subnet_id is not null
    group by account_id, region, subnet_id

),

-- each subnet's route table: its explicit association, else its VPC's main
-- table; public when that table routes 0.0.0.0/0 or ::/0 to an internet
-- gateway (null when the route table is unknown)
subnet_routes as (

    select
        subnets.account_id,
        subnets.region,
        subnets.subnet_id,
        subnets.vpc_id,
        coalesce(explicit_route_tables.route_table_id, main_route_tables.route_table_id) as route_table_id,
        case
            when coalesce(explicit_route_tables.route_table_id, main_route_tables.route_table_id) is null then null
            when internet_routes.route_table_id is not null then true
            else false
        end as is_public
    from subnets
    left join explicit_route_tables
        on subnets.account_id = explicit_route_tables.account_id
        and subnets.region = explicit_route_tables.region
        and subnets.subnet_id = explicit_route_tables.subnet_id
    left join main_route_tables
        on subnets.account_id = main_route_tables.account_id
        and subnets.region = main_route_tables.region
        and subnets.vpc_id = main_route_tables.vpc_id
    left join internet_routes
        on subnets.account_id = internet_routes.account_id
        and subnets.region = internet_routes.region
        and coalesce(explicit_route_tables.route_table_id, main_route_tables.route_table_id)
        = internet_routes.route_table_id

),

eip_attached as (

    select
        'aws_vpc_eip_attached' as control_id,
        account_id,
        region,
        'aws_ec2_eip' as resource_type,
        allocation_id as resource_id,
        case when association_id is not null then 'pass' else 'fail' end as status,
        case
            when association_id is not null
                then 'the Elastic IP is associated with ' || coalesce(instance_id, network_interface_id, 'a resource')
            else 'Elastic IP ' || coalesce(public_ip, allocation_id)
                || ' is not associated with any instance or network interface; release it if it is no longer needed'
        end as reason,
        'association_id=' || coalesce(association_id, 'null') || '; public_ip=' || coalesce(public_ip, 'null')
            as evidence,
        source_relation,
        synced_at
    from elastic_ips

),

gateway_attachments as (

    select
        internet_gateways.account_id,
        internet_gateways.region,
        internet_gateways.internet_gateway_id,
        {{ soc2.json_text('attachment', ['VpcId']) }} as vpc_id
    from internet_gateways
    {{ soc2.unnest_lateral(soc2.json_as_array('internet_gateways.attachments'), 'attachment', 'attachment_index', 'attachment_rows') }}

),

gateway_vpcs as (

    select
        gateway_attachments.account_id,
        gateway_attachments.region,
        gateway_attachments.internet_gateway_id,
        {{ soc2.string_agg_distinct('gateway_attachments.vpc_id', ', ') }} as attached_vpcs,
        {{ soc2.string_agg_distinct(
            'case when authorized_igw_vpcs.vpc_id is null then gateway_attachments.vpc_id end', ', ') }}
            as unauthorized_vpcs
    from gateway_attachments
    left join authorized_igw_vpcs
        on gateway_attachments.vpc_id = authorized_igw_vpcs.vpc_id
    group by gateway_attachments.account_id, gateway_attachments.region, gateway_attachments.internet_gateway_id

),

igw_authorized_vpc_only as (

    select
        'aws_vpc_igw_authorized_vpc_only' as control_id,
        internet_gateways.account_id,
        internet_gateways.region,
        'aws_ec2_internet_gateway' as resource_type,
        internet_gateways.internet_gateway_id as resource_id,
        case
            {%- if authorized_igw_vpc_ids | length == 0 %}
            when true then 'not_evaluated'
            {%- endif %}
            when gateway_vpcs.unauthorized_vpcs is null then 'pass'
            else 'fail'
        end as status,
        case
            {%- if authorized_igw_vpc_ids | length == 0 %}
            when true then 'the var soc2_authorized_igw_vpc_ids is empty: list the VPCs that may have an internet gateway'
            {%- endif %}
            when gateway_vpcs.attached_vpcs is null then 'the internet gateway is not attached to any VPC'
            when gateway_vpcs.unauthorized_vpcs is null
                then 'the internet gateway is attached only to authorised VPCs (soc2_authorized_igw_vpc_ids)'
            else 'internet gateway ' || internet_gateways.internet_gateway_id || ' is attached to '
                || gateway_vpcs.unauthorized_vpcs
                || ', not in soc2_authorized_igw_vpc_ids; detach it or add the VPC to the list once approved'
        end as reason,
        'attached_vpcs=' || coalesce(gateway_vpcs.attached_vpcs, 'none')
        || '; unauthorized_vpcs=' || coalesce(gateway_vpcs.unauthorized_vpcs, 'none') as evidence,
        internet_gateways.source_relation,
        internet_gateways.synced_at
    from internet_gateways
    left join gateway_vpcs
        on internet_gateways.account_id = gateway_vpcs.account_id
        and internet_gateways.region = gateway_vpcs.region
        and internet_gateways.internet_gateway_id = gateway_vpcs.internet_gateway_id

),

route_table_subnets as (

    select
        subnet_routes.account_id,
        subnet_routes.region,
        subnet_routes.route_table_id,
        {{ soc2.string_agg_distinct('subnet_routes.subnet_id', ', ') }} as subnet_ids,
        {{ soc2.string_agg_distinct(
            'case when public_subnets.subnet_id is null then subnet_routes.subnet_id end', ', ') }}
            as undesignated_subnet_ids
    from subnet_routes
    left join public_subnets
        on subnet_routes.subnet_id = public_subnets.subnet_id
    where subnet_routes.route_table_id is not null
    group by subnet_routes.account_id, subnet_routes.region, subnet_routes.route_table_id

),

no_unrestricted_route_to_igw as (

    select
        'aws_vpc_no_unrestricted_route_to_igw' as control_id,
        route_tables.account_id,
        route_tables.region,
        'aws_ec2_route_table' as resource_type,
        route_tables.route_table_id as resource_id,
        case
            when internet_routes.route_table_id is null then 'pass'
            {%- if public_subnet_ids | length == 0 %}
            when true then 'not_evaluated'
            {%- endif %}
            when route_table_subnets.undesignated_subnet_ids is null then 'pass'
            else 'fail'
        end as status,
        case
            when internet_routes.route_table_id is null
                then 'the route table sends no 0.0.0.0/0 or ::/0 traffic to an internet gateway'
            {%- if public_subnet_ids | length == 0 %}
            when true then 'the route table routes ' || internet_routes.internet_routes
                || ' and the var soc2_public_subnet_ids is empty: list the subnets designated public'
            {%- endif %}
            when route_table_subnets.subnet_ids is null
                then 'the route table routes ' || internet_routes.internet_routes || ' but no subnet uses it'
            when route_table_subnets.undesignated_subnet_ids is null
                then 'the route to the internet gateway serves only subnets designated public (soc2_public_subnet_ids)'
            else 'route table ' || route_tables.route_table_id || ' routes ' || internet_routes.internet_routes
                || ' for subnets not designated public: ' || route_table_subnets.undesignated_subnet_ids
                || '; give those subnets a route table through a NAT gateway, or designate them public'
        end as reason,
        'internet_routes=' || coalesce(internet_routes.internet_routes, 'none')
        || '; subnets=' || coalesce(route_table_subnets.subnet_ids, 'none') as evidence,
        route_tables.source_relation,
        route_tables.synced_at
    from route_tables
    left join internet_routes
        on route_tables.account_id = internet_routes.account_id
        and route_tables.region = internet_routes.region
        and route_tables.route_table_id = internet_routes.route_table_id
    left join route_table_subnets
        on route_tables.account_id = route_table_subnets.account_id
        and route_tables.region = route_table_subnets.region
        and route_tables.route_table_id = route_table_subnets.route_table_id

),

-- the peer side of each peering route: the side whose VPC is not the route
-- table's (the connection as synced in the route table's account)
peering_routes as (

    select
        routes.account_id,
        routes.region,
        routes.route_table_id,
        routes.route_index,
        routes.destination_cidr,
        routes.peering_connection_id,
        peering_connections.vpc_peering_connection_id as found_connection_id,
        case
            when {{ soc2.json_text('peering_connections.requester_vpc_info', ['VpcId']) }} = routes.vpc_id
                then peering_connections.accepter_vpc_info
            else peering_connections.requester_vpc_info
        end as peer_vpc_info
    from routes
    left join peering_connections
        on routes.account_id = peering_connections.account_id
        and routes.peering_connection_id = peering_connections.vpc_peering_connection_id
    where routes.peering_connection_id is not null
        and routes.destination_cidr is not null

),

peer_cidrs as (

    select
        route_table_id,
        account_id,
        region,
        route_index,
        {{ soc2.json_text('peer_vpc_info', ['CidrBlock']) }} as peer_cidr
    from peering_routes
    union all
    select
        peering_routes.route_table_id,
        peering_routes.account_id,
        peering_routes.region,
        peering_routes.route_index,
        {{ soc2.json_text('peer_cidr_block', ['CidrBlock']) }} as peer_cidr
    from peering_routes
    {{ soc2.unnest_lateral(soc2.json_as_array(soc2.json_value('peering_routes.peer_vpc_info', ['CidrBlockSet'])), 'peer_cidr_block', 'cidr_index', 'peer_cidr_rows') }}

),

full_cidr_routes as (

    select distinct
        peering_routes.account_id,
        peering_routes.region,
        peering_routes.route_table_id,
        peering_routes.destination_cidr,
        peering_routes.peering_connection_id
    from peering_routes
    left join peer_cidrs
        on peering_routes.account_id = peer_cidrs.account_id
        and peering_routes.region = peer_cidrs.region
        and peering_routes.route_table_id = peer_cidrs.route_table_id
        and peering_routes.route_index = peer_cidrs.route_index
    where peering_routes.destination_cidr = '0.0.0.0/0'
        or peering_routes.destination_cidr = peer_cidrs.peer_cidr

),

peering_route_tables as (

    select
        peering_routes.account_id,
        peering_routes.region,
        peering_routes.route_table_id,
        {{ soc2.string_agg_distinct(
            "peering_routes.destination_cidr || ' -> ' || peering_routes.peering_connection_id", ', ') }}
            as peering_routes,
        {{ soc2.string_agg_distinct(
            'case when peering_routes.found_connection_id is null then peering_routes.peering_connection_id end',
            ', ') }} as unknown_connections,
        max(case when peering_routes.found_connection_id is null then 1 else 0 end) as has_unknown_connection
    from peering_routes
    group by peering_routes.account_id, peering_routes.region, peering_routes.route_table_id

),

full_cidr_route_tables as (

    select
        account_id,
        region,
        route_table_id,
        {{ soc2.string_agg_distinct("destination_cidr || ' -> ' || peering_connection_id", ', ') }} as full_routes
    from full_cidr_routes
    group by account_id, region, route_table_id

),

peering_least_privilege_routes as (

    select
        'aws_vpc_peering_least_privilege_routes' as control_id,
        peering_route_tables.account_id,
        peering_route_tables.region,
        'aws_ec2_route_table' as resource_type,
        peering_route_tables.route_table_id as resource_id,
        case
            when full_cidr_route_tables.route_table_id is not null then 'fail'
            when peering_route_tables.has_unknown_connection = 1 then 'not_evaluated'
            else 'pass'
        end as status,
        case
            when full_cidr_route_tables.route_table_id is not null
                then 'route table ' || peering_route_tables.route_table_id
                || ' routes the whole peer VPC range (or 0.0.0.0/0) through peering: ' || full_cidr_route_tables.full_routes
                || '; route only the subnets that need to talk to the peer'
            when peering_route_tables.has_unknown_connection = 1
                then 'the peering connections ' || peering_route_tables.unknown_connections
                || ' are not in aws_ec2_vpc_peering_connections for this account, so the peer CIDR is unknown'
            else 'every peering route targets less than the peer VPC''s whole CIDR'
        end as reason,
        'peering_routes=' || peering_route_tables.peering_routes
        || '; full_cidr_routes=' || coalesce(full_cidr_route_tables.full_routes, 'none') as evidence,
        route_tables.source_relation,
        route_tables.synced_at
    from peering_route_tables
    inner join route_tables
        on peering_route_tables.account_id = route_tables.account_id
        and peering_route_tables.region = route_tables.region
        and peering_route_tables.route_table_id = route_tables.route_table_id
    left join full_cidr_route_tables
        on peering_route_tables.account_id = full_cidr_route_tables.account_id
        and peering_route_tables.region = full_cidr_route_tables.region
        and peering_route_tables.route_table_id = full_cidr_route_tables.route_table_id

),

tgw_no_auto_accept as (

    select
        'aws_tgw_no_auto_accept_attachments' as control_id,
        account_id,
        region,
        'aws_ec2_transit_gateway' as resource_type,
        transit_gateway_id as resource_id,
        case
            when state in ('deleted', 'deleting') then 'not_applicable'
            when {{ soc2.json_text('options', ['AutoAcceptSharedAttachments']) }} = 'disable' then 'pass'
            when {{ soc2.json_text('options', ['AutoAcceptSharedAttachments']) }} = 'enable' then 'fail'
            else 'not_evaluated'
        end as status,
        case
            when state in ('deleted', 'deleting') then 'the transit gateway is ' || state
            when {{ soc2.json_text('options', ['AutoAcceptSharedAttachments']) }} = 'disable'
                then 'shared VPC attachments must be accepted by hand'
            when {{ soc2.json_text('options', ['AutoAcceptSharedAttachments']) }} = 'enable'
                then 'transit gateway ' || transit_gateway_id
                || ' accepts attachments from shared accounts automatically; set AutoAcceptSharedAttachments to disable'
            else 'the options column does not say whether shared attachments are accepted automatically'
        end as reason,
        'AutoAcceptSharedAttachments=' || coalesce({{ soc2.json_text('options', ['AutoAcceptSharedAttachments']) }}, 'null')
        || '; state=' || coalesce(state, 'null') as evidence,
        source_relation,
        synced_at
    from transit_gateways

),

subnet_no_auto_public_ip as (

    select
        'aws_vpc_subnet_no_auto_public_ip' as control_id,
        account_id,
        region,
        'aws_ec2_subnet' as resource_type,
        subnet_id as resource_id,
        case when coalesce(map_public_ip_on_launch, false) then 'fail' else 'pass' end as status,
        case
            when coalesce(map_public_ip_on_launch, false)
                then 'subnet ' || subnet_id || ' of ' || coalesce(vpc_id, 'its VPC')
                || ' gives every instance launched in it a public IPv4 address; turn off auto-assign public IPv4'
            else 'the subnet does not assign public IPv4 addresses on launch'
        end as reason,
        'MapPublicIpOnLaunch=' || coalesce(cast(map_public_ip_on_launch as {{ dbt.type_string() }}), 'null') as evidence,
        source_relation,
        synced_at
    from subnets

),

vpc_subnet_counts as (

    select
        account_id,
        region,
        vpc_id,
        sum(case when is_public then 1 else 0 end) as public_subnets,
        sum(case when not is_public then 1 else 0 end) as private_subnets,
        sum(case when is_public is null then 1 else 0 end) as unrouted_subnets
    from subnet_routes
    group by account_id, region, vpc_id

),

public_private_separation as (

    select
        'aws_vpc_public_private_subnet_separation' as control_id,
        vpcs.account_id,
        vpcs.region,
        'aws_ec2_vpc' as resource_type,
        vpcs.vpc_id as resource_id,
        case
            when vpc_subnet_counts.vpc_id is null then 'not_applicable'
            when vpc_subnet_counts.private_subnets > 0 or vpc_subnet_counts.public_subnets = 0 then 'pass'
            when vpc_subnet_counts.unrouted_subnets > 0 then 'not_evaluated'
            else 'fail'
        end as status,
        case
            when vpc_subnet_counts.vpc_id is null then 'the VPC has no subnet'
            when vpc_subnet_counts.public_subnets = 0 then 'no subnet of the VPC is routed to an internet gateway'
            when vpc_subnet_counts.private_subnets > 0
                then 'the VPC separates public subnets from private ones (without a route to an internet gateway)'
            when vpc_subnet_counts.unrouted_subnets > 0
                then 'the route tables of some subnets are not synced, so whether the VPC has a private subnet is unknown'
            else 'every subnet of VPC ' || vpcs.vpc_id
                || ' is routed to an internet gateway; put workloads that need no inbound internet access in private subnets'
        end as reason,
        'public_subnets=' || cast(coalesce(vpc_subnet_counts.public_subnets, 0) as {{ dbt.type_string() }})
        || '; private_subnets=' || cast(coalesce(vpc_subnet_counts.private_subnets, 0) as {{ dbt.type_string() }})
        || '; unrouted_subnets=' || cast(coalesce(vpc_subnet_counts.unrouted_subnets, 0) as {{ dbt.type_string() }})
            as evidence,
        vpcs.source_relation,
        vpcs.synced_at
    from vpcs
    left join vpc_subnet_counts
        on vpcs.account_id = vpc_subnet_counts.account_id
        and vpcs.region = vpc_subnet_counts.region
        and vpcs.vpc_id = vpc_subnet_counts.vpc_id

),

instance_states as (

    select
        instances.*,
        lower({{ soc2.json_text('instances.state', ['Name']) }}) as state_name
    from instances

),

instance_interfaces as (

    select
        instances.account_id,
        instances.region,
        instances.instance_id,
        interface_index,
        {{ soc2.json_text('interface', ['Association', 'PublicIp']) }} as public_ip,
        {{ soc2.json_value('interface', ['Groups']) }} as interface_groups
    from instances
    {{ soc2.unnest_lateral(soc2.json_as_array('instances.network_interfaces'), 'interface', 'interface_index', 'interface_rows') }}

),

instance_public_ips as (

    select
        account_id,
        region,
        instance_id,
        {{ soc2.string_agg_distinct('public_ip', ', ') }} as public_ips
    from (
        select
            account_id,
            region,
            instance_id,
            public_ip_address as public_ip
        from instances
        where public_ip_address is not null and public_ip_address != ''
        union all
        select
            account_id,
            region,
            instance_id,
            public_ip
        from instance_interfaces
        where public_ip is not null and public_ip != ''
    ) as addresses
    group by account_id, region, instance_id

),

instance_groups as (

    select
        instances.account_id,
        instances.region,
        instances.instance_id,
        {{ soc2.json_text('instance_group', ['GroupId']) }} as group_id
    from instances
    {{ soc2.unnest_lateral(soc2.json_as_array('instances.security_groups'), 'instance_group', 'group_index', 'instance_group_rows') }}
    union all
    select
        instance_interfaces.account_id,
        instance_interfaces.region,
        instance_interfaces.instance_id,
        {{ soc2.json_text('interface_group', ['GroupId']) }} as group_id
    from instance_interfaces
    {{ soc2.unnest_lateral(soc2.json_as_array('instance_interfaces.interface_groups'), 'interface_group', 'interface_group_index', 'interface_group_rows') }}

),

instance_exposures as (

    select
        instance_groups.account_id,
        instance_groups.region,
        instance_groups.instance_id,
        {{ soc2.string_agg_distinct(
            "cast(sensitive_ports.port as " ~ dbt.type_string() ~ ") || ' via ' || ingress.group_id", ', ') }}
            as exposures
    from (select distinct account_id, region, instance_id, group_id from instance_groups) as instance_groups
    inner join ingress
        on instance_groups.account_id = ingress.account_id
        and instance_groups.region = ingress.region
        and instance_groups.group_id = ingress.group_id
    inner join sensitive_ports
        on sensitive_ports.port between ingress.from_port and ingress.to_port
    where ingress.is_open_to_world
        and ingress.ip_protocol in ('tcp', 'all')
    group by instance_groups.account_id, instance_groups.region, instance_groups.instance_id

),

instance_facts as (

    select
        instance_states.account_id,
        instance_states.region,
        instance_states.instance_id,
        instance_states.vpc_id,
        instance_states.subnet_id,
        instance_states.state_name,
        instance_states.state_name = 'terminated' as is_terminated,
        instance_public_ips.public_ips,
        instance_exposures.exposures,
        subnet_routes.is_public as subnet_is_public,
        instance_states.source_relation,
        instance_states.synced_at
    from instance_states
    left join instance_public_ips
        on instance_states.account_id = instance_public_ips.account_id
        and instance_states.region = instance_public_ips.region
        and instance_states.instance_id = instance_public_ips.instance_id
    left join instance_exposures
        on instance_states.account_id = instance_exposures.account_id
        and instance_states.region = instance_exposures.region
        and instance_states.instance_id = instance_exposures.instance_id
    left join subnet_routes
        on instance_states.account_id = subnet_routes.account_id
        and instance_states.region = subnet_routes.region
        and instance_states.subnet_id = subnet_routes.subnet_id

),

instance_no_public_ip as (

    select
        'aws_ec2_instance_no_public_ip' as control_id,
        account_id,
        region,
        'aws_ec2_instance' as resource_type,
        instance_id as resource_id,
        case
            when is_terminated then 'not_applicable'
            when public_ips is null then 'pass'
            else 'fail'
        end as status,
        case
            when is_terminated then 'the instance is terminated'
            when public_ips is null then 'the instance has no public IPv4 address'
            else 'instance ' || instance_id || ' has the public IPv4 address ' || public_ips
                || '; remove it and reach the instance through a load balancer, NAT or Session Manager'
        end as reason,
        'public_ips=' || coalesce(public_ips, 'none') || '; state=' || coalesce(state_name, 'null') as evidence,
        source_relation,
        synced_at
    from instance_facts

),

instance_in_vpc as (

    select
        'aws_ec2_instance_in_vpc' as control_id,
        account_id,
        region,
        'aws_ec2_instance' as resource_type,
        instance_id as resource_id,
        case
            when is_terminated then 'not_applicable'
            when coalesce(vpc_id, '') != '' then 'pass'
            else 'fail'
        end as status,
        case
            when is_terminated then 'the instance is terminated'
            when coalesce(vpc_id, '') != '' then 'the instance runs in ' || vpc_id
            else 'instance ' || instance_id || ' runs outside a VPC (EC2-Classic); migrate it into a VPC'
        end as reason,
        'vpc_id=' || coalesce(nullif(vpc_id, ''), 'null') || '; state=' || coalesce(state_name, 'null') as evidence,
        source_relation,
        synced_at
    from instance_facts

),

instance_sensitive_port_exposed as (

    select
        'aws_ec2_instance_sensitive_port_exposed' as control_id,
        account_id,
        region,
        'aws_ec2_instance' as resource_type,
        instance_id as resource_id,
        case
            when is_terminated then 'not_applicable'
            when public_ips is null or exposures is null then 'pass'
            when coalesce(vpc_id, '') = '' or subnet_is_public then 'fail'
            when not subnet_is_public then 'pass'
            else 'not_evaluated'
        end as status,
        case
            when is_terminated then 'the instance is terminated'
            when public_ips is null then 'the instance has no public address, so the internet cannot reach it'
            when exposures is null then 'no security group of the instance opens a sensitive port to the internet'
            when coalesce(vpc_id, '') = '' or subnet_is_public
                then 'instance ' || instance_id || ' (public address ' || public_ips
                || ') opens sensitive ports to the internet: ' || exposures
                || '; close these rules or remove the public address'
            when not subnet_is_public
                then 'the subnet of the instance has no route to an internet gateway, so its open ports are not reachable'
            else 'the route table of subnet ' || coalesce(subnet_id, 'null')
                || ' is not synced, so whether the open ports are reachable is unknown'
        end as reason,
        'public_ips=' || coalesce(public_ips, 'none') || '; open_sensitive_ports=' || coalesce(exposures, 'none')
        || '; subnet_routed_to_igw=' || coalesce(cast(subnet_is_public as {{ dbt.type_string() }}), 'unknown')
            as evidence,
        source_relation,
        synced_at
    from instance_facts

),

final as (

    select * from eip_attached
    union all
    select * from igw_authorized_vpc_only
    union all
    select * from no_unrestricted_route_to_igw
    union all
    select * from peering_least_privilege_routes
    union all
    select * from tgw_no_auto_accept
    union all
    select * from subnet_no_auto_public_ip
    union all
    select * from public_private_separation
    union all
    select * from instance_no_public_ip
    union all
    select * from instance_in_vpc
    union all
    select * from instance_sensitive_port_exposed

)

select * from final
{% endcall %}
