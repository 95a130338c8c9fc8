-- Security-group and network-ACL controls. Per security group: no ingress
-- from the internet (0.0.0.0/0 or ::/0) to SSH, RDP or the high-risk ports
-- (tcp or all traffic; soc2_high_risk_ports), to all ports (all traffic, or
-- a tcp/udp range covering every port) or to a port outside
-- soc2_authorized_public_ports, no ingress from a wide public IPv4 range
-- (/1 to /23 outside RFC 1918), the default group closed and every
-- non-default group attached to a network interface. Per network ACL: the
-- first ingress entry (lowest rule number) that matches internet traffic to
-- TCP 22 or 3389, over IPv4 or IPv6, is not an allow.
{%- set high_risk_ports = var('soc2_high_risk_ports', []) %}
{%- set authorized_ports = var('soc2_authorized_public_ports', []) %}
{%- set admin_ports = [22, 3389] %}
{% call soc2.control_family() %}
with security_groups as (

    select * from {{ ref('stg_soc2__aws_ec2_security_groups') }}

),

ingress as (

    select * from {{ ref('int_soc2__aws_security_group_ingress') }}

),

network_interfaces as (

    select * from {{ ref('stg_soc2__aws_ec2_network_interfaces') }}

),

network_acls as (

    select * from {{ ref('stg_soc2__aws_ec2_network_acls') }}

),

checked_ports as (

    select
        'ssh' as port_set,
        22 as port
    union all
    select
        'rdp' as port_set,
        3389 as port
    {%- for port in high_risk_ports %}
    union all
    select
        'high_risk' as port_set,
        {{ port | int }} as port
    {%- endfor %}

),

authorized_ports as (

    {%- for port in authorized_ports %}
    select {{ port | int }} as port
    union all
    {%- endfor %}
    select cast(null as {{ dbt.type_int() }}) as port
    where 1 = 0

),

world_ingress as (

    select * from ingress
    where is_open_to_world

),

-- internet ingress to each checked port: SSH, RDP and the high-risk ports
-- are TCP services, reached by a tcp rule or an all-traffic rule
exposed_ports as (

    select
        world_ingress.account_id,
        world_ingress.region,
        world_ingress.group_id,
        checked_ports.port_set,
        {{ soc2.string_agg_distinct(
            "cast(checked_ports.port as " ~ dbt.type_string() ~ ") || ' from ' || world_ingress.source", ', ') }}
            as exposures
    from world_ingress
    inner join checked_ports
        on world_ingress.ip_protocol in ('tcp', 'all')
        and checked_ports.port between world_ingress.from_port and world_ingress.to_port
    group by world_ingress.account_id, world_ingress.region, world_ingress.group_id, checked_ports.port_set

),

{%- set port_controls = [
    ('aws_sg_no_ingress_ssh_from_internet', 'ssh', 'SSH (TCP 22)'),
    ('aws_sg_no_ingress_rdp_from_internet', 'rdp', 'RDP (TCP 3389)'),
    ('aws_sg_no_ingress_high_risk_ports_from_internet', 'high_risk', 'high-risk ports (soc2_high_risk_ports)'),
] %}
{%- for control_id, port_set, label in port_controls %}

