"""IAM users of every account: people and service users, their groups and policies.

Fills `aws_iam_users` and `aws_iam_user_groups`, and through `credentials`
and `policies` the users' keys, MFA devices, report rows and policies. The
first users of the organisation follow `USER_ARCHETYPES`, one per case an
access review looks for (console user without MFA, dormant console user, key
older than 90 days, two active keys, a key never used, direct policy
attachments, names with accents and apostrophes); later users are drawn at
rates of a mid-size estate: two thirds people, most with MFA, most keys young.
"""

from __future__ import annotations

from dataclasses import dataclass

from soc2_tools.generator.iam.credentials import KeyPlan, access_key, mfa_device, user_report
from soc2_tools.generator.iam.policies import any_policy, attachment, boundary, inline
from soc2_tools.generator.organisation import ODD_USER_NAMES, Account, Organisation
from soc2_tools.generator.records import Principal, cq_id, distinct, unique_name, weighted

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
SERVICE_USER_APPS = (
    "terraform", "jenkins", "backup-agent", "datadog", "airflow", "github-ci", "log-shipper",
    "etl", "billing-export", "legacy-app", "reporting", "sftp-bridge",
)  # fmt: skip
_CONSOLE_KEY_COUNTS = (("0", 0.6), ("1", 0.35), ("2", 0.05))
_PROGRAMMATIC_KEY_COUNTS = (("0", 0.05), ("1", 0.75), ("2", 0.2))


@dataclass(frozen=True)
class UserPlan:
    """What a user will have: console password, MFA, ages, keys, direct policies."""

    console: bool
    mfa: bool
    created_days: int
    password_used_days: int | None
    keys: tuple[KeyPlan, ...] = ()
    inline: int = 0
    attached: int = 0
    odd_name: bool = False


USER_ARCHETYPES = (
    UserPlan(True, True, 700, 3, (KeyPlan(True, 30, 1),)),
    UserPlan(True, False, 400, 10),
    UserPlan(True, True, 900, 200),
    UserPlan(False, False, 800, None, (KeyPlan(True, 200, 2),)),
    UserPlan(False, False, 600, None, (KeyPlan(True, 20, 1), KeyPlan(True, 150, 120))),
    UserPlan(False, False, 40, None, (KeyPlan(True, 10, None),), odd_name=True),
    UserPlan(True, True, 500, 1, (KeyPlan(False, 400, None),), inline=1),
    UserPlan(True, True, 300, 5, attached=1),
    UserPlan(False, False, 1200, None, (KeyPlan(True, 300, None),), odd_name=True),
    UserPlan(True, False, 10, None),
)


def users(org: Organisation, account: Account) -> None:
    """`users_per_account` users, archetypes first across the organisation."""
    used: set[str] = set()
    for _ in range(org.size.users_per_account):
        index = org.next_index("user")
        plan = USER_ARCHETYPES[index] if index < len(USER_ARCHETYPES) else _user_plan(org)
        account.users.append(_user(org, account, plan, _user_name(org, plan, used)))


def _user_plan(org: Organisation) -> UserPlan:
    rng = org.rng
    console = rng.random() < 0.65
    created = rng.randint(20, 1800)
    key_counts = _CONSOLE_KEY_COUNTS if console else _PROGRAMMATIC_KEY_COUNTS
    keys = tuple(_key_plan(org, created) for _ in range(int(weighted(rng, key_counts))))
    return UserPlan(
        console=console,
        mfa=console and rng.random() < 0.78,
        created_days=created,
        password_used_days=_last_use(org, created) if console else None,
        keys=keys,
        inline=1 if rng.random() < 0.08 else 0,
        attached=1 if rng.random() < 0.1 else 0,
        odd_name=rng.random() < 0.03,
    )


def _key_plan(org: Organisation, created_days: int) -> KeyPlan:
    rng = org.rng
    young = created_days <= 110 or rng.random() < 0.7
    age = rng.randint(1, min(created_days, 80)) if young else rng.randint(100, created_days)
    return KeyPlan(active=rng.random() < 0.88, age_days=age, last_used_days=_last_use(org, age))


def _last_use(org: Organisation, age_days: int) -> int | None:
    """Days since a credential of this age was last used: recently, long ago or never."""
    usage = weighted(org.rng, (("recent", 0.8), ("stale", 0.12), ("never", 0.08)))
    if usage == "never":
        return None
    if usage == "stale" and age_days > 110:
        return org.rng.randint(100, age_days)
    return org.rng.randint(0, min(age_days, 60))


def _user_name(org: Organisation, plan: UserPlan, used: set[str]) -> str:
    rng = org.rng
    if plan.odd_name:
        wanted = ODD_USER_NAMES[org.next_index("odd_name") % len(ODD_USER_NAMES)]
    elif plan.console:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        wanted = f"{first}.{last}" if rng.random() < 0.7 else f"{first[0]}{last}"
    else:
        wanted = f"svc-{rng.choice(SERVICE_USER_APPS)}"
    return unique_name(wanted, used)


def _user(org: Organisation, account: Account, plan: UserPlan, name: str) -> Principal:
    path = "/" if plan.console or org.rng.random() < 0.5 else "/service/"
    arn = f"arn:aws:iam::{account.account_id}:user{path}{name}"
    user_id = org.aws_id("AIDA")
    created = org.ago(plan.created_days)
    password_used = None if plan.password_used_days is None else org.ago(plan.password_used_days)
    row = org.add(
        "aws_iam_users",
        {
            "_cq_id": cq_id("aws_iam_users", account.account_id, arn),
            "account_id": account.account_id,
            "arn": arn,
            "tags": org.tags(),
            "create_date": created,
            "path": path,
            "user_id": user_id,
            "user_name": name,
            "password_last_used": password_used,
            "permissions_boundary": boundary(org, account),
        },
    )
    user = Principal("user", name, arn, user_id, str(row["_cq_id"]), row)
    keys = [access_key(org, account, user, key) for key in plan.keys]
    user_report(
        org,
        account,
        user,
        console=plan.console,
        mfa=plan.mfa,
        created_days=plan.created_days,
        keys=keys,
    )
    if plan.mfa:
        mfa_device(org, account, user, created)
    _memberships(org, account, user, plan)
    for _ in range(plan.inline):
        inline(org, "user", account, user)
    for _ in range(plan.attached):
        attachment(org, "user", account, user, any_policy(org, account))
    return user


def _memberships(org: Organisation, account: Account, user: Principal, plan: UserPlan) -> None:
    if not account.groups:
        return
    weights = [1.0 if group.name == "Admins" else 3.0 for group in account.groups]
    wanted = org.rng.choice((0, 1, 1, 2)) if plan.console else org.rng.choice((0, 0, 1))
    chosen = distinct(org.rng.choices(account.groups, weights, k=wanted))
    table = "aws_iam_user_groups"
    for group in chosen:
        org.add(
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
