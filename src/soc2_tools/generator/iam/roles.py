"""IAM roles of every account: service, SSO, CI, vendor, break-glass and a few public ones.

Fills `aws_iam_roles` and the role rows of the attachment and inline-policy
tables. Each account starts with the roles every organisation has
(`OrganizationAccountAccessRole`, the Support service-linked role, SSO
permission sets, a CI deploy role, a vendor audit role, break-glass) and adds
workload roles for EC2, Lambda, ECS and Glue. The last role of each of the
first three accounts is one of the publicly assumable kinds, and any role
becomes one with a probability of 1 in 200, so the trust controls always have
something to find without it being common. Workload roles attach customer
policies too, which is where PassRole and wildcard grants reach compute.
"""

from __future__ import annotations

from soc2_tools.generator.iam.policies import attachment, boundary, inline
from soc2_tools.generator.iam.trust import trust_policy
from soc2_tools.generator.organisation import ODD_DESCRIPTIONS, REGIONS, Account, Organisation
from soc2_tools.generator.records import Principal, Row, cq_id, distinct, iso, unique_name, weighted

BASE_ROLE_KINDS = (
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
EXTRA_ROLE_KINDS = (
    ("ec2", 4.0),
    ("lambda", 5.0),
    ("ecs", 3.0),
    ("glue", 1.5),
    ("github_oidc", 1.0),
    ("sso_readonly", 1.0),
    ("cross_account_deploy", 1.0),
)
PUBLIC_ROLE_KINDS = ("public_open", "public_external_id", "public_org_id")
ROLE_MANAGED = {
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
FIXED_ROLE_NAMES = {
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
ROLE_NAME_PATTERNS = {
    "ec2": "{app}-ec2-instance",
    "lambda": "{app}-lambda-exec",
    "ecs": "{app}-ecs-task",
    "glue": "{app}-glue-job",
    "github_oidc": "github-actions-{app}-deploy",
    "cross_account_deploy": "ci-deploy-{app}",
}
ROLE_DESCRIPTIONS = {
    "org_access": None,
    "support_slr": "Enables resource access for AWS to provide billing and support services",
    "vendor_audit": "Read-only access for the third-party security scanner",
    "breakglass": "Emergency administrator access; MFA required",
    "github_oidc": "Deploys from GitHub Actions",
}


def roles(org: Organisation, account: Account) -> None:
    """`roles_per_account` roles: the base kinds first, then drawn workload kinds."""
    used: set[str] = set()
    for position in range(org.size.roles_per_account):
        org.next_index("role")
        kind = _role_kind(org, account, position)
        _role(org, account, kind, used)


def _role_kind(org: Organisation, account: Account, position: int) -> str:
    if position == org.size.roles_per_account - 1 and account.index < len(PUBLIC_ROLE_KINDS):
        return PUBLIC_ROLE_KINDS[account.index]
    if org.rng.random() < 0.005:
        return org.rng.choice(PUBLIC_ROLE_KINDS)
    if position < len(BASE_ROLE_KINDS):
        return BASE_ROLE_KINDS[position]
    return weighted(org.rng, EXTRA_ROLE_KINDS)


def _role(org: Organisation, account: Account, kind: str, used: set[str]) -> None:
    name, path = _role_name(org, kind, used)
    arn = f"arn:aws:iam::{account.account_id}:role{path}{name}"
    row = org.add(
        "aws_iam_roles",
        {
            "_cq_id": cq_id("aws_iam_roles", account.account_id, arn),
            "account_id": account.account_id,
            "assume_role_policy_document": trust_policy(org, account, kind),
            "tags": org.tags(),
            "arn": arn,
            "create_date": org.ago(org.rng.randint(10, 2000)),
            "path": path,
            "role_id": org.aws_id("AROA"),
            "role_name": name,
            "description": _role_description(org, kind),
            "max_session_duration": 43200 if kind.startswith("sso") else 3600,
            "permissions_boundary": boundary(org, account) if kind == "ec2" else None,
            "role_last_used": _role_last_used(org),
        },
    )
    role = Principal("role", name, arn, str(row["role_id"]), str(row["_cq_id"]), row)
    policies = [account.managed[n] for n in ROLE_MANAGED.get(kind, ())]
    if kind in ("ec2", "lambda", "ecs", "github_oidc", "glue") and account.customer:
        policies.extend(org.rng.sample(account.customer, k=min(len(account.customer), 2)))
    for policy in distinct(policies):
        attachment(org, "role", account, role, policy)
    if kind in ("ec2", "lambda", "ecs") and org.rng.random() < 0.3:
        inline(org, "role", account, role)


def _role_name(org: Organisation, kind: str, used: set[str]) -> tuple[str, str]:
    fixed = FIXED_ROLE_NAMES.get(kind)
    if fixed:
        name, path = fixed
        if kind == "sso_admin":
            name = f"{name}_{org.rng.getrandbits(64):016x}"
        return unique_name(name, used), path
    app = org.rng.choice(("orders", "payments", "search", "catalog", "etl", "reports", "web"))
    base = ROLE_NAME_PATTERNS.get(kind, "{app}-role").format(app=app)
    path = "/service-role/" if kind in ("lambda", "glue") and org.rng.random() < 0.5 else "/"
    return unique_name(base, used), path


def _role_description(org: Organisation, kind: str) -> str | None:
    if org.rng.random() < 0.08:
        return org.rng.choice(ODD_DESCRIPTIONS)
    return ROLE_DESCRIPTIONS.get(kind)


def _role_last_used(org: Organisation) -> Row:
    if org.rng.random() < 0.2:
        return {}
    return {
        "LastUsedDate": iso(org.ago(org.rng.randint(0, 200))),
        "Region": org.rng.choice(REGIONS),
    }
