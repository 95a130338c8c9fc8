"""IAM groups of every account: the usual team groups and what they attach.

Fills `aws_iam_groups` and the group rows of the attachment and inline-policy
tables. Groups carry the AWS-managed policy their name suggests (Admins get
AdministratorAccess, IAMManagers IAMFullAccess, Developers PowerUserAccess)
plus, for the teams that own data, a customer policy; a quarter also hold an
inline policy. Broad groups are what most estates grant through, which is why
group membership must be followed when judging a user's access.
"""

from __future__ import annotations

from soc2_tools.generator.iam.policies import any_policy, attachment, inline
from soc2_tools.generator.organisation import Account, Organisation
from soc2_tools.generator.records import Principal, cq_id, distinct

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


def groups(org: Organisation, account: Account) -> None:
    """`groups_per_account` groups, the named ones first, then numbered team groups."""
    for position in range(org.size.groups_per_account):
        base = GROUP_NAMES[position % len(GROUP_NAMES)]
        name = base if position < len(GROUP_NAMES) else f"{base}-team-{position}"
        account.groups.append(_group(org, account, name, base))


def _group(org: Organisation, account: Account, name: str, base: str) -> Principal:
    path = "/"
    arn = f"arn:aws:iam::{account.account_id}:group{path}{name}"
    group_id = org.aws_id("AGPA")
    row = org.add(
        "aws_iam_groups",
        {
            "_cq_id": cq_id("aws_iam_groups", account.account_id, arn),
            "account_id": account.account_id,
            "arn": arn,
            "create_date": org.ago(org.rng.randint(200, 2000)),
            "group_id": group_id,
            "group_name": name,
            "path": path,
        },
    )
    group = Principal("group", name, arn, group_id, str(row["_cq_id"]), row)
    attached = [account.managed[n] for n in GROUP_MANAGED_POLICIES.get(base, ())]
    if base in ("Developers", "DataEngineers", "Billing") or not attached:
        attached.append(any_policy(org, account, managed_chance=0.0))
    for policy in distinct(attached):
        attachment(org, "group", account, group, policy)
    if org.rng.random() < 0.25:
        inline(org, "group", account, group)
    return group
