"""Resource policies of every generated account: KMS keys, ECR repositories, Glacier vaults and
CloudWatch Logs, the tables of the exposure controls this package owns.

Draws from its own stream, so every other table stays byte-identical. Most
policies are what the console writes: a key policy giving the account root
full access (plus, for some keys, KMS's "via service" statement narrowed by
kms:CallerAccount), repository policies letting the organisation pull images,
vault policies for the account's own backup role and log resource policies
for Route 53 or EventBridge. A few are left open to anyone, the mistake the
controls catch: the first key and the first repository, vault and log policy
of the organisation are public and the second is private, so each control
passes and fails in the smallest demo; after that a resource is public with a
small probability.
"""

from __future__ import annotations

import json
import random

from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import cq_id

TABLES = (
    "aws_kms_key_policies",
    "aws_ecr_repository_policies",
    "aws_glacier_vaults",
    "aws_glacier_vault_access_policies",
    "aws_cloudwatchlogs_resource_policies",
)
PUBLIC_SHARE = 0.08
REPOSITORIES = ("orders-api", "payments-worker", "search-indexer", "web-frontend", "batch-jobs")
VAULTS = ("backups", "audit-archive", "ledger-archive")
LOG_POLICIES = (
    ("AWSRoute53Logs", "route53.amazonaws.com", "/aws/route53/*"),
    ("EventBridgeToLogs", "events.amazonaws.com", "/aws/events/*"),
)


def generate(org: Organisation) -> None:
    """Per account: two or three keys, repositories, a vault or two and log policies."""
    rng = org.stream("exposure")
    for account in org.accounts:
        for _ in range(rng.randint(2, 3)):
            _key(org, rng, account)
        for name in rng.sample(REPOSITORIES, rng.randint(1, 3)):
            _repository(org, rng, account, name)
        for name in rng.sample(VAULTS, rng.randint(1, 2)):
            _vault(org, rng, account, name)
        for policy_name, service, log_groups in LOG_POLICIES[: rng.randint(1, 2)]:
            _log_policy(org, rng, account, policy_name, service, log_groups)


def _public(org: Organisation, rng: random.Random, kind: str) -> bool:
    index = org.next_index(f"exposure_{kind}")
    return index == 0 or (index > 1 and rng.random() < PUBLIC_SHARE)


def _document(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _statement(sid: str, principal: object, action: object, **extra: object) -> dict[str, object]:
    return {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action, **extra}


def _key(org: Organisation, rng: random.Random, account: Account) -> None:
    key_id = str(cq_id("kms_key", account.account_id, rng.getrandbits(64)))
    arn = f"arn:aws:kms:{account.region}:{account.account_id}:key/{key_id}"
    statements = [
        _statement(
            "Enable IAM User Permissions",
            {"AWS": f"arn:aws:iam::{account.account_id}:root"},
            "kms:*",
            Resource="*",
        )
    ]
    if rng.random() < 0.4:
        statements.append(
            _statement(
                "Allow access through EBS",
                {"AWS": "*"},
                ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
                Resource="*",
                Condition={
                    "StringEquals": {
                        "kms:CallerAccount": account.account_id,
                        "kms:ViaService": f"ec2.{account.region}.amazonaws.com",
                    }
                },
            )
        )
    if _public(org, rng, "key"):
        statements.append(
            _statement("Anyone decrypts", {"AWS": "*"}, ["kms:Decrypt", "kms:DescribeKey"])
        )
    org.add(
        "aws_kms_key_policies",
        {
            "_cq_id": cq_id("aws_kms_key_policies", arn, "default"),
            "account_id": account.account_id,
            "region": account.region,
            "key_arn": arn,
            "name": "default",
            "policy": json.loads(_document(*statements)),
        },
    )


def _repository(org: Organisation, rng: random.Random, account: Account, name: str) -> None:
    arn = f"arn:aws:ecr:{account.region}:{account.account_id}:repository/{name}"
    pull = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    if _public(org, rng, "repository"):
        statement = _statement("PublicPull", {"AWS": "*"}, pull)
    else:
        statement = _statement(
            "OrganisationPull",
            {"AWS": "*"},
            pull,
            Condition={"StringEquals": {"aws:PrincipalOrgID": org.org_id}},
        )
    document = _document(statement)
    org.add(
        "aws_ecr_repository_policies",
        {
            "_cq_id": cq_id("aws_ecr_repository_policies", arn, account.account_id),
            "account_id": account.account_id,
            "region": account.region,
            "repository_arn": arn,
            "registry_id": account.account_id,
            "repository_name": name,
            "policy_json": json.loads(document),
            "policy_text": document,
        },
    )


def _vault(org: Organisation, rng: random.Random, account: Account, name: str) -> None:
    arn = f"arn:aws:glacier:{account.region}:{account.account_id}:vaults/{name}"
    vault_id = cq_id("aws_glacier_vaults", arn)
    org.add(
        "aws_glacier_vaults",
        {
            "_cq_id": vault_id,
            "account_id": account.account_id,
            "region": account.region,
            "arn": arn,
            "tags": {},
            "vault_name": name,
        },
    )
    principal: object = (
        "*"
        if _public(org, rng, "vault")
        else {"AWS": f"arn:aws:iam::{account.account_id}:role/backup-operator"}
    )
    org.add(
        "aws_glacier_vault_access_policies",
        {
            "_cq_id": cq_id("aws_glacier_vault_access_policies", arn),
            "_cq_parent_id": vault_id,
            "account_id": account.account_id,
            "region": account.region,
            "vault_arn": arn,
            "policy": json.loads(
                _document(
                    _statement(
                        "Retrieve",
                        principal,
                        ["glacier:InitiateJob", "glacier:GetJobOutput"],
                        Resource=arn,
                    )
                )
            ),
        },
    )


def _log_policy(
    org: Organisation,
    rng: random.Random,
    account: Account,
    policy_name: str,
    service: str,
    log_groups: str,
) -> None:
    principal: object = {"AWS": "*"} if _public(org, rng, "log_policy") else {"Service": service}
    resource = f"arn:aws:logs:{account.region}:{account.account_id}:log-group:{log_groups}"
    org.add(
        "aws_cloudwatchlogs_resource_policies",
        {
            "_cq_id": cq_id(
                "aws_cloudwatchlogs_resource_policies",
                account.account_id,
                account.region,
                policy_name,
            ),
            "account_id": account.account_id,
            "region": account.region,
            "policy_name": policy_name,
            "policy_document": json.loads(
                _document(
                    _statement(
                        policy_name,
                        principal,
                        ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource=resource,
                    )
                )
            ),
            "last_updated_time": 1_700_000_000_000,
        },
    )


SERVICE = Service("exposure", TABLES, generate)
