"""A deterministic multi-account AWS organisation in CloudQuery's layout; `soc2 generate`."""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import string
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from soc2_tools import rawdb, warehouse

Row = dict[str, object]
Tables = dict[str, list[Row]]
Doc = dict[str, object]
Statement = dict[str, object]

TABLES = (
    "aws_iam_accounts",
    "aws_iam_users",
    "aws_iam_groups",
    "aws_iam_user_groups",
    "aws_iam_roles",
    "aws_iam_policies",
    "aws_iam_policy_versions",
    "aws_iam_user_policies",
    "aws_iam_group_policies",
    "aws_iam_role_policies",
    "aws_iam_user_attached_policies",
    "aws_iam_group_attached_policies",
    "aws_iam_role_attached_policies",
    "aws_iam_credential_reports",
    "aws_iam_password_policies",
    "aws_iam_user_access_keys",
    "aws_iam_mfa_devices",
    "aws_s3_buckets",
    "aws_s3_accounts",
    "aws_s3_bucket_encryption_rules",
    "aws_s3_bucket_public_access_blocks",
    "aws_s3_bucket_policies",
    "aws_s3_bucket_versionings",
    "aws_s3_bucket_loggings",
)
DEFAULT_AS_OF = datetime(2026, 6, 30)
POLICY_VERSION = "2012-10-17"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/soc2/generator")
_ALNUM = string.ascii_uppercase + string.digits
REGIONS = ("us-east-1", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
SERVICES = ("s3", "ec2", "sts", "iam", "dynamodb", "lambda", "logs", "kms", "sqs")

FIRST_NAMES = (
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "wendy", "yusuf",
    "amara", "bilal", "chen", "dmitri", "elena", "farah", "goran", "hana", "ines", "kenji",
)  # fmt: skip
LAST_NAMES = (
    "smith", "jones", "garcia", "kim", "patel", "nguyen", "novak", "rossi", "silva", "cohen",
    "murphy", "schmidt", "tanaka", "okafor", "larsen", "dubois", "haddad", "kowalski", "ivanova",
    "mendes", "fischer", "ali", "park", "moreau", "lopez", "brown", "walsh", "singh", "weber",
)  # fmt: skip
ODD_USER_NAMES = (
    "zoë.brandt", "o'connor.p", "françois.dupont", "jürgen.weiß", "renée.o'hara",
    "ana-maría.núñez", "d'souza.r", "søren.lund", "łukasz.wójcik", "çağla.öztürk",
)  # fmt: skip
SERVICE_USER_APPS = (
    "terraform", "jenkins", "backup-agent", "datadog", "airflow", "github-ci", "log-shipper",
    "etl", "billing-export", "legacy-app", "reporting", "sftp-bridge",
)  # fmt: skip
ODD_DESCRIPTIONS = (
    'Used by the "nightly" ETL job',
    "Assumed by O'Brien's on-call rotation",
    "Rôle d'audit — lecture seule",
    "Zugriff für Prüfer (äöü)",
    'Legacy role; don\'t delete "yet"',
)
ACCOUNT_ALIASES = ("management", "prod", "staging", "dev", "security", "logging", "data", "shared")
BUCKET_PURPOSES = (
    "assets", "backups", "data-lake", "terraform-state", "uploads", "static-site", "ml-models",
    "exports", "cloudtrail", "reports", "artifacts", "archive",
)  # fmt: skip
GROUP_NAMES = (
    "Admins", "Developers", "ReadOnly", "SecurityAuditors", "DataEngineers", "Billing", "Ops",
    "Support", "IAMManagers",
)  # fmt: skip
GROUP_MANAGED_POLICIES = {
    "Admins": ("AdministratorAccess",),
    "Developers": ("PowerUserAccess",),
    "ReadOnly": ("ReadOnlyAccess",),
    "SecurityAuditors": ("SecurityAudit", "ReadOnlyAccess"),
    "DataEngineers": ("AmazonS3FullAccess",),
    "Ops": ("AmazonEC2FullAccess",),
    "Support": ("ReadOnlyAccess",),
    "IAMManagers": ("IAMFullAccess",),
}


@dataclass(frozen=True)
class OrgSize:
    """How big the generated organisation is."""

    accounts: int = 3
    users_per_account: int = 12
    roles_per_account: int = 10
    groups_per_account: int = 4
    policies_per_account: int = 8
    buckets_per_account: int = 8

    def scaled(self, factor: float) -> OrgSize:
        """Accounts grow with factor**0.5 and per-account populations with factor**0.6."""
        if factor <= 0:
            raise ValueError(f"scale factor must be positive, got {factor}")
        wide, deep = factor**0.5, factor**0.6
        return OrgSize(
            accounts=max(1, round(self.accounts * wide)),
            users_per_account=max(1, round(self.users_per_account * deep)),
            roles_per_account=max(1, round(self.roles_per_account * deep)),
            groups_per_account=max(1, round(self.groups_per_account * deep)),
            policies_per_account=max(1, round(self.policies_per_account * deep)),
            buckets_per_account=max(1, round(self.buckets_per_account * deep)),
        )


# --- AWS-managed policies --------------------------------------------------------------------


def _allow(
    actions: str, *, key: str = "Action", condition: dict[str, object] | None = None
) -> Statement:
    values = actions.split()
    statement: Statement = {"Effect": "Allow", key: values[0] if len(values) == 1 else values}
    statement["Resource"] = "*"
    if condition:
        statement["Condition"] = condition
    return statement


_SERVICE_LINKED_CONDITION: dict[str, object] = {
    "StringEquals": {
        "iam:AWSServiceName": [
            "autoscaling.amazonaws.com",
            "ec2scheduled.amazonaws.com",
            "elasticloadbalancing.amazonaws.com",
        ]
    }
}
_AWS_MANAGED: dict[str, tuple[str, str, list[Statement]]] = {
    "AdministratorAccess": ("/", "v1", [_allow("*")]),
    "ReadOnlyAccess": (
        "/",
        "v118",
        [
            _allow(
                "a4b:Get* acm:Describe* cloudtrail:Get* cloudtrail:Describe* dynamodb:Describe* "
                "dynamodb:Get* dynamodb:Query dynamodb:Scan ec2:Describe* ec2:Get* iam:Get* "
                "iam:List* iam:Generate* kms:Describe* kms:List* lambda:Get* lambda:List* "
                "logs:Get* logs:Describe* s3:Get* s3:List* sqs:Get* sqs:List*"
            )
        ],
    ),
    "PowerUserAccess": (
        "/",
        "v5",
        [
            _allow("iam:* organizations:* account:*", key="NotAction"),
            _allow(
                "iam:CreateServiceLinkedRole iam:DeleteServiceLinkedRole iam:ListRoles "
                "organizations:DescribeOrganization account:ListRegions"
            ),
        ],
    ),
    "SecurityAudit": (
        "/",
        "v41",
        [
            _allow(
                "access-analyzer:List* cloudtrail:DescribeTrails config:Describe* ec2:Describe* "
                "guardduty:Get* iam:GenerateCredentialReport iam:Get* iam:List* "
                "iam:SimulateCustomPolicy kms:Describe* kms:Get* kms:List* s3:GetBucket* "
                "s3:ListAllMyBuckets"
            )
        ],
    ),
    "IAMFullAccess": (
        "/",
        "v2",
        [
            _allow("iam:*"),
            _allow(
                "organizations:DescribeAccount organizations:DescribeOrganization "
                "organizations:ListAccounts"
            ),
        ],
    ),
    "AmazonS3FullAccess": ("/", "v2", [_allow("s3:* s3-object-lambda:*")]),
    "AmazonS3ReadOnlyAccess": ("/", "v3", [_allow("s3:Get* s3:List* s3-object-lambda:Get*")]),
    "AmazonEC2FullAccess": (
        "/",
        "v5",
        [
            _allow("ec2:*"),
            _allow("elasticloadbalancing:*"),
            _allow("cloudwatch:*"),
            _allow("iam:CreateServiceLinkedRole", condition=_SERVICE_LINKED_CONDITION),
        ],
    ),
    "AWSLambdaBasicExecutionRole": (
        "/service-role/",
        "v1",
        [_allow("logs:CreateLogGroup logs:CreateLogStream logs:PutLogEvents")],
    ),
    "AWSSupportServiceRolePolicy": (
        "/aws-service-role/",
        "v28",
        [_allow("support:* iam:GetRole ec2:DescribeInstances s3:ListBucket")],
    ),
}
_AWS_MANAGED_CREATED = datetime(2015, 2, 6, 18, 39, 46)
_AWS_MANAGED_UPDATED = datetime(2025, 11, 14, 19, 2, 11)


def aws_managed_arn(name: str) -> str:
    """ARN of an AWS-managed policy."""
    return f"arn:aws:iam::aws:policy{_AWS_MANAGED[name][0]}{name}"


# --- planning records ------------------------------------------------------------------------


@dataclass(frozen=True)
class _KeyPlan:
    active: bool
    age_days: int
    last_used_days: int | None


@dataclass(frozen=True)
class _UserPlan:
    console: bool
    mfa: bool
    created_days: int
    password_used_days: int | None
    keys: tuple[_KeyPlan, ...] = ()
    inline: int = 0
    attached: int = 0
    odd_name: bool = False


_USER_ARCHETYPES = (
    _UserPlan(True, True, 700, 3, (_KeyPlan(True, 30, 1),)),
    _UserPlan(True, False, 400, 10),
    _UserPlan(True, True, 900, 200),
    _UserPlan(False, False, 800, None, (_KeyPlan(True, 200, 2),)),
    _UserPlan(False, False, 600, None, (_KeyPlan(True, 20, 1), _KeyPlan(True, 150, 120))),
    _UserPlan(False, False, 40, None, (_KeyPlan(True, 10, None),), odd_name=True),
    _UserPlan(True, True, 500, 1, (_KeyPlan(False, 400, None),), inline=1),
    _UserPlan(True, True, 300, 5, attached=1),
    _UserPlan(False, False, 1200, None, (_KeyPlan(True, 300, None),), odd_name=True),
    _UserPlan(True, False, 10, None),
)


@dataclass(frozen=True)
class _AccountPlan:
    root_mfa: bool
    root_key: bool
    password_policy: str
    s3_block: str


_ACCOUNT_ARCHETYPES = (
    _AccountPlan(True, False, "strong", "all"),
    _AccountPlan(True, True, "weak", "all"),
    _AccountPlan(False, False, "absent", "partial"),
)


@dataclass
class _Policy:
    name: str
    arn: str
    row: Row


@dataclass
class _Principal:
    kind: str
    name: str
    arn: str
    entity_id: str
    cq_id: str
    row: Row


@dataclass
class _Account:
    index: int
    account_id: str
    alias: str
    created: datetime
    plan: _AccountPlan
    region: str
    buckets: list[str] = field(default_factory=list)
    managed: dict[str, _Policy] = field(default_factory=dict)
    customer: list[_Policy] = field(default_factory=list)
    groups: list[_Principal] = field(default_factory=list)
    users: list[_Principal] = field(default_factory=list)
    mfa_devices: int = 0
    max_password_age: int | None = None


# --- small helpers ---------------------------------------------------------------------------


def cq_id(table: str, *parts: object) -> str:
    """Deterministic `_cq_id` from the table and its natural-key components."""
    return str(uuid.uuid5(ID_NAMESPACE, "|".join([table, *(str(part) for part in parts)])))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _stable_id(prefix: str, name: str, length: int = 17) -> str:
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest().upper()
    return prefix + digest[:length]


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


def _forced(index: int, options: Sequence[tuple[str, float]], offset: int) -> str | None:
    """Cycles through every option for the first few entities so that each case occurs."""
    if index < len(options):
        return options[(index + offset) % len(options)][0]
    return None


def _one_or_list(rng: random.Random, values: list[str], single_chance: float = 0.6) -> object:
    if len(values) == 1 and rng.random() < single_chance:
        return values[0]
    return values


def _statement(
    rng: random.Random,
    effect: str,
    actions: list[str],
    resources: list[str],
    *,
    not_action: bool = False,
    not_resource: bool = False,
    condition: dict[str, object] | None = None,
    sid: str | None = None,
) -> Statement:
    statement: Statement = {}
    if sid or rng.random() < 0.3:
        statement["Sid"] = sid or f"Stmt{rng.randrange(10**12, 10**13)}"
    statement["Effect"] = effect
    statement["NotAction" if not_action else "Action"] = _one_or_list(rng, actions)
    statement["NotResource" if not_resource else "Resource"] = _one_or_list(rng, resources)
    if condition:
        statement["Condition"] = condition
    return statement


def _document(rng: random.Random, statements: list[Statement]) -> Doc:
    body: object = statements
    if len(statements) == 1 and rng.random() < 0.35:
        body = statements[0]
    return {"Version": POLICY_VERSION, "Statement": body}


def _document_text(rng: random.Random, doc: object) -> str:
    style = rng.random()
    if style < 0.45:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if style < 0.8:
        return json.dumps(doc, ensure_ascii=False, indent=4)
    return json.dumps(doc, ensure_ascii=False, indent=2).replace("\n", "\r\n")


# --- policy themes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    rng: random.Random
    account_id: str
    region: str
    buckets: Sequence[str]

    def bucket(self) -> str:
        return self.rng.choice(self.buckets) if self.buckets else "shared-data"

    def app(self) -> str:
        return self.rng.choice(("orders", "payments", "search", "catalog", "auth", "reports"))


def _theme_s3_read(c: _Context) -> list[Statement]:
    arn = f"arn:aws:s3:::{c.bucket()}"
    return [_statement(c.rng, "Allow", ["s3:GetObject", "s3:ListBucket"], [arn, f"{arn}/*"])]


def _theme_s3_write(c: _Context) -> list[Statement]:
    condition = None
    if c.rng.random() < 0.5:
        condition = {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}
    actions = ["s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject"]
    return [
        _statement(c.rng, "Allow", actions, [f"arn:aws:s3:::{c.bucket()}/*"], condition=condition)
    ]


def _theme_dynamodb(c: _Context) -> list[Statement]:
    table = f"arn:aws:dynamodb:{c.region}:{c.account_id}:table/{c.app()}"
    actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    return [_statement(c.rng, "Allow", actions, [table, f"{table}/index/*"])]


def _theme_ec2_describe(c: _Context) -> list[Statement]:
    return [_statement(c.rng, "Allow", ["ec2:Describe*"], ["*"])]


def _theme_logs(c: _Context) -> list[Statement]:
    group = f"arn:aws:logs:{c.region}:{c.account_id}:log-group:/app/{c.app()}:*"
    return [_statement(c.rng, "Allow", ["logs:CreateLogStream", "logs:PutLogEvents"], [group])]


def _theme_kms(c: _Context) -> list[Statement]:
    key = f"arn:aws:kms:{c.region}:{c.account_id}:key/{uuid.UUID(int=c.rng.getrandbits(128))}"
    condition = {"StringEquals": {"kms:ViaService": f"s3.{c.region}.amazonaws.com"}}
    actions = ["kms:Decrypt", "kms:GenerateDataKey"]
    return [_statement(c.rng, "Allow", actions, [key], condition=condition)]


def _theme_secrets(c: _Context) -> list[Statement]:
    secret = f"arn:aws:secretsmanager:{c.region}:{c.account_id}:secret:app/{c.app()}-*"
    return [_statement(c.rng, "Allow", ["secretsmanager:GetSecretValue"], [secret])]


def _theme_sqs(c: _Context) -> list[Statement]:
    queue = f"arn:aws:sqs:{c.region}:{c.account_id}:{c.app()}-events"
    actions = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"]
    return [_statement(c.rng, "Allow", actions, [queue])]


def _theme_region_guard(c: _Context) -> list[Statement]:
    condition = {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}
    excluded = ["iam:*", "sts:*", "organizations:*", "support:*", "cloudfront:*"]
    return [
        _theme_ec2_describe(c)[0],
        _statement(c.rng, "Deny", excluded, ["*"], not_action=True, condition=condition),
    ]


def _theme_mfa_guard(c: _Context) -> list[Statement]:
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
        _statement(
            c.rng, "Deny", allowed, ["*"], not_action=True, condition=condition, sid="DenyNoMFA"
        )
    ]


