"""The network inside every generated VPC: subnets, route tables, gateways, ACLs, security groups.

Reads the VPCs the detection module made (`aws_ec2_vpcs`) and draws from its
own stream. A default VPC looks as AWS leaves it: two subnets that give
instances public addresses, a main route table to the internet gateway, the
allow-all network ACL and, unless someone cleaned it, the default security
group with its self-referencing ingress and open egress. A workload VPC has a
public subnet routed to the internet gateway, private subnets behind a NAT
gateway, often a network ACL that denies SSH and RDP from the internet, and
security groups for the web tier (80/443 from anywhere), administration (SSH,
usually from the VPC only), the database (from the VPC, occasionally from
anywhere), a partner integration now and then (a wide public range, an RDP
rule left open over IPv6) and a forgotten all-traffic group nobody uses. A web
and an app instance run in each workload VPC, an old instance is sometimes
left terminated, some accounts keep an Elastic IP nobody released, peer with a
shared-services VPC (sometimes routing its whole range) and run a transit
gateway that may accept shared attachments automatically. The first three
accounts are forced through both outcomes of every control that does not need
a user's allow-list.
"""

from __future__ import annotations

import random

from soc2_tools.generator.organisation import Organisation, Service
from soc2_tools.generator.records import Row, cq_id

TABLES = (
    "aws_ec2_internet_gateways",
    "aws_ec2_subnets",
    "aws_ec2_route_tables",
    "aws_ec2_network_acls",
    "aws_ec2_security_groups",
    "aws_ec2_instances",
    "aws_ec2_network_interfaces",
    "aws_ec2_eips",
    "aws_ec2_vpc_peering_connections",
    "aws_ec2_transit_gateways",
)
ANYWHERE = "0.0.0.0/0"
ANYWHERE_V6 = "::/0"
SHARED_SERVICES_CIDR = "10.250.0.0/16"


def generate(org: Organisation) -> None:
    """Every VPC's network, then per account an idle Elastic IP and a transit gateway."""
    rng = org.stream("network")
    accounts = {account.account_id: account for account in org.accounts}
    first_workload: set[str] = set()
    for vpc in list(org.tables.get("aws_ec2_vpcs", [])):
        account = accounts[vpc["account_id"]]
        if vpc["is_default"]:
            _default_vpc(org, rng, vpc)
        else:
            first = vpc["account_id"] not in first_workload
            first_workload.add(vpc["account_id"])
            _workload_vpc(org, rng, vpc, account.index if first else None)
    for account in org.accounts:
        index = account.index
        if index == 1 or (index > 2 and rng.random() < 0.4):
            _eip(org, rng, account.account_id, account.region, None)
        auto_accept = index == 1 or (index > 2 and rng.random() < 0.3)
        gateway = _id(rng, "tgw")
        _add(
            org,
            "aws_ec2_transit_gateways",
            account.account_id,
            account.region,
            f"transit-gateway/{gateway}",
            id=gateway,
            transit_gateway_id=gateway,
            state="available",
            options={
                "AmazonSideAsn": 64512,
                "AutoAcceptSharedAttachments": "enable" if auto_accept else "disable",
                "DefaultRouteTableAssociation": "enable",
                "DefaultRouteTablePropagation": "enable",
                "DnsSupport": "enable",
                "VpnEcmpSupport": "enable",
            },
        )


def _id(rng: random.Random, prefix: str) -> str:
    return f"{prefix}-{rng.getrandbits(68):017x}"


def _add(
    org: Organisation, table: str, account_id: str, region: str, resource: str, **row: object
) -> Row:
    arn = f"arn:aws:ec2:{region}:{account_id}:{resource}"
    key = {"aws_ec2_subnets": {"request_account_id": account_id, "request_region": region}}.get(
        table, {"account_id": account_id, "region": region}
    )
    return org.add(table, {"_cq_id": cq_id(table, arn), **key, "arn": arn, "tags": {}, **row})


def _permission(
    protocol: str,
    ports: tuple[int, int] | None = None,
    ipv4: tuple[str, ...] = (),
    ipv6: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
) -> Row:
    permission: Row = {"IpProtocol": protocol}
    if ports is not None:
        permission["FromPort"], permission["ToPort"] = ports
    permission["IpRanges"] = [{"CidrIp": cidr} for cidr in ipv4]
    permission["Ipv6Ranges"] = [{"CidrIpv6": cidr} for cidr in ipv6]
    permission["PrefixListIds"] = []
    permission["UserIdGroupPairs"] = [{"GroupId": group} for group in groups]
    return permission