{{ port_set }}_from_internet as (

    select
        '{{ control_id }}' as control_id,
        security_groups.account_id,
        security_groups.region,
        'aws_ec2_security_group' as resource_type,
        security_groups.group_id as resource_id,
        case
            {%- if port_set == 'high_risk' and high_risk_ports | length == 0 %}
            when true then 'not_evaluated'
            {%- endif %}
            when exposed_ports.group_id is null then 'pass'
            else 'fail'
        end as status,
        case
            {%- if port_set == 'high_risk' and high_risk_ports | length == 0 %}
            when true then 'the var soc2_high_risk_ports is empty: list the high-risk ports to check'
            {%- endif %}
            when exposed_ports.group_id is null
                then 'no ingress rule opens {{ label }} to 0.0.0.0/0 or ::/0'
            else 'security group ' || security_groups.group_id || ' (' || coalesce(security_groups.group_name, '')
                || ') lets the internet reach {{ label }}: ' || exposed_ports.exposures
                || '; restrict the rule to known address ranges or reach the hosts through Session Manager or a VPN'
        end as reason,
        'internet_ingress=' || coalesce(exposed_ports.exposures, 'none') as evidence,
        security_groups.source_relation,
        security_groups.synced_at
    from security_groups
    left join exposed_ports
        on security_groups.account_id = exposed_ports.account_id
        and security_groups.region = exposed_ports.region
        and security_groups.group_id = exposed_ports.group_id
        and exposed_ports.port_set = '{{ port_set }}'

),
{%- endfor %}

