"""Customer-managed policy documents by theme: what a team writes, from narrow to reckless.

Most themes are the narrow, resource-scoped grants application teams write
(read one bucket, write one table, send to one queue); a minority are the
broad or dangerous ones every audit still finds: `NotAction` power users,
`NotResource` exceptions, `iam:PassRole` with `*`, policy-version and
access-key managers, `iam:*` and `*:*`. Weights follow that split. The first
customer policies of an organisation cycle through `FORCED_THEMES`, so that
every dangerous shape occurs even in the smallest demo organisation, and some
documents get a Deny statement appended, as guard-railed policies do.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from soc2_tools.generator.documents import document, statement
from soc2_tools.generator.records import Doc, Statement


@dataclass(frozen=True)
class Context:
    """What a theme needs from its account: the stream, the ids, bucket names to point at."""

    rng: random.Random
    account_id: str
    region: str
    buckets: Sequence[str]

    def bucket(self) -> str:
        """One of the account's buckets."""
        return self.rng.choice(self.buckets) if self.buckets else "shared-data"

    def app(self) -> str:
        """An application name for table, queue and log-group ARNs."""
        return self.rng.choice(("orders", "payments", "search", "catalog", "auth", "reports"))


def _theme_s3_read(c: Context) -> list[Statement]:
    arn = f"arn:aws:s3:::{c.bucket()}"
    return [statement(c.rng, "Allow", ["s3:GetObject", "s3:ListBucket"], [arn, f"{arn}/*"])]


def _theme_s3_write(c: Context) -> list[Statement]:
    condition = None
    if c.rng.random() < 0.5:
        condition = {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}
    actions = ["s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject"]
    return [
        statement(c.rng, "Allow", actions, [f"arn:aws:s3:::{c.bucket()}/*"], condition=condition)
    ]


def _theme_dynamodb(c: Context) -> list[Statement]:
    table = f"arn:aws:dynamodb:{c.region}:{c.account_id}:table/{c.app()}"
    actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    return [statement(c.rng, "Allow", actions, [table, f"{table}/index/*"])]


def _theme_ec2_describe(c: Context) -> list[Statement]:
    return [statement(c.rng, "Allow", ["ec2:Describe*"], ["*"])]


def _theme_logs(c: Context) -> list[Statement]:
    group = f"arn:aws:logs:{c.region}:{c.account_id}:log-group:/app/{c.app()}:*"
    return [statement(c.rng, "Allow", ["logs:CreateLogStream", "logs:PutLogEvents"], [group])]


def _theme_kms(c: Context) -> list[Statement]:
    key = f"arn:aws:kms:{c.region}:{c.account_id}:key/{uuid.UUID(int=c.rng.getrandbits(128))}"
    condition = {"StringEquals": {"kms:ViaService": f"s3.{c.region}.amazonaws.com"}}
    actions = ["kms:Decrypt", "kms:GenerateDataKey"]
    return [statement(c.rng, "Allow", actions, [key], condition=condition)]


def _theme_secrets(c: Context) -> list[Statement]:
    secret = f"arn:aws:secretsmanager:{c.region}:{c.account_id}:secret:app/{c.app()}-*"
    return [statement(c.rng, "Allow", ["secretsmanager:GetSecretValue"], [secret])]


def _theme_sqs(c: Context) -> list[Statement]:
    queue = f"arn:aws:sqs:{c.region}:{c.account_id}:{c.app()}-events"
    actions = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"]
    return [statement(c.rng, "Allow", actions, [queue])]


def _theme_region_guard(c: Context) -> list[Statement]:
    condition = {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}
    excluded = ["iam:*", "sts:*", "organizations:*", "support:*", "cloudfront:*"]
    return [
        _theme_ec2_describe(c)[0],
        statement(c.rng, "Deny", excluded, ["*"], not_action=True, condition=condition),
    ]


def _theme_mfa_guard(c: Context) -> list[Statement]:
    allowed = [
        "iam:ChangePassword",
        "iam:CreateVirtualMFADevice",
        "iam:EnableMFADevice",
        "iam:GetUser",
        "iam:ListMFADevices",
        "sts:GetSessionToken",
    ]
    condition = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    return [
        statement(
            c.rng, "Deny", allowed, ["*"], not_action=True, condition=condition, sid="DenyNoMFA"
        )
    ]


def _theme_power_user(c: Context) -> list[Statement]:
    return [
        statement(
            c.rng, "Allow", ["iam:*", "organizations:*", "account:*"], ["*"], not_action=True
        ),
        statement(c.rng, "Allow", ["iam:CreateServiceLinkedRole", "iam:ListRoles"], ["*"]),
    ]