def _security_group(
    org: Organisation,
    rng: random.Random,
    vpc: Row,
    name: str,
    ingress: list[Row],
    group_id: str | None = None,
) -> str:
    group = group_id or _id(rng, "sg")
    _add(
        org,
        "aws_ec2_security_groups",
        vpc["account_id"],
        vpc["region"],
        f"security-group/{group}",
        description=f"{name} security group",
        group_id=group,
        group_name=name,
        ip_permissions=ingress,
        ip_permissions_egress=[]
        if name == "default" and not ingress
        else [_permission("-1", ipv4=(ANYWHERE,))],
        owner_id=vpc["account_id"],
        vpc_id=vpc["vpc_id"],
    )
    return group


def _subnet(org: Organisation, rng: random.Random, vpc: Row, cidr: str, public_ip: bool) -> str:
    subnet = _id(rng, "subnet")
    _add(
        org,
        "aws_ec2_subnets",
        vpc["account_id"],
        vpc["region"],
        f"subnet/{subnet}",
        subnet_id=subnet,
        vpc_id=vpc["vpc_id"],
        owner_id=vpc["account_id"],
        availability_zone=vpc["region"] + rng.choice("abc"),
        map_public_ip_on_launch=public_ip,
        cidr_block=cidr,
    )
    return subnet


def _route_table(
    org: Organisation,
    rng: random.Random,
    vpc: Row,
    routes: list[Row],
    subnets: list[str],
    main: bool,
) -> str:
    table = _id(rng, "rtb")
    local = {"DestinationCidrBlock": vpc["cidr_block"], "GatewayId": "local", "State": "active"}
    associations: list[Row] = [{"Main": True, "RouteTableId": table}] if main else []
    associations += [
        {"Main": False, "RouteTableId": table, "SubnetId": subnet} for subnet in subnets
    ]
    _add(
        org,
        "aws_ec2_route_tables",
        vpc["account_id"],
        vpc["region"],
        f"route-table/{table}",
        route_table_id=table,
        vpc_id=vpc["vpc_id"],
        routes=[local, *({"State": "active", **route} for route in routes)],
        associations=associations,
    )
    return table


def _acl_entry(
    number: int, protocol: str, action: str, egress: bool, ports: tuple[int, int] | None = None
) -> Row:
    entry: Row = {
        "RuleNumber": number,
        "Protocol": protocol,
        "RuleAction": action,
        "Egress": egress,
        "CidrBlock": ANYWHERE,
    }
    if ports is not None:
        entry["PortRange"] = {"From": ports[0], "To": ports[1]}
    return entry


def _network_acl(
    org: Organisation, rng: random.Random, vpc: Row, subnets: list[str], restricted: bool
) -> None:
    acl = _id(rng, "acl")
    entries = [_acl_entry(100, "-1", "allow", False), _acl_entry(100, "-1", "allow", True)]
    if restricted:
        entries = [
            _acl_entry(90, "6", "deny", False, (22, 22)),
            _acl_entry(95, "6", "deny", False, (3389, 3389)),
            *entries,
        ]
    entries += [_acl_entry(32767, "-1", "deny", False), _acl_entry(32767, "-1", "deny", True)]
    _add(
        org,
        "aws_ec2_network_acls",
        vpc["account_id"],
        vpc["region"],
        f"network-acl/{acl}",
        network_acl_id=acl,
        vpc_id=vpc["vpc_id"],
        is_default=not restricted,
        entries=entries,
        associations=[
            {
                "NetworkAclAssociationId": _id(rng, "aclassoc"),
                "NetworkAclId": acl,
                "SubnetId": subnet,
            }
            for subnet in subnets
        ],
    )


def _internet_gateway(org: Organisation, rng: random.Random, vpc: Row) -> str:
    gateway = _id(rng, "igw")
    _add(
        org,
        "aws_ec2_internet_gateways",
        vpc["account_id"],
        vpc["region"],
        f"internet-gateway/{gateway}",
        internet_gateway_id=gateway,
        attachments=[{"VpcId": vpc["vpc_id"], "State": "available"}],
        owner_id=vpc["account_id"],
    )
    return gateway