all_ports_rules as (

    select
        account_id,
        region,
        group_id,
        {{ soc2.string_agg_distinct(
            "ip_protocol || ' ' || cast(from_port as " ~ dbt.type_string() ~ ") || '-'
            || cast(to_port as " ~ dbt.type_string() ~ ") || ' from ' || source", ', ') }} as exposures
    from world_ingress
    where ip_protocol = 'all'
        or (ip_protocol in ('tcp', 'udp') and from_port <= 1 and to_port >= 65535)
    group by account_id, region, group_id

),

all_ports_from_internet as (

    select
        'aws_sg_no_ingress_all_ports_from_internet__all_ports' as control_id,
        security_groups.account_id,
        security_groups.region,
        'aws_ec2_security_group' as resource_type,
        security_groups.group_id as resource_id,
        case when all_ports_rules.group_id is null then 'pass' else 'fail' end as status,
        case
            when all_ports_rules.group_id is null
                then 'no ingress rule opens all traffic or every port to 0.0.0.0/0 or ::/0'
            else 'security group ' || security_groups.group_id || ' (' || coalesce(security_groups.group_name, '')
                || ') opens every port to the internet: ' || all_ports_rules.exposures
                || '; replace the rule with rules for the ports the service needs, from known ranges'
        end as reason,
        'all_ports_ingress=' || coalesce(all_ports_rules.exposures, 'none') as evidence,
        security_groups.source_relation,
        security_groups.synced_at
    from security_groups
    left join all_ports_rules
        on security_groups.account_id = all_ports_rules.account_id
        and security_groups.region = all_ports_rules.region
        and security_groups.group_id = all_ports_rules.group_id

),

-- an internet rule is authorised when every port of its range is listed
world_port_rules as (

    select
        world_ingress.account_id,
        world_ingress.region,
        world_ingress.group_id,
        world_ingress.permission_index,
        world_ingress.source,
        world_ingress.ip_protocol,
        world_ingress.from_port,
        world_ingress.to_port,
        count(distinct authorized_ports.port) as authorized_port_count
    from world_ingress
    left join authorized_ports
        on authorized_ports.port between world_ingress.from_port and world_ingress.to_port
    where world_ingress.ip_protocol in ('tcp', 'udp', 'all')
    group by
        world_ingress.account_id,
        world_ingress.region,
        world_ingress.group_id,
        world_ingress.permission_index,
        world_ingress.source,
        world_ingress.ip_protocol,
        world_ingress.from_port,
        world_ingress.to_port

),

unauthorized_port_rules as (

    select
        account_id,
        region,
        group_id,
        {{ soc2.string_agg_distinct(
            "ip_protocol || ' ' || cast(from_port as " ~ dbt.type_string() ~ ") || '-'
            || cast(to_port as " ~ dbt.type_string() ~ ") || ' from ' || source", ', ') }} as exposures
    from world_port_rules
    where authorized_port_count < to_port - from_port + 1
    group by account_id, region, group_id

),

unauthorized_ports_from_internet as (

    select
        'aws_sg_no_ingress_all_ports_from_internet__unauthorized_ports' as control_id,
        security_groups.account_id,
        security_groups.region,
        'aws_ec2_security_group' as resource_type,
        security_groups.group_id as resource_id,
        case
            {%- if authorized_ports | length == 0 %}
            when true then 'not_evaluated'
            {%- endif %}
            when unauthorized_port_rules.group_id is null then 'pass'
            else 'fail'
        end as status,
        case
            {%- if authorized_ports | length == 0 %}
            when true then 'the var soc2_authorized_public_ports is empty: list the ports that may be open to the internet'
            {%- endif %}
            when unauthorized_port_rules.group_id is null
                then 'every port open to 0.0.0.0/0 or ::/0 is in soc2_authorized_public_ports'
            else 'security group ' || security_groups.group_id || ' (' || coalesce(security_groups.group_name, '')
                || ') opens ports outside soc2_authorized_public_ports to the internet: ' || unauthorized_port_rules.exposures
                || '; narrow the rule to authorised ports or to known address ranges'
        end as reason,
        'unauthorized_internet_ingress=' || coalesce(unauthorized_port_rules.exposures, 'none')
        || '; authorized_ports={{ authorized_ports | join("/") }}' as evidence,
        security_groups.source_relation,
        security_groups.synced_at
    from security_groups
    left join unauthorized_port_rules
        on security_groups.account_id = unauthorized_port_rules.account_id
        and security_groups.region = unauthorized_port_rules.region
        and security_groups.group_id = unauthorized_port_rules.group_id

),

-- public IPv4 ranges of /1 to /23 (0.0.0.0/0 is the internet itself, reported
-- by the controls above); RFC 1918 ranges are private
wide_public_rules as (

    select
        account_id,
        region,
        group_id,
        {{ soc2.string_agg_distinct('source', ', ') }} as wide_ranges
    from ingress
    where source_kind = 'ipv4'
        and ipv4_prefix_length between 1 and 23
        and not (
            (ipv4_first_octet = 10 and ipv4_prefix_length >= 8)
            or (ipv4_first_octet = 172 and ipv4_second_octet between 16 and 31 and ipv4_prefix_length >= 12)
            or (ipv4_first_octet = 192 and ipv4_second_octet = 168 and ipv4_prefix_length >= 16)
        )
    group by account_id, region, group_id

),

wide_public_cidr as (

    select
        'aws_sg_no_wide_public_cidr' as control_id,
        security_groups.account_id,
        security_groups.region,
        'aws_ec2_security_group' as resource_type,
        security_groups.group_id as resource_id,
        case when wide_public_rules.group_id is null then 'pass' else 'fail' end as status,
        case
            when wide_public_rules.group_id is null
                then 'no ingress rule admits a public IPv4 range wider than /24'
            else 'security group ' || security_groups.group_id || ' (' || coalesce(security_groups.group_name, '')
                || ') admits wide public IPv4 ranges: ' || wide_public_rules.wide_ranges
                || '; narrow them to the addresses that need access (/24 or smaller)'
        end as reason,
        'wide_public_ranges=' || coalesce(wide_public_rules.wide_ranges, 'none') as evidence,
        security_groups.source_relation,
        security_groups.synced_at
    from security_groups
    left join wide_public_rules
        on security_groups.account_id = wide_public_rules.account_id
        and security_groups.region = wide_public_rules.region
        and security_groups.group_id = wide_public_rules.group_id

),

default_sg_closed as (

    select
        'aws_vpc_default_sg_closed' as control_id,
        account_id,
        region,
        'aws_ec2_security_group' as resource_type,
        group_id as resource_id,
        case
            when {{ soc2.json_is_present('ip_permissions') }} or {{ soc2.json_is_present('ip_permissions_egress') }}
                then 'fail'
            else 'pass'
        end as status,
        case
            when {{ soc2.json_is_present('ip_permissions') }} or {{ soc2.json_is_present('ip_permissions_egress') }}
                then 'the default security group ' || group_id || ' of ' || coalesce(vpc_id, 'its VPC')
                || ' has inbound or outbound rules; remove them all and give resources purpose-built groups'
            else 'the default security group has no inbound or outbound rule'
        end as reason,
        'has_ingress_rules=' || cast({{ soc2.json_is_present('ip_permissions') }} as {{ dbt.type_string() }})
        || '; has_egress_rules=' || cast({{ soc2.json_is_present('ip_permissions_egress') }} as {{ dbt.type_string() }})
            as evidence,
        source_relation,
        synced_at
    from security_groups
    where group_name = 'default'

),

interface_groups as (

    select distinct
        network_interfaces.account_id,
        network_interfaces.region,
        {{ soc2.json_text('interface_group', ['GroupId']) }} as group_id
    from network_interfaces
    {{ soc2.unnest_lateral(soc2.json_as_array('network_interfaces.groups'), 'interface_group', 'group_index', 'interface_group_rows') }}

),

sg_unused as (

    select
        'aws_vpc_sg_unused' as control_id,
        security_groups.account_id,
        security_groups.region,
        'aws_ec2_security_group' as resource_type,
        security_groups.group_id as resource_id,
        case
            when security_groups.group_name = 'default' then 'not_applicable'
            when interface_groups.group_id is not null then 'pass'
            else 'fail'
        end as status,
        case
            when security_groups.group_name = 'default'
                then 'a default security group cannot be deleted; aws_vpc_default_sg_closed checks it is empty'
            when interface_groups.group_id is not null
                then 'the security group is attached to at least one network interface'
            else 'security group ' || security_groups.group_id || ' (' || coalesce(security_groups.group_name, '')
                || ') is attached to no network interface; delete it if nothing will use it'
        end as reason,
        'attached_to_interface=' || case when interface_groups.group_id is null then 'false' else 'true' end
        || '; group_name=' || coalesce(security_groups.group_name, 'null') as evidence,
        security_groups.source_relation,
        security_groups.synced_at
    from security_groups
    left join interface_groups
        on security_groups.account_id = interface_groups.account_id
        and security_groups.region = interface_groups.region
        and security_groups.group_id = interface_groups.group_id

),

acl_entries as (

    select
        network_acls.account_id,
        network_acls.region,
        network_acls.network_acl_id,
        cast({{ soc2.json_text('acl_entry', ['RuleNumber']) }} as {{ dbt.type_int() }}) as rule_number,
        lower({{ soc2.json_text('acl_entry', ['Protocol']) }}) as raw_protocol,
        lower({{ soc2.json_text('acl_entry', ['RuleAction']) }}) as rule_action,
        lower(coalesce({{ soc2.json_text('acl_entry', ['Egress']) }}, 'false')) = 'true' as is_egress,
        {{ soc2.json_text('acl_entry', ['CidrBlock']) }} as cidr_block,
        {{ soc2.json_text('acl_entry', ['Ipv6CidrBlock']) }} as ipv6_cidr_block,
        cast({{ soc2.json_text('acl_entry', ['PortRange', 'From']) }} as {{ dbt.type_int() }}) as from_port,
        cast({{ soc2.json_text('acl_entry', ['PortRange', 'To']) }} as {{ dbt.type_int() }}) as to_port
    from network_acls
    {{ soc2.unnest_lateral(soc2.json_as_array('network_acls.entries'), 'acl_entry', 'entry_index', 'acl_entry_rows') }}

),

admin_ports as (

    {%- for port in admin_ports %}
    select {{ port }} as port
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

-- ingress entries that match TCP traffic from the whole internet to an
-- admin port, per address family; the first of them decides
acl_internet_matches as (

    select
        acl_entries.account_id,
        acl_entries.region,
        acl_entries.network_acl_id,
        case when acl_entries.cidr_block = '0.0.0.0/0' then 'ipv4' else 'ipv6' end as address_family,
        admin_ports.port,
        acl_entries.rule_number,
        acl_entries.rule_action
    from acl_entries
    inner join admin_ports
        on admin_ports.port between coalesce(acl_entries.from_port, 0) and coalesce(acl_entries.to_port, 65535)
        or acl_entries.raw_protocol in ('-1', 'all')
    where not acl_entries.is_egress
        and acl_entries.raw_protocol in ('-1', 'all', '6', 'tcp')
        and (acl_entries.cidr_block = '0.0.0.0/0' or acl_entries.ipv6_cidr_block = '::/0')

),

acl_first_matches as (

    select
        account_id,
        region,
        network_acl_id,
        address_family,
        port,
        min(rule_number) as first_rule_number
    from acl_internet_matches
    group by account_id, region, network_acl_id, address_family, port

),

acl_open_ports as (

    select
        acl_internet_matches.account_id,
        acl_internet_matches.region,
        acl_internet_matches.network_acl_id,
        {{ soc2.string_agg_distinct(
            "cast(acl_internet_matches.port as " ~ dbt.type_string() ~ ") || '/' || acl_internet_matches.address_family
            || ' (rule ' || cast(acl_internet_matches.rule_number as " ~ dbt.type_string() ~ ") || ')'", ', ') }}
            as open_ports
    from acl_internet_matches
    inner join acl_first_matches
        on acl_internet_matches.account_id = acl_first_matches.account_id
        and acl_internet_matches.region = acl_first_matches.region
        and acl_internet_matches.network_acl_id = acl_first_matches.network_acl_id
        and acl_internet_matches.address_family = acl_first_matches.address_family
        and acl_internet_matches.port = acl_first_matches.port
        and acl_internet_matches.rule_number = acl_first_matches.first_rule_number
    where acl_internet_matches.rule_action = 'allow'
    group by acl_internet_matches.account_id, acl_internet_matches.region, acl_internet_matches.network_acl_id

),

nacl_admin_ports as (

    select
        'aws_nacl_no_ingress_admin_ports_from_internet' as control_id,
        network_acls.account_id,
        network_acls.region,
        'aws_ec2_network_acl' as resource_type,
        network_acls.network_acl_id as resource_id,
        case when acl_open_ports.network_acl_id is null then 'pass' else 'fail' end as status,
        case
            when acl_open_ports.network_acl_id is null
                then 'no ingress entry lets the internet reach TCP 22 or 3389 before a deny'
            else 'network ACL ' || network_acls.network_acl_id || ' of ' || coalesce(network_acls.vpc_id, 'its VPC')
                || ' allows the internet to reach admin ports: ' || acl_open_ports.open_ports
                || '; add lower-numbered deny entries for TCP 22 and 3389 from 0.0.0.0/0 and ::/0, or narrow the allow'
        end as reason,
        'open_admin_ports=' || coalesce(acl_open_ports.open_ports, 'none')
        || '; is_default=' || coalesce(cast(network_acls.is_default as {{ dbt.type_string() }}), 'null') as evidence,
        network_acls.source_relation,
        network_acls.synced_at
    from network_acls
    left join acl_open_ports
        on network_acls.account_id = acl_open_ports.account_id
        and network_acls.region = acl_open_ports.region
        and network_acls.network_acl_id = acl_open_ports.network_acl_id

),

final as (

    select * from ssh_from_internet
    union all
    select * from rdp_from_internet
    union all
    select * from high_risk_from_internet
    union all
    select * from all_ports_from_internet
    union all
    select * from unauthorized_ports_from_internet
    union all
    select * from wide_public_cidr
    union all
    select * from default_sg_closed
    union all
    select * from sg_unused
    union all
    select * from nacl_admin_ports

)

select * from final
{% endcall %}
