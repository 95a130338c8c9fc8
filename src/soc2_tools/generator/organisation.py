"""The shape of the generated organisation: sizes, accounts, and the seeded random stream.

`OrgSize` says how many accounts and how many entities per account;
`Organisation` holds the state every service module writes into (the random
stream, the evaluation date, the tables, per-kind counters) and creates the
accounts one at a time. The first three accounts follow fixed archetypes (a
clean one, one with a root access key and a weak password policy, one without
root MFA, password policy or full S3 public-access block), so every account
control has a passing and a failing account even at the smallest size; later
accounts draw the same weaknesses at rates a real estate of a few dozen
accounts shows (most root users have MFA, a few still hold keys).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from soc2_tools.generator.records import ALNUM, Policy, Principal, Row, Tables, naive_utc, weighted

DEFAULT_AS_OF = datetime(2026, 6, 30)
REGIONS = ("us-east-1", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
ACCOUNT_ALIASES = ("management", "prod", "staging", "dev", "security", "logging", "data", "shared")
# Text that loaders must carry unchanged: accents, apostrophes, quotes.
ODD_USER_NAMES = (
    "zoë.brandt", "o'connor.p", "françois.dupont", "jürgen.weiß", "renée.o'hara",
    "ana-maría.núñez", "d'souza.r", "søren.lund", "łukasz.wójcik", "çağla.öztürk",
)  # fmt: skip
ODD_DESCRIPTIONS = (
    'Used by the "nightly" ETL job',
    "Assumed by O'Brien's on-call rotation",
    "Rôle d'audit — lecture seule",
    "Zugriff für Prüfer (äöü)",
    'Legacy role; don\'t delete "yet"',
)


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


@dataclass(frozen=True)
class AccountPlan:
    """The account-wide settings: root MFA and keys, password policy, S3 public-access block."""

    root_mfa: bool
    root_key: bool
    password_policy: str
    s3_block: str


ACCOUNT_ARCHETYPES = (
    AccountPlan(True, False, "strong", "all"),
    AccountPlan(True, True, "weak", "all"),
    AccountPlan(False, False, "absent", "partial"),
)


@dataclass
class Account:
    """One account and what its later steps need from its earlier ones."""

    index: int
    account_id: str
    alias: str
    created: datetime
    plan: AccountPlan
    region: str
    buckets: list[str] = field(default_factory=list)
    managed: dict[str, Policy] = field(default_factory=dict)
    customer: list[Policy] = field(default_factory=list)
    groups: list[Principal] = field(default_factory=list)
    users: list[Principal] = field(default_factory=list)
    mfa_devices: int = 0
    max_password_age: int | None = None


class Organisation:
    """The generation state: one random stream, the tables, the accounts made so far."""

    def __init__(self, size: OrgSize, seed: int, as_of: datetime, tables: tuple[str, ...]) -> None:
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.as_of = naive_utc(as_of)
        self.tables: Tables = {table: [] for table in tables}
        self.counters: dict[str, int] = {}
        self.bucket_names: set[str] = set()
        self.accounts: list[Account] = []
        self.org_id = "o-" + "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=10))
        self.vendor_account = f"{self.rng.randrange(10**11, 10**12):012d}"
        self.account_ids = self._account_ids(size.accounts)

    def stream(self, name: str) -> random.Random:
        """A random stream of its own for one service, derived from the seed.

        Services added after IAM and S3 draw from their stream, never from `rng`,
        so adding one leaves every existing table unchanged.
        """
        return random.Random(f"{self.seed}/{name}")

    def next_index(self, kind: str) -> int:
        """0, 1, 2... per kind of entity across the organisation."""
        index = self.counters.get(kind, 0)
        self.counters[kind] = index + 1
        return index

    def ago(self, days: float) -> datetime:
        """A moment `days` before the evaluation date, at a random time of that day."""
        jitter = timedelta(seconds=self.rng.randrange(0, 86_400))
        return (self.as_of - timedelta(days=days) - jitter).replace(microsecond=0)

    def aws_id(self, prefix: str, length: int = 17) -> str:
        """A random AWS-style id (AIDA..., AKIA...)."""
        return prefix + "".join(self.rng.choices(ALNUM, k=length))

    def add(self, table: str, row: Row) -> Row:
        """Append a row with CloudQuery's source and sync-time columns."""
        row.setdefault("_cq_source_name", "aws")
        row.setdefault("_cq_sync_time", self.as_of)
        self.tables[table].append(row)
        return row

    def tags(self) -> Row:
        """Resource tags: mostly team and env, rarely an owner with an awkward name."""
        tags: Row = {}
        if self.rng.random() < 0.7:
            tags["team"] = self.rng.choice(("platform", "payments", "data", "security", "web"))
        if self.rng.random() < 0.5:
            tags["env"] = self.rng.choice(("prod", "staging", "dev"))
        if self.rng.random() < 0.03:
            tags["owner"] = self.rng.choice(ODD_USER_NAMES)
        return tags

    def new_account(self, index: int) -> Account:
        """The account at `index` of `account_ids`, with its plan; remembered in `accounts`."""
        plan = self._account_plan(index)
        base = ACCOUNT_ALIASES[index % len(ACCOUNT_ALIASES)]
        alias = f"acme-{base}" if index < len(ACCOUNT_ALIASES) else f"acme-{base}-{index}"
        created = self.ago(self.rng.randint(2600, 3400))
        account_id = self.account_ids[index]
        account = Account(index, account_id, alias, created, plan, self.rng.choice(REGIONS))
        self.accounts.append(account)
        return account

    def _account_plan(self, index: int) -> AccountPlan:
        rng = self.rng
        random_plan = AccountPlan(
            root_mfa=rng.random() < 0.85,
            root_key=rng.random() < 0.1,
            password_policy=weighted(rng, (("strong", 0.6), ("weak", 0.25), ("absent", 0.15))),
            s3_block=weighted(rng, (("all", 0.7), ("partial", 0.15), ("none", 0.15))),
        )
        return ACCOUNT_ARCHETYPES[index] if index < len(ACCOUNT_ARCHETYPES) else random_plan

    def _account_ids(self, count: int) -> list[str]:
        ids: list[str] = []
        while len(ids) < count:
            candidate = f"{self.rng.randrange(10**12):012d}"
            if candidate not in ids and candidate != self.vendor_account:
                ids.append(candidate)
        return ids


OrganisationStep = Callable[[Organisation], None]


@dataclass(frozen=True)
class Service:
    """One inventory service: the CloudQuery tables it fills and how.

    `generate` runs once after the IAM and S3 core, sees every account in
    `org.accounts` and draws from `org.stream(name)`. The core services (IAM,
    S3) have no `generate`: the assembler interleaves their per-account steps.
    """

    name: str
    tables: tuple[str, ...]
    generate: OrganisationStep | None = None