def _default_vpc(org: Organisation, rng: random.Random, vpc: Row) -> None:
    gateway = _internet_gateway(org, rng, vpc)
    subnets = [_subnet(org, rng, vpc, cidr, True) for cidr in ("172.31.0.0/20", "172.31.16.0/20")]
    _route_table(
        org, rng, vpc, [{"DestinationCidrBlock": ANYWHERE, "GatewayId": gateway}], [], True
    )
    _network_acl(org, rng, vpc, subnets, restricted=False)
    _default_group(org, rng, vpc, closed=rng.random() < 0.3)


def _default_group(org: Organisation, rng: random.Random, vpc: Row, closed: bool) -> None:
    group = _id(rng, "sg")
    ingress = [] if closed else [_permission("-1", groups=(group,))]
    _security_group(org, rng, vpc, "default", ingress, group)


def _workload_vpc(org: Organisation, rng: random.Random, vpc: Row, forced: int | None) -> None:
    """`forced` is the account index for an account's first workload VPC, else None."""
    prefix = vpc["cidr_block"].rsplit(".", 2)[0]
    gateway = _internet_gateway(org, rng, vpc)
    auto_ip = forced == 1 if forced is not None and forced < 3 else rng.random() < 0.3
    public = _subnet(org, rng, vpc, f"{prefix}.0.0/24", auto_ip)
    private = [
        _subnet(org, rng, vpc, f"{prefix}.{number}.0/24", False)
        for number in range(1, rng.randint(1, 2) + 1)
    ]
    routes: list[Row] = [{"DestinationCidrBlock": ANYWHERE, "NatGatewayId": _id(rng, "nat")}]
    if forced is not None and (forced < 2 or rng.random() < 0.7):
        full = forced == 1 or (forced > 2 and rng.random() < 0.4)
        routes.append(_peering(org, rng, vpc, full))
    _route_table(org, rng, vpc, routes, [], True)
    _route_table(
        org, rng, vpc, [{"DestinationCidrBlock": ANYWHERE, "GatewayId": gateway}], [public], False
    )
    restricted = forced == 0 if forced is not None and forced < 3 else rng.random() < 0.6
    _network_acl(org, rng, vpc, [public, *private] if restricted else [], restricted)
    if restricted:
        _network_acl(org, rng, vpc, [], False)

    def pick(account: int, chance: float) -> bool:
        return forced == account if forced is not None and forced < 3 else rng.random() < chance

    _default_group(org, rng, vpc, closed=pick(0, 0.3))

    cidr = (vpc["cidr_block"],)
    web = _security_group(
        org,
        rng,
        vpc,
        "web",
        [
            _permission("tcp", (443, 443), (ANYWHERE,), (ANYWHERE_V6,)),
            _permission("tcp", (80, 80), (ANYWHERE,)),
        ],
    )
    admin = _security_group(
        org,
        rng,
        vpc,
        "admin",
        [_permission("tcp", (22, 22), (ANYWHERE,) if pick(1, 0.3) else cidr)],
    )
    database = _security_group(
        org,
        rng,
        vpc,
        "database",
        [_permission("tcp", (5432, 5432), (ANYWHERE,) if pick(2, 0.15) else cidr)],
    )
    if pick(0, 0.3):
        partner = _security_group(
            org,
            rng,
            vpc,
            "partner",
            [
                _permission("tcp", (443, 443), ("52.95.0.0/16",)),
                _permission("tcp", (3389, 3389), ipv6=(ANYWHERE_V6,)),
            ],
        )
        _interface(org, rng, vpc, private[0], [partner], None, None, "vpc_endpoint")
    if pick(1, 0.35):
        _security_group(org, rng, vpc, "legacy", [_permission("-1", ipv4=(ANYWHERE,))])
    web_ip = f"198.51.100.{rng.randrange(1, 255)}"
    web_instance = _instance(org, rng, vpc, public, [web, admin], web_ip, "running")
    _instance(org, rng, vpc, private[0], [database], None, "running")
    if pick(2, 0.3):
        _instance(org, rng, vpc, private[-1], [database], None, "terminated")
    if pick(0, 0.5):
        _eip(org, rng, vpc["account_id"], vpc["region"], (web_instance, web_ip))