def _theme_s3_not_resource(c: Context) -> list[Statement]:
    secret = f"arn:aws:s3:::{c.bucket()}"
    return [statement(c.rng, "Allow", ["s3:*"], [secret, f"{secret}/*"], not_resource=True)]


def _theme_wildcard_q(c: Context) -> list[Statement]:
    actions = ["s3:Get?bject", "ec2:Describe?nstances", "cloudwatch:Get*", "S3:ListBucket"]
    return [statement(c.rng, "Allow", actions, ["*"])]


def _theme_passrole_ec2(c: Context) -> list[Statement]:
    return [statement(c.rng, "Allow", ["iam:PassRole", "ec2:RunInstances"], ["*"])]


def _theme_passrole_lambda(c: Context) -> list[Statement]:
    actions = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
    return [statement(c.rng, "Allow", actions, ["*"])]


def _theme_policy_versions(c: Context) -> list[Statement]:
    policies = f"arn:aws:iam::{c.account_id}:policy/*"
    actions = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]
    return [statement(c.rng, "Allow", actions, [policies])]


def _theme_attach_user_policy(c: Context) -> list[Statement]:
    return [statement(c.rng, "Allow", ["iam:AttachUserPolicy", "iam:ListUsers"], ["*"])]


def _theme_create_access_key(c: Context) -> list[Statement]:
    users = f"arn:aws:iam::{c.account_id}:user/*"
    return [statement(c.rng, "Allow", ["iam:CreateAccessKey"], [users])]


def _theme_iam_star(c: Context) -> list[Statement]:
    return [statement(c.rng, "Allow", ["iam:*"], ["*"])]


def _theme_admin(c: Context) -> list[Statement]:
    return [{"Effect": "Allow", "Action": "*", "Resource": "*"}]


def _theme_admin_list(c: Context) -> list[Statement]:
    return [{"Sid": "FullAccess", "Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]


Theme = Callable[[Context], list[Statement]]
THEMES: dict[str, tuple[Theme, float]] = {
    "s3-read": (_theme_s3_read, 10),
    "s3-write": (_theme_s3_write, 8),
    "dynamodb-app": (_theme_dynamodb, 8),
    "ec2-describe": (_theme_ec2_describe, 6),
    "logs-writer": (_theme_logs, 8),
    "kms-decrypt": (_theme_kms, 5),
    "secrets-read": (_theme_secrets, 6),
    "sqs-worker": (_theme_sqs, 6),
    "region-guard": (_theme_region_guard, 3),
    "require-mfa": (_theme_mfa_guard, 3),
    "power-user": (_theme_power_user, 2),
    "s3-except-secrets": (_theme_s3_not_resource, 2),
    "monitoring-read": (_theme_wildcard_q, 2),
    "ci-passrole-ec2": (_theme_passrole_ec2, 1),
    "lambda-deployer": (_theme_passrole_lambda, 1),
    "policy-manager": (_theme_policy_versions, 0.6),
    "user-manager": (_theme_attach_user_policy, 0.6),
    "key-issuer": (_theme_create_access_key, 0.6),
    "iam-admin": (_theme_iam_star, 0.6),
    "break-glass-admin": (_theme_admin, 0.6),
    "full-access": (_theme_admin_list, 0.5),
}
FORCED_THEMES = (
    "s3-read",
    "break-glass-admin",
    "power-user",
    "ci-passrole-ec2",
    "s3-except-secrets",
    "region-guard",
    "monitoring-read",
    "policy-manager",
    "user-manager",
    "full-access",
    "lambda-deployer",
    "require-mfa",
    "key-issuer",
    "iam-admin",
)
INLINE_THEMES = (
    "s3-read",
    "s3-write",
    "dynamodb-app",
    "logs-writer",
    "sqs-worker",
    "secrets-read",
)


def theme_document(c: Context, theme: str) -> Doc:
    """The document of one theme, sometimes with a bucket-deletion Deny appended."""
    statements = THEMES[theme][0](c)
    if c.rng.random() < 0.15:
        deny = ["s3:DeleteBucket", "s3:DeleteBucketPolicy"]
        statements.append(statement(c.rng, "Deny", deny, ["*"], sid="DenyBucketDeletion"))
    return document(c.rng, statements)


def pick_theme(rng: random.Random) -> str:
    """A theme drawn by weight."""
    names = list(THEMES)
    return rng.choices(names, [THEMES[name][1] for name in names])[0]