def _theme_power_user(c: _Context) -> list[Statement]:
    return [
        _statement(
            c.rng, "Allow", ["iam:*", "organizations:*", "account:*"], ["*"], not_action=True
        ),
        _statement(c.rng, "Allow", ["iam:CreateServiceLinkedRole", "iam:ListRoles"], ["*"]),
    ]


def _theme_s3_not_resource(c: _Context) -> list[Statement]:
    secret = f"arn:aws:s3:::{c.bucket()}"
    return [_statement(c.rng, "Allow", ["s3:*"], [secret, f"{secret}/*"], not_resource=True)]


def _theme_wildcard_q(c: _Context) -> list[Statement]:
    actions = ["s3:Get?bject", "ec2:Describe?nstances", "cloudwatch:Get*", "S3:ListBucket"]
    return [_statement(c.rng, "Allow", actions, ["*"])]


def _theme_passrole_ec2(c: _Context) -> list[Statement]:
    return [_statement(c.rng, "Allow", ["iam:PassRole", "ec2:RunInstances"], ["*"])]


def _theme_passrole_lambda(c: _Context) -> list[Statement]:
    actions = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
    return [_statement(c.rng, "Allow", actions, ["*"])]


def _theme_policy_versions(c: _Context) -> list[Statement]:
    policies = f"arn:aws:iam::{c.account_id}:policy/*"
    actions = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]
    return [_statement(c.rng, "Allow", actions, [policies])]