def _peering(org: Organisation, rng: random.Random, vpc: Row, full: bool) -> Row:
    connection = _id(rng, "pcx")

    def side(vpc_id: str, owner: str, cidr: str) -> Row:
        return {
            "VpcId": vpc_id,
            "OwnerId": owner,
            "Region": vpc["region"],
            "CidrBlock": cidr,
            "CidrBlockSet": [{"CidrBlock": cidr}],
        }

    _add(
        org,
        "aws_ec2_vpc_peering_connections",
        vpc["account_id"],
        vpc["region"],
        f"vpc-peering-connection/{connection}",
        vpc_peering_connection_id=connection,
        requester_vpc_info=side(vpc["vpc_id"], vpc["account_id"], vpc["cidr_block"]),
        accepter_vpc_info=side(_id(rng, "vpc"), org.vendor_account, SHARED_SERVICES_CIDR),
        status={"Code": "active", "Message": "Active"},
    )
    destination = SHARED_SERVICES_CIDR if full else "10.250.1.0/24"
    return {"DestinationCidrBlock": destination, "VpcPeeringConnectionId": connection}


def _interface(
    org: Organisation,
    rng: random.Random,
    vpc: Row,
    subnet: str,
    groups: list[str],
    instance: str | None,
    public_ip: str | None,
    kind: str = "interface",
) -> str:
    interface = _id(rng, "eni")
    _add(
        org,
        "aws_ec2_network_interfaces",
        vpc["account_id"],
        vpc["region"],
        f"network-interface/{interface}",
        network_interface_id=interface,
        vpc_id=vpc["vpc_id"],
        subnet_id=subnet,
        interface_type=kind,
        status="in-use",
        groups=[{"GroupId": group} for group in groups],
        association={"PublicIp": public_ip, "IpOwnerId": "amazon"} if public_ip else None,
        attachment={"InstanceId": instance, "DeviceIndex": 0, "Status": "attached"}
        if instance
        else None,
        requester_managed=instance is None,
    )
    return interface


def _instance(
    org: Organisation,
    rng: random.Random,
    vpc: Row,
    subnet: str,
    groups: list[str],
    public_ip: str | None,
    state: str,
) -> str:
    instance = _id(rng, "i")
    interfaces: list[Row] = []
    if state != "terminated":
        interface = _interface(org, rng, vpc, subnet, groups, instance, public_ip)
        interfaces.append(
            {
                "NetworkInterfaceId": interface,
                "SubnetId": subnet,
                "VpcId": vpc["vpc_id"],
                "Groups": [{"GroupId": group} for group in groups],
                **({"Association": {"PublicIp": public_ip}} if public_ip else {}),
            }
        )
    running = state != "terminated"
    _add(
        org,
        "aws_ec2_instances",
        vpc["account_id"],
        vpc["region"],
        f"instance/{instance}",
        instance_id=instance,
        vpc_id=vpc["vpc_id"] if running else None,
        subnet_id=subnet if running else None,
        public_ip_address=public_ip,
        state={"Code": 16 if running else 48, "Name": state},
        instance_type=rng.choice(("t3.micro", "m5.large", "c5.xlarge")),
        network_interfaces=interfaces,
        security_groups=[{"GroupId": group} for group in groups] if running else [],
        # the compute settings of these instances are compliant; compute.py
        # adds the instances whose settings vary (it fills the same table)
        metadata_options={"HttpTokens": "required", "HttpEndpoint": "enabled", "State": "applied"},
        monitoring={"State": "enabled"},
        ebs_optimized=True,
    )
    return instance


def _eip(
    org: Organisation,
    rng: random.Random,
    account_id: str,
    region: str,
    attached: tuple[str, str] | None,
) -> None:
    allocation = _id(rng, "eipalloc")
    instance, address = attached or (None, f"203.0.113.{rng.randrange(1, 255)}")
    org.add(
        "aws_ec2_eips",
        {
            "_cq_id": cq_id("aws_ec2_eips", account_id, region, allocation),
            "account_id": account_id,
            "region": region,
            "tags": {},
            "allocation_id": allocation,
            "public_ip": address,
            "association_id": _id(rng, "eipassoc") if instance else None,
            "instance_id": instance,
            "domain": "vpc",
        },
    )


SERVICE = Service("network", TABLES, generate)
