"""Encryption in transit, keys and secrets of every generated account.

Fills the tables of the transit, key and secret controls that hang off the
workloads `services` made, plus the keys, secrets, certificates, MSK
clusters and Transfer Family servers of each account: listeners of the v2
load balancers (HTTP redirected to HTTPS or not, TLS policies old and new),
the web ACLs of some internet-facing application load balancers, the SSL
negotiation policies of the classic ones, the require_ssl parameter of the
Redshift clusters, default RDS parameter groups, ACM certificates (one in
use and close to expiry now and then), KMS keys (customer keys with and
without rotation, the odd one pending deletion, AWS-managed keys) with their
rotation statuses, Secrets Manager secrets (rotating or not, read recently
or long ago), MSK clusters and SFTP/FTP servers.

Draws from its own stream (`transport`), so every other table stays
byte-identical. The first account gets the passing case of each control and
the second the failing one, so each control passes and fails in the
smallest demo.
"""

from __future__ import annotations

import random
from datetime import timedelta

from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import Row, cq_id

# Children of the load balancers and Redshift clusters `services` makes: the
# only tables of this module that change (empty) when `services` is left out.
SERVICE_CHILD_TABLES = (
    "aws_elbv2_listeners",
    "aws_elbv2_load_balancer_web_acls",
    "aws_elbv1_load_balancer_policies",
    "aws_redshift_cluster_parameters",
)
TABLES = (
    *SERVICE_CHILD_TABLES,
    "aws_acm_certificates",
    "aws_rds_db_parameter_groups",
    "aws_rds_db_parameter_group_db_parameters",
    "aws_kms_keys",
    "aws_kms_key_rotation_statuses",
    "aws_secretsmanager_secrets",
    "aws_kafka_clusters",
    "aws_transfer_servers",
)
MODERN_POLICIES = ("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
OLD_POLICIES = ("ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-1-2017-01")
CLASSIC_POLICIES = ("ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-2016-08")


def generate(org: Organisation) -> None:
    """Children of the service-made resources, then the per-account resources.

    The two draw from separate streams, so the per-account tables do not
    depend on how many resources `services` made.
    """
    rng = org.stream("transport/service-children")
    for number, balancer in enumerate(org.tables.get("aws_elbv2_load_balancers", [])):
        _listeners(org, rng, balancer, number)
    for number, balancer in enumerate(org.tables.get("aws_elbv1_load_balancers", [])):
        _classic_policy(org, rng, balancer, number)
    for number, cluster in enumerate(org.tables.get("aws_redshift_clusters", [])):
        _redshift_parameters(org, rng, cluster, number)
    rng = org.stream("transport")
    for account in org.accounts:
        _parameter_groups(org, rng, account)
        _certificates(org, rng, account)
        _keys(org, rng, account)
        _secrets(org, rng, account)
        _kafka(org, rng, account)
        _transfer(org, rng, account)


def _add(org: Organisation, table: str, natural: object, row: Row) -> None:
    org.add(table, {"_cq_id": cq_id(table, natural), **row})


def _first_or_draw(number: int, rng: random.Random, chance: float) -> bool:
    """True for the first entity, False for the second, then a draw."""
    if number < 2:
        return number == 0
    return rng.random() < chance


def _listeners(org: Organisation, rng: random.Random, balancer: Row, number: int) -> None:
    arn = str(balancer["arn"])
    base = {"account_id": balancer["account_id"], "region": balancer["region"]}
    good = _first_or_draw(number, rng, 0.6)
    certificate = [
        {
            "CertificateArn": f"arn:aws:acm:{balancer['region']}:{balancer['account_id']}"
            f":certificate/{cq_id('cert', arn)}",
            "IsDefault": True,
        }
    ]
    forward = [
        {
            "Type": "forward",
            "Order": 1,
            "TargetGroupArn": arn.replace("loadbalancer/", "targetgroup/"),
        }
    ]
    listener = arn.replace(":loadbalancer/", ":listener/")
    if balancer["type"] == "application":
        redirect = [
            {
                "Type": "redirect",
                "Order": 1,
                "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
            }
        ]
        specs = [
            (80, "HTTP", None, redirect if good else forward),
            (443, "HTTPS", rng.choice(MODERN_POLICIES if good else OLD_POLICIES), forward),
        ]
        if balancer["scheme"] == "internet-facing" and _first_or_draw(number, rng, 0.5):
            acl = f"{balancer['region']}-edge-acl"
            _add(
                org,
                "aws_elbv2_load_balancer_web_acls",
                (arn, acl),
                {
                    **base,
                    "_cq_parent_id": balancer["_cq_id"],
                    "load_balancer_arn": arn,
                    "arn": f"arn:aws:wafv2:{balancer['region']}:{balancer['account_id']}"
                    f":regional/webacl/{acl}/{cq_id('acl', acl)}",
                    "id": cq_id("acl", acl),
                    "name": acl,
                },
            )
    else:
        specs = [(443, "TLS", rng.choice(MODERN_POLICIES if good else OLD_POLICIES), forward)]
    for port, protocol, policy, actions in specs:
        _add(
            org,
            "aws_elbv2_listeners",
            (arn, port),
            {
                **base,
                "_cq_parent_id": balancer["_cq_id"],
                "arn": f"{listener}/{port:05d}",
                "load_balancer_arn": arn,
                "port": port,
                "protocol": protocol,
                "ssl_policy": policy,
                "default_actions": actions,
                "certificates": certificate if policy else None,
                "tags": {},
            },
        )


def _classic_policy(org: Organisation, rng: random.Random, balancer: Row, number: int) -> None:
    reference = CLASSIC_POLICIES[0] if _first_or_draw(number, rng, 0.5) else CLASSIC_POLICIES[1]
    name = "tls-negotiation"
    _add(
        org,
        "aws_elbv1_load_balancer_policies",
        (balancer["arn"], name),
        {
            "account_id": balancer["account_id"],
            "region": balancer["region"],
            "_cq_parent_id": balancer["_cq_id"],
            "load_balancer_arn": balancer["arn"],
            "load_balancer_name": balancer["load_balancer_name"],
            "policy_name": name,
            "policy_type_name": "SSLNegotiationPolicyType",
            "policy_attribute_descriptions": {
                "Reference-Security-Policy": reference,
                "Protocol-TLSv1": "false" if reference == CLASSIC_POLICIES[0] else "true",
                "Protocol-TLSv1.2": "true",
            },
        },
    )


def _redshift_parameters(org: Organisation, rng: random.Random, cluster: Row, number: int) -> None:
    values = {
        "require_ssl": "true" if _first_or_draw(number, rng, 0.5) else "false",
        "enable_user_activity_logging": rng.choice(("true", "false")),
    }
    for name, value in values.items():
        _add(
            org,
            "aws_redshift_cluster_parameters",
            (cluster["arn"], name),
            {
                "account_id": cluster["account_id"],
                "region": cluster["region"],
                "cluster_arn": cluster["arn"],
                "parameter_name": name,
                "parameter_value": value,
                "source": "user" if value == "true" else "engine-default",
            },
        )


def _parameter_groups(org: Organisation, rng: random.Random, account: Account) -> None:
    region = account.region
    for family, parameter, value in (
        ("postgres16", "rds.force_ssl", "1"),
        ("mysql8.0", "require_secure_transport", rng.choice(("0", "1"))),
    ):
        name = f"default.{family}"
        arn = f"arn:aws:rds:{region}:{account.account_id}:pg:{name}"
        group = {"account_id": account.account_id, "region": region}
        _add(
            org,
            "aws_rds_db_parameter_groups",
            arn,
            {
                **group,
                "arn": arn,
                "db_parameter_group_name": name,
                "db_parameter_group_family": family,
                "tags": {},
            },
        )
        _add(
            org,
            "aws_rds_db_parameter_group_db_parameters",
            (arn, parameter),
            {
                **group,
                "_cq_parent_id": cq_id("aws_rds_db_parameter_groups", arn),
                "db_parameter_group_arn": arn,
                "parameter_name": parameter,
                "parameter_value": value,
                "source": "engine-default",
            },
        )


def _certificates(org: Organisation, rng: random.Random, account: Account) -> None:
    for number in range(2):
        expiring = (account.index == 1 and number == 0) or (
            account.index > 1 and rng.random() < 0.2
        )
        days = rng.randint(3, 25) if expiring else rng.randint(60, 395)
        domain = f"{('www', 'api')[number]}.{account.alias}.example.com"
        # an API Gateway custom domain name uses it (no other module's rows)
        in_use = [f"arn:aws:apigateway:{account.region}::/domainnames/{domain}"]
        arn = (
            f"arn:aws:acm:{account.region}:{account.account_id}:certificate/{cq_id('acm', domain)}"
        )
        _add(
            org,
            "aws_acm_certificates",
            arn,
            {
                "account_id": account.account_id,
                "region": account.region,
                "arn": arn,
                "tags": {},
                "domain_name": domain,
                "status": "ISSUED",
                "type": "IMPORTED" if expiring else "AMAZON_ISSUED",
                "not_after": org.as_of + timedelta(days=days),
                "in_use_by": in_use[:1] if number == 0 or rng.random() < 0.5 else [],
                "renewal_eligibility": "INELIGIBLE" if expiring else "ELIGIBLE",
                "key_algorithm": "RSA_2048",
            },
        )


def _keys(org: Organisation, rng: random.Random, account: Account) -> None:
    specs: list[tuple[str, str, str, bool]] = [("AWS", "SYMMETRIC_DEFAULT", "Enabled", True)]
    for number in range(3):
        rotated = account.index == 0 if account.index < 2 else rng.random() < 0.6
        state = "Enabled"
        if (account.index == 1 and number == 2) or (account.index > 1 and rng.random() < 0.1):
            state = "PendingDeletion"
        specs.append(("CUSTOMER", "SYMMETRIC_DEFAULT", state, rotated))
    specs.append(("CUSTOMER", "RSA_2048", "Enabled", False))
    for number, (manager, spec, state, rotated) in enumerate(specs):
        key_id = cq_id("kms", account.account_id, number)
        arn = f"arn:aws:kms:{account.region}:{account.account_id}:key/{key_id}"
        key = {
            "account_id": account.account_id,
            "region": account.region,
            "arn": arn,
            "key_id": key_id,
            "key_manager": manager,
            "key_spec": spec,
            "key_state": state,
            "key_usage": "SIGN_VERIFY" if spec != "SYMMETRIC_DEFAULT" else "ENCRYPT_DECRYPT",
            "enabled": state == "Enabled",
            "rotation_enabled": rotated,
            "creation_date": org.as_of - timedelta(days=rng.randint(30, 1500)),
            "deletion_date": org.as_of + timedelta(days=rng.randint(3, 29))
            if state == "PendingDeletion"
            else None,
            "tags": {},
        }
        _add(org, "aws_kms_keys", arn, key)
        _add(
            org,
            "aws_kms_key_rotation_statuses",
            arn,
            {
                "account_id": account.account_id,
                "region": account.region,
                "_cq_parent_id": cq_id("aws_kms_keys", arn),
                "key_arn": arn,
                "key_rotation_enabled": rotated,
            },
        )


def _secrets(org: Organisation, rng: random.Random, account: Account) -> None:
    for number, purpose in enumerate(("db-password", "api-token", "legacy-ftp")):
        name = f"{account.alias}/{purpose}"
        suffix = cq_id("s", name)[:6]
        arn = f"arn:aws:secretsmanager:{account.region}:{account.account_id}:secret:{name}-{suffix}"
        rotating = (account.index == 0 and number == 0) or (
            account.index != 1 and rng.random() < 0.5
        )
        interval = rng.choice((30, 60, 90))
        on_time = account.index == 0 or rng.random() < 0.8
        rotated_days = rng.randint(1, interval) if on_time else interval + rng.randint(5, 60)
        read_days = rng.randint(0, 30) if number < 2 else rng.randint(120, 400)
        _add(
            org,
            "aws_secretsmanager_secrets",
            arn,
            {
                "account_id": account.account_id,
                "region": account.region,
                "arn": arn,
                "tags": {},
                "name": name,
                "rotation_enabled": rotating,
                "rotation_rules": {"AutomaticallyAfterDays": interval} if rotating else None,
                "last_rotated_date": org.as_of - timedelta(days=rotated_days) if rotating else None,
                "last_accessed_date": org.as_of - timedelta(days=read_days),
                "created_date": org.as_of - timedelta(days=rng.randint(400, 900)),
            },
        )


def _kafka(org: Organisation, rng: random.Random, account: Account) -> None:
    name = f"{account.alias}-events"
    arn = f"arn:aws:kafka:{account.region}:{account.account_id}:cluster/{name}/{cq_id('msk', name)}"
    tls = account.index == 0 or (account.index != 1 and rng.random() < 0.7)
    _add(
        org,
        "aws_kafka_clusters",
        arn,
        {
            "account_id": account.account_id,
            "arn": arn,
            "tags": {},
            "cluster_name": name,
            "cluster_type": "PROVISIONED",
            "state": "ACTIVE",
            "provisioned": {
                "EncryptionInfo": {
                    "EncryptionInTransit": {
                        "ClientBroker": "TLS" if tls else "TLS_PLAINTEXT",
                        "InCluster": True,
                    }
                }
            },
        },
    )


def _transfer(org: Organisation, rng: random.Random, account: Account) -> None:
    server = "s-" + cq_id("transfer", account.account_id).replace("-", "")[:17]
    ftp = account.index == 1 or (account.index > 1 and rng.random() < 0.3)
    arn = f"arn:aws:transfer:{account.region}:{account.account_id}:server/{server}"
    _add(
        org,
        "aws_transfer_servers",
        arn,
        {
            "account_id": account.account_id,
            "region": account.region,
            "arn": arn,
            "tags": {},
            "server_id": server,
            "protocols": ["SFTP", "FTP"] if ftp else ["SFTP"],
            "endpoint_type": "VPC" if ftp else "PUBLIC",
            "security_policy_name": "TransferSecurityPolicy-2024-01",
            "state": "ONLINE",
        },
    )


SERVICE = Service("transport", TABLES, generate)
