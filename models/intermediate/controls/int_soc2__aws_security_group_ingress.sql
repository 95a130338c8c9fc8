-- One row per security-group ingress rule and source: each element of
-- ip_permissions exploded into its IPv4 ranges, IPv6 ranges and referenced
-- security groups, with the protocol normalised (tcp, udp, icmp, icmpv6, all
-- for "-1"), the port range it opens (all traffic and tcp/udp rules without
-- ports open 0-65535; icmp and other protocols have no ports) and whether the
-- source is the whole internet (0.0.0.0/0 or ::/0). A referenced security
-- group is never the internet.
with security_groups as (

    select * from {{ ref('stg_soc2__aws_ec2_security_groups') }}

),

permissions as (

    select
        security_groups.account_id,
        security_groups.region,
        security_groups.group_id,
        security_groups.group_name,
        security_groups.vpc_id,
        permission_index,
        lower({{ soc2.json_text('permission', ['IpProtocol']) }}) as raw_protocol,
        cast({{ soc2.json_text('permission', ['FromPort']) }} as {{ dbt.type_int() }}) as raw_from_port,
        cast({{ soc2.json_text('permission', ['ToPort']) }} as {{ dbt.type_int() }}) as raw_to_port,
        {{ soc2.json_value('permission', ['IpRanges']) }} as ipv4_ranges,
        {{ soc2.json_value('permission', ['Ipv6Ranges']) }} as ipv6_ranges,
        {{ soc2.json_value('permission', ['UserIdGroupPairs']) }} as group_pairs,
        security_groups.source_relation,
        security_groups.synced_at
    from security_groups
    {{ soc2.unnest_lateral(
        soc2.json_as_array('security_groups.ip_permissions'), 'permission', 'permission_index', 'perms') }}

),

normalised as (

    select
        account_id,
        region,
        group_id,
        group_name,
        vpc_id,
        permission_index,
        case
            when raw_protocol in ('-1', 'all') then 'all'
            when raw_protocol in ('tcp', '6') then 'tcp'
            when raw_protocol in ('udp', '17') then 'udp'
            when raw_protocol in ('icmp', '1') then 'icmp'
            when raw_protocol in ('icmpv6', '58') then 'icmpv6'
            else raw_protocol
        end as ip_protocol,
        raw_from_port,
        raw_to_port,
        ipv4_ranges,
        ipv6_ranges,
        group_pairs,
        source_relation,
        synced_at
    from permissions

),

ported as (

    select
        account_id,
        region,
        group_id,
        group_name,
        vpc_id,
        permission_index,
        ip_protocol,
        case
            when ip_protocol = 'all' then 0
            when ip_protocol in ('tcp', 'udp') then
                case when raw_from_port is null or raw_from_port < 0 then 0 else raw_from_port end
        end as from_port,
        case
            when ip_protocol = 'all' then 65535
            when ip_protocol in ('tcp', 'udp') then
                case when raw_to_port is null or raw_to_port < 0 then 65535 else raw_to_port end
        end as to_port,
        ipv4_ranges,
        ipv6_ranges,
        group_pairs,
        source_relation,
        synced_at
    from normalised

),

sources as (

    select
        ported.account_id,
        ported.region,
        ported.group_id,
        ported.group_name,
        ported.vpc_id,
        ported.permission_index,
        ported.ip_protocol,
        ported.from_port,
        ported.to_port,
        'ipv4' as source_kind,
        {{ soc2.json_text('ipv4_range', ['CidrIp']) }} as source,
        ported.source_relation,
        ported.synced_at
    from ported
    {{ soc2.unnest_lateral(soc2.json_as_array('ported.ipv4_ranges'), 'ipv4_range', 'ipv4_index', 'ipv4_rows') }}
    union all
    select
        ported.account_id,
        ported.region,
        ported.group_id,
        ported.group_name,
        ported.vpc_id,
        ported.permission_index,
        ported.ip_protocol,
        ported.from_port,
        ported.to_port,
        'ipv6' as source_kind,
        {{ soc2.json_text('ipv6_range', ['CidrIpv6']) }} as source,
        ported.source_relation,
        ported.synced_at
    from ported
    {{ soc2.unnest_lateral(soc2.json_as_array('ported.ipv6_ranges'), 'ipv6_range', 'ipv6_index', 'ipv6_rows') }}
    union all
    select
        ported.account_id,
        ported.region,
        ported.group_id,
        ported.group_name,
        ported.vpc_id,
        ported.permission_index,
        ported.ip_protocol,
        ported.from_port,
        ported.to_port,
        'security_group' as source_kind,
        {{ soc2.json_text('group_pair', ['GroupId']) }} as source,
        ported.source_relation,
        ported.synced_at
    from ported
    {{ soc2.unnest_lateral(soc2.json_as_array('ported.group_pairs'), 'group_pair', 'pair_index', 'pairs') }}

),

final as (

    select
        account_id,
        region,
        group_id,
        group_name,
        vpc_id,
        permission_index,
        ip_protocol,
        from_port,
        to_port,
        source_kind,
        source,
        (source_kind = 'ipv4' and source = '0.0.0.0/0')
        or (source_kind = 'ipv6' and source = '::/0') as is_open_to_world,
        case
            when source_kind = 'ipv4'
                then cast({{ soc2.list_item('source', '/', 2) }} as {{ dbt.type_int() }})
        end as ipv4_prefix_length,
        case
            when source_kind = 'ipv4'
                then cast({{ soc2.list_item('source', '.', 1) }} as {{ dbt.type_int() }})
        end as ipv4_first_octet,
        case
            when source_kind = 'ipv4'
                then cast({{ soc2.list_item('source', '.', 2) }} as {{ dbt.type_int() }})
        end as ipv4_second_octet,
        source_relation,
        synced_at
    from sources

)

select * from final
