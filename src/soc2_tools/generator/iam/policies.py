"""Managed policies, their versions, attachments and inline policies of every account.

Fills `aws_iam_policies`, `aws_iam_policy_versions`, the three
`*_attached_policies` tables and the three inline `*_policies` tables. Each
account carries the AWS-managed policies it uses plus customer policies drawn
from `themes`; customer policies have one to three versions and the default
is not always the newest, as after a rollback. About one customer version in
400 is not JSON and one parses but has a `Statement` that is a number: real
exports contain both, and the package must quarantine them, not drop them.
Inline policies are mostly narrow app grants, with the occasional admin or
PassRole one hidden where reviewers look least.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from soc2_tools.generator.documents import break_json, document_text
from soc2_tools.generator.iam.managed import (
    AWS_MANAGED,
    AWS_MANAGED_CREATED,
    AWS_MANAGED_UPDATED,
    aws_managed_arn,
)
from soc2_tools.generator.iam.themes import (
    FORCED_THEMES,
    INLINE_THEMES,
    Context,
    pick_theme,
    theme_document,
)
from soc2_tools.generator.organisation import ODD_DESCRIPTIONS, Account, Organisation
from soc2_tools.generator.records import (
    POLICY_VERSION,
    Doc,
    Policy,
    Principal,
    Row,
    cq_id,
    stable_id,
    unique_name,
    weighted,
)

# AWS-managed policies attached directly to users, by weight.
DIRECT_MANAGED = (
    ("ReadOnlyAccess", 4.0),
    ("AmazonS3ReadOnlyAccess", 3.0),
    ("AmazonEC2FullAccess", 1.0),
    ("AdministratorAccess", 1.0),
)


def policies(org: Organisation, account: Account) -> None:
    """The AWS-managed policies, then `policies_per_account` customer policies."""
    for name in AWS_MANAGED:
        account.managed[name] = _aws_managed_policy(org, account, name)
    used: set[str] = set()
    context = Context(org.rng, account.account_id, account.region, account.buckets)
    for _ in range(org.size.policies_per_account):
        index = org.next_index("policy")
        forced = FORCED_THEMES[index] if index < len(FORCED_THEMES) else None
        theme = forced or pick_theme(org.rng)
        name = unique_name(theme, used)
        account.customer.append(_customer_policy(org, account, context, name, theme))


def _aws_managed_policy(org: Organisation, account: Account, name: str) -> Policy:
    path, version, statements = AWS_MANAGED[name]
    policy_id = stable_id("ANPA", name)
    arn = aws_managed_arn(name)
    row = _policy_row(org, account, arn, name, path, policy_id, version)
    row.update(create_date=AWS_MANAGED_CREATED, update_date=AWS_MANAGED_UPDATED)
    row["description"] = f"AWS managed policy {name}"
    doc: Doc = {"Version": POLICY_VERSION, "Statement": json.loads(json.dumps(statements))}
    _version_row(org, account, row, version, doc, AWS_MANAGED_UPDATED, default=True)
    return Policy(name, arn, row)


def _customer_policy(
    org: Organisation, account: Account, context: Context, name: str, theme: str
) -> Policy:
    path = "/" if org.rng.random() < 0.8 else "/teams/"
    arn = f"arn:aws:iam::{account.account_id}:policy{path}{name}"
    count = int(weighted(org.rng, (("1", 0.5), ("2", 0.3), ("3", 0.2))))
    default = count if org.rng.random() < 0.85 or count == 1 else org.rng.randint(1, count - 1)
    row = _policy_row(org, account, arn, name, path, org.aws_id("ANPA"), f"v{default}")
    created = org.ago(org.rng.randint(30 * count, 1500))
    row.update(create_date=created, update_date=created, description=_description(org, name))
    for version in range(1, count + 1):
        stamp = created + timedelta(days=(version - 1) * org.rng.randint(3, 20))
        doc = theme_document(context, theme)
        _version_row(org, account, row, f"v{version}", doc, stamp, default=version == default)
        row["update_date"] = stamp
    return Policy(name, arn, row)


def _description(org: Organisation, name: str) -> str | None:
    roll = org.rng.random()
    if roll < 0.05:
        return org.rng.choice(ODD_DESCRIPTIONS)
    return f"Grants {name.replace('-', ' ')}" if roll < 0.7 else None


def _policy_row(
    org: Organisation,
    account: Account,
    arn: str,
    name: str,
    path: str,
    policy_id: str,
    version: str,
) -> Row:
    return org.add(
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


def _version_row(
    org: Organisation,
    account: Account,
    policy: Row,
    version: str,
    doc: Doc,
    stamp: datetime,
    *,
    default: bool,
) -> None:
    table = "aws_iam_policy_versions"
    org.add(
        table,
        {
            "_cq_id": cq_id(table, account.account_id, policy["arn"], version),
            "_cq_parent_id": policy["_cq_id"],
            "account_id": account.account_id,
            "policy_arn": policy["arn"],
            "document_json": doc,
            "create_date": stamp,
            "document": document_text(org.rng, doc),
            "is_default_version": default,
            "version_id": version,
        },
    )


def corrupt_documents(org: Organisation) -> None:
    """Once every account exists: break about one customer version in 400, and make one odd."""
    rows = [
        row
        for row in org.tables["aws_iam_policy_versions"]
        if not str(row["policy_arn"]).startswith("arn:aws:iam::aws:")
    ]
    broken = max(1, round(len(rows) / 400))
    if len(rows) < broken + 1:
        return
    chosen = org.rng.sample(range(len(rows)), k=broken + 1)
    for position in chosen[:broken]:
        text = json.dumps(rows[position]["document_json"])
        rows[position]["document"] = break_json(org.rng, text)
        rows[position]["document_json"] = None
    odd = {"Version": POLICY_VERSION, "Statement": 42}
    rows[chosen[-1]]["document_json"] = odd
    rows[chosen[-1]]["document"] = json.dumps(odd)


def any_policy(org: Organisation, account: Account, managed_chance: float = 0.4) -> Policy:
    """A customer policy of the account, or a commonly attached AWS-managed one."""
    if account.customer and org.rng.random() >= managed_chance:
        return org.rng.choice(account.customer)
    name = weighted(org.rng, DIRECT_MANAGED)
    return account.managed[name]


def boundary(org: Organisation, account: Account) -> Row | None:
    """A permissions boundary on about one principal in twenty."""
    if org.rng.random() >= 0.05 or not account.customer:
        return None
    return {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": account.customer[0].arn,
    }


def attachment(
    org: Organisation, kind: str, account: Account, principal: Principal, policy: Policy
) -> None:
    """Attach `policy` to a user, group or role and count the attachment on the policy."""
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
    org.add(table, row)
    count = policy.row["attachment_count"]
    policy.row["attachment_count"] = (count if isinstance(count, int) else 0) + 1


def inline(org: Organisation, kind: str, account: Account, principal: Principal) -> None:
    """An inline policy of a user, group or role."""
    table = f"aws_iam_{kind}_policies"
    name, doc = _inline_document(org, account)
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
    org.add(table, row)


def _inline_document(org: Organisation, account: Account) -> tuple[str, Doc]:
    context = Context(org.rng, account.account_id, account.region, account.buckets)
    theme = org.rng.choice(INLINE_THEMES)
    if org.rng.random() < 0.05:
        theme = org.rng.choice(("ci-passrole-ec2", "iam-admin", "break-glass-admin"))
    return f"inline-{theme}", theme_document(context, theme)