def _theme_attach_user_policy(c: _Context) -> list[Statement]:
    return [_statement(c.rng, "Allow", ["iam:AttachUserPolicy", "iam:ListUsers"], ["*"])]


def _theme_create_access_key(c: _Context) -> list[Statement]:
    users = f"arn:aws:iam::{c.account_id}:user/*"
    return [_statement(c.rng, "Allow", ["iam:CreateAccessKey"], [users])]


def _theme_iam_star(c: _Context) -> list[Statement]:
    return [_statement(c.rng, "Allow", ["iam:*"], ["*"])]


def _theme_admin(c: _Context) -> list[Statement]:
    return [{"Effect": "Allow", "Action": "*", "Resource": "*"}]


def _theme_admin_list(c: _Context) -> list[Statement]:
    return [{"Sid": "FullAccess", "Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]


Theme = Callable[[_Context], list[Statement]]
_THEMES: dict[str, tuple[Theme, float]] = {
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
_FORCED_THEMES = (
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
_INLINE_THEMES = (
    "s3-read",
    "s3-write",
    "dynamodb-app",
    "logs-writer",
    "sqs-worker",
    "secrets-read",
)


def _theme_document(c: _Context, theme: str) -> Doc:
    statements = _THEMES[theme][0](c)
    if c.rng.random() < 0.15:
        deny = ["s3:DeleteBucket", "s3:DeleteBucketPolicy"]
        statements.append(_statement(c.rng, "Deny", deny, ["*"], sid="DenyBucketDeletion"))
    return _document(c.rng, statements)


def _pick_theme(rng: random.Random) -> str:
    names = list(_THEMES)
    return rng.choices(names, [_THEMES[name][1] for name in names])[0]


# --- role kinds ------------------------------------------------------------------------------

_BASE_ROLE_KINDS = (
    "org_access",
    "support_slr",
    "ec2",
    "lambda",
    "ecs",
    "github_oidc",
    "sso_admin",
    "vendor_audit",
    "cross_account_deploy",
    "breakglass",
)
_EXTRA_ROLE_KINDS = (
    ("ec2", 4.0),
    ("lambda", 5.0),
    ("ecs", 3.0),
    ("glue", 1.5),
    ("github_oidc", 1.0),
    ("sso_readonly", 1.0),
    ("cross_account_deploy", 1.0),
)
_PUBLIC_ROLE_KINDS = ("public_open", "public_external_id", "public_org_id")
_ROLE_MANAGED = {
    "org_access": ("AdministratorAccess",),
    "support_slr": ("AWSSupportServiceRolePolicy",),
    "ec2": ("AmazonS3ReadOnlyAccess",),
    "lambda": ("AWSLambdaBasicExecutionRole",),
    "glue": ("AmazonS3FullAccess",),
    "sso_admin": ("AdministratorAccess",),
    "sso_readonly": ("ReadOnlyAccess",),
    "vendor_audit": ("SecurityAudit",),
    "cross_account_deploy": ("PowerUserAccess",),
    "breakglass": ("AdministratorAccess",),
    "public_open": ("ReadOnlyAccess",),
    "public_external_id": ("SecurityAudit",),
    "public_org_id": ("AmazonS3ReadOnlyAccess",),
}
_SERVICE_PRINCIPALS = {
    "support_slr": "support.amazonaws.com",
    "ec2": "ec2.amazonaws.com",
    "lambda": "lambda.amazonaws.com",
    "ecs": "ecs-tasks.amazonaws.com",
    "glue": "glue.amazonaws.com",
}


# --- the organisation builder ----------------------------------------------------------------


class _Organisation:
    def __init__(self, size: OrgSize, seed: int, as_of: datetime) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.as_of = _naive_utc(as_of)
        self.tables: Tables = {table: [] for table in TABLES}
        self.counters: dict[str, int] = {}
        self.bucket_names: set[str] = set()
        self.org_id = "o-" + "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=10))
        self.vendor_account = f"{self.rng.randrange(10**11, 10**12):012d}"
        self.account_ids = self._account_ids(size.accounts)

    def next_index(self, kind: str) -> int:
        index = self.counters.get(kind, 0)
        self.counters[kind] = index + 1
        return index

    def ago(self, days: float) -> datetime:
        jitter = timedelta(seconds=self.rng.randrange(0, 86_400))
        return (self.as_of - timedelta(days=days) - jitter).replace(microsecond=0)

    def aws_id(self, prefix: str, length: int = 17) -> str:
        return prefix + "".join(self.rng.choices(_ALNUM, k=length))

    def add(self, table: str, row: Row) -> Row:
        row.setdefault("_cq_source_name", "aws")
        row.setdefault("_cq_sync_time", self.as_of)
        self.tables[table].append(row)
        return row

    def _account_ids(self, count: int) -> list[str]:
        ids: list[str] = []
        while len(ids) < count:
            candidate = f"{self.rng.randrange(10**12):012d}"
            if candidate not in ids and candidate != self.vendor_account:
                ids.append(candidate)
        return ids

    def build(self) -> Tables:
        for index, account_id in enumerate(self.account_ids):
            account = self._account(index, account_id)
            self._password_policy_row(account)
            self._buckets(account)
            self._policies(account)
            self._groups(account)
            self._users(account)
            self._roles(account)
            self._account_rows(account)
        self._corrupt_documents()
        return self.tables

    # accounts

    def _account(self, index: int, account_id: str) -> _Account:
        plan = self._account_plan(index)
        base = ACCOUNT_ALIASES[index % len(ACCOUNT_ALIASES)]
        alias = f"acme-{base}" if index < len(ACCOUNT_ALIASES) else f"acme-{base}-{index}"
        created = self.ago(self.rng.randint(2600, 3400))
        return _Account(index, account_id, alias, created, plan, self.rng.choice(REGIONS))

    def _account_plan(self, index: int) -> _AccountPlan:
        rng = self.rng
        random_plan = _AccountPlan(
            root_mfa=rng.random() < 0.85,
            root_key=rng.random() < 0.1,
            password_policy=_weighted(rng, (("strong", 0.6), ("weak", 0.25), ("absent", 0.15))),
            s3_block=_weighted(rng, (("all", 0.7), ("partial", 0.15), ("none", 0.15))),
        )
        return _ACCOUNT_ARCHETYPES[index] if index < len(_ACCOUNT_ARCHETYPES) else random_plan

    def _account_rows(self, account: _Account) -> None:
        self._iam_account_row(account)
        self._root_credential_row(account)
        self._s3_account_row(account)

    def _iam_account_row(self, account: _Account) -> None:
        policies = [*account.managed.values(), *account.customer]
        in_use = sum(1 for policy in policies if policy.row["attachment_count"])
        self.add(
            "aws_iam_accounts",
            {
                "_cq_id": cq_id("aws_iam_accounts", account.account_id),
                "account_id": account.account_id,
                "users": len(account.users),
                "users_quota": 5000,
                "groups": len(account.groups),
                "groups_quota": 300,
                "server_certificates": 0,
                "server_certificates_quota": 20,
                "user_policy_size_quota": 2048,
                "group_policy_size_quota": 5120,
                "groups_per_user_quota": 10,
                "signing_certificates_per_user_quota": 2,
                "access_keys_per_user_quota": 2,
                "mfa_devices": account.mfa_devices,
                "mfa_devices_in_use": account.mfa_devices,
                "account_mfa_enabled": account.plan.root_mfa,
                "account_access_keys_present": account.plan.root_key,
                "account_signing_certificates_present": False,
                "attached_policies_per_group_quota": 10,
                "attached_policies_per_role_quota": 10,
                "attached_policies_per_user_quota": 10,
                "policies": len(account.customer),
                "policies_quota": 1500,
                "policy_size_quota": 6144,
                "policy_versions_in_use": in_use,
                "policy_versions_in_use_quota": 10000,
                "versions_per_policy_quota": 5,
                "global_endpoint_token_version": 1,
                "aliases": [account.alias],
            },
        )

    def _password_policy_row(self, account: _Account) -> None:
        row: Row = {
            "_cq_id": cq_id("aws_iam_password_policies", account.account_id),
            "account_id": account.account_id,
            "policy_exists": account.plan.password_policy != "absent",
        }
        if account.plan.password_policy == "absent":
            row.update(dict.fromkeys(_PASSWORD_BOOLEANS, False))
        else:
            row.update(self._password_settings(account.plan.password_policy == "strong"))
            max_age = row["max_password_age"]
            account.max_password_age = max_age if isinstance(max_age, int) else None
        self.add("aws_iam_password_policies", row)

    def _password_settings(self, strong: bool) -> Row:
        rng = self.rng
        settings: Row = {
            "allow_users_to_change_password": True,
            "expire_passwords": True,
            "hard_expiry": False,
            "max_password_age": rng.choice((60, 90)),
            "minimum_password_length": rng.choice((14, 16, 20)),
            "password_reuse_prevention": 24,
            "require_lowercase_characters": True,
            "require_numbers": True,
            "require_symbols": True,
            "require_uppercase_characters": True,
        }
        if strong:
            return settings
        weaknesses = rng.sample(list(_WEAKNESSES), k=rng.randint(1, 3))
        for weakness in weaknesses:
            settings.update(_WEAKNESSES[weakness])
        return settings

    def _root_credential_row(self, account: _Account) -> None:
        arn = f"arn:aws:iam::{account.account_id}:root"
        key_active = account.plan.root_key
        rotated = self.ago(self.rng.randint(300, 900)) if key_active else None
        used = self.ago(self.rng.randint(1, 40)) if key_active else None
        row: Row = {
            "_cq_id": cq_id("aws_iam_credential_reports", arn, account.created),
            "arn": arn,
            "user": "<root_account>",
            "user_creation_time": account.created,
            "password_enabled": "not_supported",
            "password_last_used": self.ago(self.rng.randint(5, 400)),
            "mfa_active": account.plan.root_mfa,
            "access_key1_active": key_active,
            "access_key2_active": False,
            "access_key_1_last_rotated": rotated,
            "access_key_1_last_used_date": used,
            "access_key1_last_used_region": "us-east-1" if used else "N/A",
            "access_key1_last_used_service": "s3" if used else "N/A",
            "access_key2_last_used_region": "N/A",
            "access_key2_last_used_service": "N/A",
            "cert1_active": False,
            "cert2_active": False,
        }
        self.add("aws_iam_credential_reports", row)

    def _s3_account_row(self, account: _Account) -> None:
        block = account.plan.s3_block
        flags = dict.fromkeys(_S3_BLOCK_FLAGS, block == "all")
        if block == "partial":
            flags.update(block_public_acls=True, ignore_public_acls=True)
        self.add(
            "aws_s3_accounts",
            {
                "_cq_id": cq_id("aws_s3_accounts", account.account_id),
                "account_id": account.account_id,
                **flags,
                "config_exists": block != "none",
            },
        )

    # S3

    def _buckets(self, account: _Account) -> None:
        log_bucket = self._bucket_name(f"{account.alias}-access-logs")
        account.buckets.append(log_bucket)
        for _ in range(self.size.buckets_per_account - 1):
            purpose = self.rng.choice(BUCKET_PURPOSES)
            suffix = "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=4))
            account.buckets.append(self._bucket_name(f"{account.alias}-{purpose}-{suffix}"))
        for name in account.buckets:
            self._bucket(account, name, log_bucket)

    def _bucket_name(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self.bucket_names:
            n += 1
            name = f"{wanted}-{n}"
        self.bucket_names.add(name)
        return name

    def _bucket(self, account: _Account, name: str, log_bucket: str) -> None:
        index = self.next_index("bucket")
        arn = f"arn:aws:s3:::{name}"
        parent = cq_id("aws_s3_buckets", arn)
        facets = {key: self._facet(index, offset, key) for offset, key in enumerate(_BUCKET_FACETS)}
        region = account.region if self.rng.random() < 0.7 else self.rng.choice(REGIONS)
        public = facets["policy"] == "public_read"
        self.add(
            "aws_s3_buckets",
            {
                "_cq_id": parent,
                "account_id": account.account_id,
                "arn": arn,
                "creation_date": self.ago(self.rng.randint(5, 2500)),
                "name": name,
                "region": region,
                "policy_status": {"IsPublic": public} if facets["policy"] != "none" else None,
                "tags": self._tags(),
            },
        )
        child = {"_cq_parent_id": parent, "account_id": account.account_id, "bucket_arn": arn}
        self._bucket_public_access_block(facets["public_access_block"], child)
        self._bucket_encryption(facets["encryption"], child, account, region)
        self._bucket_versioning(facets["versioning"], child)
        self._bucket_logging(facets["logging"], child, log_bucket, name)
        self._bucket_policy(facets["policy"], child, account, arn)

    def _facet(self, index: int, offset: int, key: str) -> str:
        options = _BUCKET_FACETS[key]
        return _forced(index, options, offset) or _weighted(self.rng, options)

    def _child(self, table: str, base: Row, **values: object) -> None:
        self.add(table, {"_cq_id": cq_id(table, base["bucket_arn"]), **base, **values})

    def _bucket_public_access_block(self, facet: str, base: Row) -> None:
        if facet == "missing":
            return
        config = dict.fromkeys(_BUCKET_BLOCK_KEYS, True)
        if facet == "partial":
            for key in self.rng.sample(list(_BUCKET_BLOCK_KEYS), k=self.rng.randint(1, 2)):
                config[key] = False
        self._child(
            "aws_s3_bucket_public_access_blocks", base, public_access_block_configuration=config
        )

    def _bucket_encryption(self, facet: str, base: Row, account: _Account, region: str) -> None:
        if facet == "none":
            return
        rule: Row = {"SSEAlgorithm": "AES256"}
        if facet == "kms":
            key = uuid.UUID(int=self.rng.getrandbits(128))
            rule = {
                "SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": f"arn:aws:kms:{region}:{account.account_id}:key/{key}",
            }
        self._child(
            "aws_s3_bucket_encryption_rules",
            base,
            apply_server_side_encryption_by_default=rule,
            bucket_key_enabled=facet == "kms" and self.rng.random() < 0.7,
        )

    def _bucket_versioning(self, facet: str, base: Row) -> None:
        if facet == "missing":
            return
        status = {"enabled": "Enabled", "suspended": "Suspended"}.get(facet)
        mfa_delete = None
        if status == "Enabled":
            mfa_delete = "Enabled" if self.rng.random() < 0.3 else "Disabled"
        elif status == "Suspended":
            mfa_delete = "Disabled"
        self._child("aws_s3_bucket_versionings", base, status=status, mfa_delete=mfa_delete)

    def _bucket_logging(self, facet: str, base: Row, log_bucket: str, name: str) -> None:
        if facet == "missing":
            return
        config = None
        if facet == "on":
            config = {"TargetBucket": log_bucket, "TargetPrefix": f"{name}/"}
        self._child("aws_s3_bucket_loggings", base, logging_enabled=config)

    def _bucket_policy(self, facet: str, base: Row, account: _Account, arn: str) -> None:
        if facet == "none":
            return
        statements = _BUCKET_POLICY_BUILDERS[facet](self.rng, arn, account.account_id)
        doc: Doc = {"Version": POLICY_VERSION, "Id": f"Policy{self.rng.randrange(10**12)}"}
        doc["Statement"] = statements
        self._child(
            "aws_s3_bucket_policies", base, policy_json=doc, policy=_document_text(self.rng, doc)
        )

    def _tags(self) -> Row:
        tags: Row = {}
        if self.rng.random() < 0.7:
            tags["team"] = self.rng.choice(("platform", "payments", "data", "security", "web"))
        if self.rng.random() < 0.5:
            tags["env"] = self.rng.choice(("prod", "staging", "dev"))
        if self.rng.random() < 0.03:
            tags["owner"] = self.rng.choice(ODD_USER_NAMES)
        return tags

    # managed policies

    def _policies(self, account: _Account) -> None:
        for name in _AWS_MANAGED:
            account.managed[name] = self._aws_managed_policy(account, name)
        used: set[str] = set()
        context = _Context(self.rng, account.account_id, account.region, account.buckets)
        for _ in range(self.size.policies_per_account):
            index = self.next_index("policy")
            forced = _FORCED_THEMES[index] if index < len(_FORCED_THEMES) else None
            theme = forced or _pick_theme(self.rng)
            name = _unique_name(theme, used)
            account.customer.append(self._customer_policy(account, context, name, theme))

    def _aws_managed_policy(self, account: _Account, name: str) -> _Policy:
        path, version, statements = _AWS_MANAGED[name]
        policy_id = _stable_id("ANPA", name)
        arn = aws_managed_arn(name)
        row = self._policy_row(account, arn, name, path, policy_id, version)
        row.update(create_date=_AWS_MANAGED_CREATED, update_date=_AWS_MANAGED_UPDATED)
        row["description"] = f"AWS managed policy {name}"
        doc: Doc = {"Version": POLICY_VERSION, "Statement": json.loads(json.dumps(statements))}
        self._version_row(account, row, version, doc, _AWS_MANAGED_UPDATED, default=True)
        return _Policy(name, arn, row)

    def _customer_policy(
        self, account: _Account, context: _Context, name: str, theme: str
    ) -> _Policy:
        path = "/" if self.rng.random() < 0.8 else "/teams/"
        arn = f"arn:aws:iam::{account.account_id}:policy{path}{name}"
        count = int(_weighted(self.rng, (("1", 0.5), ("2", 0.3), ("3", 0.2))))
        default = (
            count if self.rng.random() < 0.85 or count == 1 else self.rng.randint(1, count - 1)
        )
        row = self._policy_row(account, arn, name, path, self.aws_id("ANPA"), f"v{default}")
        created = self.ago(self.rng.randint(30 * count, 1500))
        row.update(create_date=created, update_date=created, description=self._description(name))
        for version in range(1, count + 1):
            stamp = created + timedelta(days=(version - 1) * self.rng.randint(3, 20))
            doc = _theme_document(context, theme)
            self._version_row(account, row, f"v{version}", doc, stamp, default=version == default)
            row["update_date"] = stamp
        return _Policy(name, arn, row)

    def _description(self, name: str) -> str | None:
        roll = self.rng.random()
        if roll < 0.05:
            return self.rng.choice(ODD_DESCRIPTIONS)
        return f"Grants {name.replace('-', ' ')}" if roll < 0.7 else None

    def _policy_row(
        self, account: _Account, arn: str, name: str, path: str, policy_id: str, version: str
    ) -> Row:
        row = self.add(
            "aws_iam_policies",
            {
                "_cq_id": cq_id("aws_iam_policies", account.account_id, policy_id),
                "account_id": account.account_id,
                "id": policy_id,
                "tags": {},
                "arn": arn,
                "attachment_count": 0,
                "default_version_id": version,
                "is_attachable": True,
                "path": path,
                "permissions_boundary_usage_count": 0,
                "policy_id": policy_id,
                "policy_name": name,
            },
        )
        return row

    def _version_row(
        self,
        account: _Account,
        policy: Row,
        version: str,
        doc: Doc,
        stamp: datetime,
        *,
        default: bool,
    ) -> None:
        table = "aws_iam_policy_versions"
        self.add(
            table,
            {
                "_cq_id": cq_id(table, account.account_id, policy["arn"], version),
                "_cq_parent_id": policy["_cq_id"],
                "account_id": account.account_id,
                "policy_arn": policy["arn"],
                "document_json": doc,
                "create_date": stamp,
                "document": _document_text(self.rng, doc),
                "is_default_version": default,
                "version_id": version,
            },
        )

    def _corrupt_documents(self) -> None:
        rows = [
            row
            for row in self.tables["aws_iam_policy_versions"]
            if not str(row["policy_arn"]).startswith("arn:aws:iam::aws:")
        ]
        broken = max(1, round(len(rows) / 400))
        if len(rows) < broken + 1:
            return
        chosen = self.rng.sample(range(len(rows)), k=broken + 1)
        for position in chosen[:broken]:
            text = json.dumps(rows[position]["document_json"])
            rows[position]["document"] = _break_json(self.rng, text)
            rows[position]["document_json"] = None
        odd = {"Version": POLICY_VERSION, "Statement": 42}
        rows[chosen[-1]]["document_json"] = odd
        rows[chosen[-1]]["document"] = json.dumps(odd)

    def _attach(self, policy: _Policy) -> None:
        count = policy.row["attachment_count"]
        policy.row["attachment_count"] = (count if isinstance(count, int) else 0) + 1

    def _any_policy(self, account: _Account, managed_chance: float = 0.4) -> _Policy:
        if account.customer and self.rng.random() >= managed_chance:
            return self.rng.choice(account.customer)
        name = _weighted(self.rng, _DIRECT_MANAGED)
        return account.managed[name]

    def _inline_document(self, account: _Account) -> tuple[str, Doc]:
        context = _Context(self.rng, account.account_id, account.region, account.buckets)
        theme = self.rng.choice(_INLINE_THEMES)
        if self.rng.random() < 0.05:
            theme = self.rng.choice(("ci-passrole-ec2", "iam-admin", "break-glass-admin"))
        return f"inline-{theme}", _theme_document(context, theme)

    # groups

    def _groups(self, account: _Account) -> None:
        for position in range(self.size.groups_per_account):
            base = GROUP_NAMES[position % len(GROUP_NAMES)]
            name = base if position < len(GROUP_NAMES) else f"{base}-team-{position}"
            account.groups.append(self._group(account, name, base))

    def _group(self, account: _Account, name: str, base: str) -> _Principal:
        path = "/"
        arn = f"arn:aws:iam::{account.account_id}:group{path}{name}"
        group_id = self.aws_id("AGPA")
        row = self.add(
            "aws_iam_groups",
            {
                "_cq_id": cq_id("aws_iam_groups", account.account_id, arn),
                "account_id": account.account_id,
                "arn": arn,
                "create_date": self.ago(self.rng.randint(200, 2000)),
                "group_id": group_id,
                "group_name": name,
                "path": path,
            },
        )
        group = _Principal("group", name, arn, group_id, str(row["_cq_id"]), row)
        attached = [account.managed[n] for n in GROUP_MANAGED_POLICIES.get(base, ())]
        if base in ("Developers", "DataEngineers", "Billing") or not attached:
            attached.append(self._any_policy(account, managed_chance=0.0))
        for policy in _distinct(attached):
            self._attachment("group", account, group, policy)
        if self.rng.random() < 0.25:
            self._inline("group", account, group)
        return group

    # users

    def _users(self, account: _Account) -> None:
        used: set[str] = set()
        for _ in range(self.size.users_per_account):
            index = self.next_index("user")
            plan = _USER_ARCHETYPES[index] if index < len(_USER_ARCHETYPES) else self._user_plan()
            account.users.append(self._user(account, plan, self._user_name(plan, used)))

    def _user_plan(self) -> _UserPlan:
        rng = self.rng
        console = rng.random() < 0.65
        created = rng.randint(20, 1800)
        key_counts = _CONSOLE_KEY_COUNTS if console else _PROGRAMMATIC_KEY_COUNTS
        keys = tuple(self._key_plan(created) for _ in range(int(_weighted(rng, key_counts))))
        return _UserPlan(
            console=console,
            mfa=console and rng.random() < 0.78,
            created_days=created,
            password_used_days=self._last_use(created) if console else None,
            keys=keys,
            inline=1 if rng.random() < 0.08 else 0,
            attached=1 if rng.random() < 0.1 else 0,
            odd_name=rng.random() < 0.03,
        )

    def _key_plan(self, created_days: int) -> _KeyPlan:
        rng = self.rng
        young = created_days <= 110 or rng.random() < 0.7
        age = rng.randint(1, min(created_days, 80)) if young else rng.randint(100, created_days)
        return _KeyPlan(
            active=rng.random() < 0.88, age_days=age, last_used_days=self._last_use(age)
        )

    def _last_use(self, age_days: int) -> int | None:
        """Days since a credential of this age was last used: recently, long ago or never."""
        usage = _weighted(self.rng, (("recent", 0.8), ("stale", 0.12), ("never", 0.08)))
        if usage == "never":
            return None
        if usage == "stale" and age_days > 110:
            return self.rng.randint(100, age_days)
        return self.rng.randint(0, min(age_days, 60))

    def _user_name(self, plan: _UserPlan, used: set[str]) -> str:
        rng = self.rng
        if plan.odd_name:
            wanted = ODD_USER_NAMES[self.next_index("odd_name") % len(ODD_USER_NAMES)]
        elif plan.console:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            wanted = f"{first}.{last}" if rng.random() < 0.7 else f"{first[0]}{last}"
        else:
            wanted = f"svc-{rng.choice(SERVICE_USER_APPS)}"
        return _unique_name(wanted, used)

    def _user(self, account: _Account, plan: _UserPlan, name: str) -> _Principal:
        path = "/" if plan.console or self.rng.random() < 0.5 else "/service/"
        arn = f"arn:aws:iam::{account.account_id}:user{path}{name}"
        user_id = self.aws_id("AIDA")
        created = self.ago(plan.created_days)
        password_used = (
            None if plan.password_used_days is None else self.ago(plan.password_used_days)
        )
        row = self.add(
            "aws_iam_users",
            {
                "_cq_id": cq_id("aws_iam_users", account.account_id, arn),
                "account_id": account.account_id,
                "arn": arn,
                "tags": self._tags(),
                "create_date": created,
                "path": path,
                "user_id": user_id,
                "user_name": name,
                "password_last_used": password_used,
                "permissions_boundary": self._boundary(account),
            },
        )
        user = _Principal("user", name, arn, user_id, str(row["_cq_id"]), row)
        keys = [self._access_key(account, user, key) for key in plan.keys]
        self._credential_report(account, user, plan, keys)
        if plan.mfa:
            self._mfa_device(account, user, created)
        self._memberships(account, user, plan)
        for _ in range(plan.inline):
            self._inline("user", account, user)
        for _ in range(plan.attached):
            self._attachment("user", account, user, self._any_policy(account))
        return user

    def _boundary(self, account: _Account) -> Row | None:
        if self.rng.random() >= 0.05 or not account.customer:
            return None
        return {
            "PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": account.customer[0].arn,
        }

    def _access_key(self, account: _Account, user: _Principal, key: _KeyPlan) -> Row:
        key_id = self.aws_id("AKIA", 16)
        created = self.ago(key.age_days)
        last_used = None if key.last_used_days is None else self.ago(key.last_used_days)
        if last_used is not None and last_used < created:
            last_used = created + timedelta(hours=1)
        table = "aws_iam_user_access_keys"
        return self.add(
            table,
            {
                "_cq_id": cq_id(table, account.account_id, user.arn, key_id),
                "_cq_parent_id": user.cq_id,
                "account_id": account.account_id,
                "user_arn": user.arn,
                "access_key_id": key_id,
                "user_id": user.entity_id,
                "last_used": last_used,
                "last_used_service_name": self.rng.choice(SERVICES) if last_used else None,
                "create_date": created,
                "status": "Active" if key.active else "Inactive",
                "user_name": user.name,
                "last_rotated": created,
            },
        )

    def _credential_report(
        self, account: _Account, user: _Principal, plan: _UserPlan, keys: list[Row]
    ) -> None:
        created = user.row["create_date"]
        row: Row = {
            "_cq_id": cq_id("aws_iam_credential_reports", user.arn, created),
            "arn": user.arn,
            "user": user.name,
            "user_creation_time": created,
            "password_enabled": "true" if plan.console else "false",
            "password_last_used": user.row["password_last_used"],
            "mfa_active": plan.mfa,
            "cert1_active": False,
            "cert2_active": False,
        }
        if plan.console:
            changed = self.ago(self.rng.randint(0, min(plan.created_days, 200)))
            row["password_last_changed"] = changed
            max_age = account.max_password_age
            row["password_next_rotation"] = changed + timedelta(days=max_age) if max_age else None
        for slot in (1, 2):
            row.update(_key_report(slot, keys[slot - 1] if len(keys) >= slot else None, self.rng))
        self.add("aws_iam_credential_reports", row)

    def _mfa_device(self, account: _Account, user: _Principal, created: datetime) -> None:
        serial = f"arn:aws:iam::{account.account_id}:mfa/{user.name}"
        if self.rng.random() < 0.15:
            serial = f"GAHT{self.rng.randrange(10**7, 10**8)}"
        table = "aws_iam_mfa_devices"
        self.add(
            table,
            {
                "_cq_id": cq_id(table, serial),
                "_cq_parent_id": user.cq_id,
                "account_id": account.account_id,
                "serial_number": serial,
                "enable_date": created + timedelta(hours=self.rng.randint(1, 72)),
                "user_name": user.name,
            },
        )
        account.mfa_devices += 1

    def _memberships(self, account: _Account, user: _Principal, plan: _UserPlan) -> None:
        if not account.groups:
            return
        weights = [1.0 if group.name == "Admins" else 3.0 for group in account.groups]
        wanted = self.rng.choice((0, 1, 1, 2)) if plan.console else self.rng.choice((0, 0, 1))
        chosen = _distinct(self.rng.choices(account.groups, weights, k=wanted))
        table = "aws_iam_user_groups"
        for group in chosen:
            self.add(
                table,
                {
                    "_cq_id": cq_id(table, account.account_id, user.arn, group.arn),
                    "_cq_parent_id": user.cq_id,
                    "account_id": account.account_id,
                    "user_arn": user.arn,
                    "user_id": user.entity_id,
                    "arn": group.arn,
                    "create_date": group.row["create_date"],
                    "group_id": group.entity_id,
                    "group_name": group.name,
                    "path": group.row["path"],
                },
            )

    # roles

    def _roles(self, account: _Account) -> None:
        used: set[str] = set()
        for position in range(self.size.roles_per_account):
            self.next_index("role")
            kind = self._role_kind(account, position)
            self._role(account, kind, used)

    def _role_kind(self, account: _Account, position: int) -> str:
        if position == self.size.roles_per_account - 1 and account.index < len(_PUBLIC_ROLE_KINDS):
            return _PUBLIC_ROLE_KINDS[account.index]
        if self.rng.random() < 0.005:
            return self.rng.choice(_PUBLIC_ROLE_KINDS)
        if position < len(_BASE_ROLE_KINDS):
            return _BASE_ROLE_KINDS[position]
        return _weighted(self.rng, _EXTRA_ROLE_KINDS)

    def _role(self, account: _Account, kind: str, used: set[str]) -> None:
        name, path = self._role_name(kind, used)
        arn = f"arn:aws:iam::{account.account_id}:role{path}{name}"
        row = self.add(
            "aws_iam_roles",
            {
                "_cq_id": cq_id("aws_iam_roles", account.account_id, arn),
                "account_id": account.account_id,
                "assume_role_policy_document": self._trust_policy(account, kind),
                "tags": self._tags(),
                "arn": arn,
                "create_date": self.ago(self.rng.randint(10, 2000)),
                "path": path,
                "role_id": self.aws_id("AROA"),
                "role_name": name,
                "description": self._role_description(kind),
                "max_session_duration": 43200 if kind.startswith("sso") else 3600,
                "permissions_boundary": self._boundary(account) if kind == "ec2" else None,
                "role_last_used": self._role_last_used(),
            },
        )
        role = _Principal("role", name, arn, str(row["role_id"]), str(row["_cq_id"]), row)
        policies = [account.managed[n] for n in _ROLE_MANAGED.get(kind, ())]
        if kind in ("ec2", "lambda", "ecs", "github_oidc", "glue") and account.customer:
            policies.extend(self.rng.sample(account.customer, k=min(len(account.customer), 2)))
        for policy in _distinct(policies):
            self._attachment("role", account, role, policy)
        if kind in ("ec2", "lambda", "ecs") and self.rng.random() < 0.3:
            self._inline("role", account, role)

    def _role_name(self, kind: str, used: set[str]) -> tuple[str, str]:
        fixed = _FIXED_ROLE_NAMES.get(kind)
        if fixed:
            name, path = fixed
            if kind == "sso_admin":
                name = f"{name}_{self.rng.getrandbits(64):016x}"
            return _unique_name(name, used), path
        app = self.rng.choice(("orders", "payments", "search", "catalog", "etl", "reports", "web"))
        base = _ROLE_NAME_PATTERNS.get(kind, "{app}-role").format(app=app)
        path = "/service-role/" if kind in ("lambda", "glue") and self.rng.random() < 0.5 else "/"
        return _unique_name(base, used), path

    def _role_description(self, kind: str) -> str | None:
        if self.rng.random() < 0.08:
            return self.rng.choice(ODD_DESCRIPTIONS)
        return _ROLE_DESCRIPTIONS.get(kind)

    def _role_last_used(self) -> Row:
        if self.rng.random() < 0.2:
            return {}
        return {
            "LastUsedDate": _iso(self.ago(self.rng.randint(0, 200))),
            "Region": self.rng.choice(REGIONS),
        }

    def _trust_policy(self, account: _Account, kind: str) -> Doc:
        statement = _trust_statement(self, account, kind)
        body: object = [statement]
        if self.rng.random() < 0.15:
            body = statement
        return {"Version": POLICY_VERSION, "Statement": body}

    # attachments and inline policies

    def _attachment(
        self, kind: str, account: _Account, principal: _Principal, policy: _Policy
    ) -> None:
        table = f"aws_iam_{kind}_attached_policies"
        key = policy.name if kind == "user" else policy.arn
        row: Row = {
            "_cq_id": cq_id(table, account.account_id, principal.arn, key),
            "_cq_parent_id": principal.cq_id,
            "account_id": account.account_id,
            f"{kind}_arn": principal.arn,
            "policy_arn": policy.arn,
            "policy_name": policy.name,
        }
        if kind == "user":
            row["user_id"] = principal.entity_id
        self.add(table, row)
        self._attach(policy)

    def _inline(self, kind: str, account: _Account, principal: _Principal) -> None:
        table = f"aws_iam_{kind}_policies"
        name, doc = self._inline_document(account)
        row: Row = {
            "_cq_id": cq_id(table, account.account_id, principal.arn, name),
            "_cq_parent_id": principal.cq_id,
            "account_id": account.account_id,
            f"{kind}_arn": principal.arn,
            "policy_document": doc,
            "policy_name": name,
            f"{kind}_name": principal.name,
        }
        if kind == "user":
            row["user_id"] = principal.entity_id
        self.add(table, row)


# --- tables of small facts -------------------------------------------------------------------

_PASSWORD_BOOLEANS = (
    "allow_users_to_change_password",
    "expire_passwords",
    "require_lowercase_characters",
    "require_numbers",
    "require_symbols",
    "require_uppercase_characters",
)
_WEAKNESSES: dict[str, Row] = {
    "short": {"minimum_password_length": 8},
    "no_reuse": {"password_reuse_prevention": None},
    "few_reuse": {"password_reuse_prevention": 5},
    "no_expiry": {"max_password_age": None, "expire_passwords": False},
    "long_expiry": {"max_password_age": 365},
    "no_symbols": {"require_symbols": False},
    "no_upper": {"require_uppercase_characters": False},
}
_S3_BLOCK_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
_BUCKET_BLOCK_KEYS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)
_BUCKET_FACETS: dict[str, tuple[tuple[str, float], ...]] = {
    "public_access_block": (("all", 0.68), ("partial", 0.17), ("missing", 0.15)),
    "encryption": (("kms", 0.45), ("aes256", 0.35), ("none", 0.2)),
    "versioning": (("enabled", 0.67), ("suspended", 0.1), ("never", 0.18), ("missing", 0.05)),
    "logging": (("on", 0.67), ("off", 0.25), ("missing", 0.08)),
    "policy": (
        ("tls", 0.55),
        ("tls_and_cloudfront", 0.1),
        ("cross_account", 0.08),
        ("tls_decoy", 0.04),
        ("public_read", 0.03),
        ("none", 0.2),
    ),
}
_CONSOLE_KEY_COUNTS = (("0", 0.6), ("1", 0.35), ("2", 0.05))
_PROGRAMMATIC_KEY_COUNTS = (("0", 0.05), ("1", 0.75), ("2", 0.2))
_DIRECT_MANAGED = (
    ("ReadOnlyAccess", 4.0),
    ("AmazonS3ReadOnlyAccess", 3.0),
    ("AmazonEC2FullAccess", 1.0),
    ("AdministratorAccess", 1.0),
)
_FIXED_ROLE_NAMES = {
    "org_access": ("OrganizationAccountAccessRole", "/"),
    "support_slr": ("AWSServiceRoleForSupport", "/aws-service-role/support.amazonaws.com/"),
    "sso_admin": ("AWSReservedSSO_AdministratorAccess", "/aws-reserved/sso.amazonaws.com/"),
    "sso_readonly": ("AWSReservedSSO_ReadOnly", "/aws-reserved/sso.amazonaws.com/"),
    "vendor_audit": ("vendor-security-audit", "/"),
    "breakglass": ("break-glass", "/"),
    "public_open": ("legacy-partner-access", "/"),
    "public_external_id": ("saas-integration", "/"),
    "public_org_id": ("org-shared-reader", "/"),
}
_ROLE_NAME_PATTERNS = {
    "ec2": "{app}-ec2-instance",
    "lambda": "{app}-lambda-exec",
    "ecs": "{app}-ecs-task",
    "glue": "{app}-glue-job",
    "github_oidc": "github-actions-{app}-deploy",
    "cross_account_deploy": "ci-deploy-{app}",
}
_ROLE_DESCRIPTIONS = {
    "org_access": None,
    "support_slr": "Enables resource access for AWS to provide billing and support services",
    "vendor_audit": "Read-only access for the third-party security scanner",
    "breakglass": "Emergency administrator access; MFA required",
    "github_oidc": "Deploys from GitHub Actions",
}


def _trust_statement(org: _Organisation, account: _Account, kind: str) -> Statement:
    rng = org.rng
    management = org.account_ids[0]
    assume: Statement = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    if kind in _SERVICE_PRINCIPALS:
        service: object = _SERVICE_PRINCIPALS[kind]
        if kind == "lambda" and rng.random() < 0.2:
            service = [service, "edgelambda.amazonaws.com"]
        return {**assume, "Principal": {"Service": service}}
    if kind == "org_access":
        return {**assume, "Principal": {"AWS": f"arn:aws:iam::{management}:root"}}
    if kind == "breakglass":
        condition = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        principal = {"AWS": f"arn:aws:iam::{account.account_id}:root"}
        return {**assume, "Principal": principal, "Condition": condition}
    if kind == "cross_account_deploy":
        source = org.account_ids[-1] if account.account_id == management else management
        return {**assume, "Principal": {"AWS": [f"arn:aws:iam::{source}:role/ci-runner"]}}
    if kind == "vendor_audit":
        condition = {"StringEquals": {"sts:ExternalId": f"{rng.getrandbits(96):024x}"}}
        principal = {"AWS": f"arn:aws:iam::{org.vendor_account}:root"}
        return {**assume, "Principal": principal, "Condition": condition}
    if kind == "github_oidc":
        return _oidc_trust(account)
    if kind.startswith("sso"):
        return _saml_trust(account, rng)
    return _public_trust(org, kind)


def _oidc_trust(account: _Account) -> Statement:
    issuer = "token.actions.githubusercontent.com"
    return {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{account.account_id}:oidc-provider/{issuer}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{issuer}:sub": "repo:acme/*:ref:refs/heads/main"},
        },
    }


def _saml_trust(account: _Account, rng: random.Random) -> Statement:
    provider = f"AWSSSO_{rng.getrandbits(64):016x}_DO_NOT_DELETE"
    return {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{account.account_id}:saml-provider/{provider}"},
        "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    }


def _public_trust(org: _Organisation, kind: str) -> Statement:
    principal: object = "*" if org.rng.random() < 0.5 else {"AWS": "*"}
    statement: Statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if kind == "public_external_id":
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": "partner-7731"}}
    elif kind == "public_org_id":
        statement["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": org.org_id}}
    return statement


def _tls_deny(rng: random.Random, arn: str) -> Statement:
    principal: object = "*" if rng.random() < 0.7 else {"AWS": "*"}
    value: object = "false" if rng.random() < 0.85 else False
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": principal,
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": value}},
    }


def _cloudfront_read(rng: random.Random, arn: str, account_id: str) -> Statement:
    distribution = "".join(rng.choices(_ALNUM, k=14))
    return {
        "Sid": "AllowCloudFrontServicePrincipal",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{arn}/*",
        "Condition": {
            "StringEquals": {
                "AWS:SourceArn": f"arn:aws:cloudfront::{account_id}:distribution/{distribution}"
            }
        },
    }


def _cross_account_read(rng: random.Random, arn: str, account_id: str) -> Statement:
    other = f"{rng.randrange(10**11, 10**12):012d}"
    return {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{other}:root"},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [arn, f"{arn}/*"],
    }


def _tls_decoy(rng: random.Random, arn: str) -> Statement:
    decoy = _tls_deny(rng, arn)
    decoy["Action"] = "s3:GetObject"
    decoy["Resource"] = f"{arn}/*"
    return decoy


def _public_read(rng: random.Random, arn: str) -> Statement:
    return {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": f"{arn}/*",
    }


BucketPolicyBuilder = Callable[[random.Random, str, str], list[Statement]]
_BUCKET_POLICY_BUILDERS: dict[str, BucketPolicyBuilder] = {
    "tls": lambda rng, arn, account: [_tls_deny(rng, arn)],
    "tls_and_cloudfront": lambda rng, arn, account: [
        _cloudfront_read(rng, arn, account),
        _tls_deny(rng, arn),
    ],
    "cross_account": lambda rng, arn, account: [_cross_account_read(rng, arn, account)],
    "tls_decoy": lambda rng, arn, account: [_tls_decoy(rng, arn)],
    "public_read": lambda rng, arn, account: [_public_read(rng, arn)],
}


def _key_report(slot: int, key: Row | None, rng: random.Random) -> Row:
    prefix, flag = f"access_key_{slot}", f"access_key{slot}"
    if key is None:
        return {
            f"{flag}_active": False,
            f"{flag}_last_used_region": "N/A",
            f"{flag}_last_used_service": "N/A",
        }
    used = key["last_used"]
    return {
        f"{flag}_active": key["status"] == "Active",
        f"{prefix}_last_rotated": key["create_date"],
        f"{prefix}_last_used_date": used,
        f"{flag}_last_used_region": rng.choice(REGIONS) if used else "N/A",
        f"{flag}_last_used_service": key["last_used_service_name"] if used else "N/A",
    }


def _break_json(rng: random.Random, text: str) -> str:
    if rng.random() < 0.5:
        return text[: max(1, len(text) - 9)]
    return text.replace('"Effect"', "Effect", 1).replace("}]", "},]", 1)


def _unique_name(wanted: str, used: set[str]) -> str:
    name, n = wanted, 1
    while name in used:
        n += 1
        name = f"{wanted}-{n}"
    used.add(name)
    return name


T = TypeVar("T")


def _distinct(items: Sequence[T]) -> list[T]:
    seen: list[int] = []
    out: list[T] = []
    for item in items:
        if id(item) not in seen:
            seen.append(id(item))
            out.append(item)
    return out


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _complete(tables: Tables, specs: rawdb.TableSpecs) -> Tables:
    """Every declared column on every row, in declared order."""
    complete: Tables = {}
    for table, rows in tables.items():
        columns = [name for name, _ in specs[table]]
        unknown = sorted({key for row in rows for key in row} - set(columns))
        if unknown:
            raise ValueError(f"generator produced undeclared columns for {table}: {unknown}")
        complete[table] = [{column: row.get(column) for column in columns} for row in rows]
    return complete


def generate_organisation(
    size: OrgSize, seed: int = 7, as_of: datetime = DEFAULT_AS_OF
) -> dict[str, list[dict]]:
    """Rows for every generated table, deterministic in (size, seed, as_of)."""
    tables = _Organisation(size, seed, as_of).build()
    return _complete(tables, rawdb.load_table_specs())


# --- the `soc2 generate` subcommand ----------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `soc2 generate`."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--duckdb", type=Path, metavar="PATH", help="DuckDB file to write")
    where.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="DSN",
        help="PostgreSQL: the server of the SOC2_PG_* variables, or a libpq connection string",
    )
    parser.add_argument("--schema", default="cloudquery", help="schema (default: cloudquery)")
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (default: 1)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF.date(),
        metavar="DATE",
        help="evaluation date the data is relative to (default: 2026-06-30)",
    )


def run(args: argparse.Namespace) -> int:
    """Generate the organisation and write it to the target."""
    started = time.perf_counter()
    as_of = datetime.combine(args.as_of, datetime.min.time())
    size = OrgSize().scaled(args.scale)
    tables = generate_organisation(size, seed=args.seed, as_of=as_of)
    total = sum(len(rows) for rows in tables.values())
    print(
        f"generated {total:,} rows in {len(tables)} tables ({size.accounts} accounts, "
        f"scale {args.scale:g}, seed {args.seed}, as of {args.as_of}) "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    target = _target(args)
    stage = time.perf_counter()
    counts = rawdb.write_tables(tables, target, sync_time=as_of)
    print(
        f"wrote {len(counts)} tables to {target.describe()} in {time.perf_counter() - stage:.1f} s",
        flush=True,
    )
    print(f"done: {sum(counts.values()):,} rows in {time.perf_counter() - started:.1f} s")
    return 0


def _target(args: argparse.Namespace) -> rawdb.RawTarget:
    if args.duckdb is not None:
        return rawdb.RawTarget("duckdb", schema=args.schema, path=args.duckdb)
    server = (
        warehouse.PostgresSettings.from_dsn(args.postgres)
        if args.postgres
        else warehouse.postgres_settings()
    )
    return rawdb.RawTarget("postgres", schema=args.schema, postgres=server)
