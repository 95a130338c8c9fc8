"""Differential tests: the package's privilege-escalation and lateral-access
findings equal the answers of the reference (soc2_tools.reference_escalation),
on small generated inventories, on DuckDB and PostgreSQL.

Each inventory is one account (plus a second account holding one outsider):
a few users, roles (trust policies naming the account, a principal, a compute
service, another account or anyone, some narrowed by conditions on the caller's
account, organisation or ARN, decided per caller), a group, customer-managed
policies, and
policies drawn from a pool of escalation-shaped statements (assume, pass,
credentials, policy edits, trust edits, data rights, Denies, conditions,
NotResource, patterns), with boundaries and SCPs now and then. Inventories
are drawn from a seeded generator, so a failure names a reproducible case;
SOC2_ESCALATION_SEED=N draws other ones.

Compared exactly: every privilege_escalation finding (principal and method)
and every lateral_access finding, with the path of those that go through
other principals (which fixes the steps, each hop and where the path ends).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from dbt_runs import REPOSITORY, drop_postgres_schemas, require_postgres
from soc2_tools import rawdb, warehouse
from soc2_tools.reference_escalation import (
    TARGET_TYPES,
    Finding,
    Group,
    Identity,
    Inventory,
    decide_escalation,
    load_methods,
)
from soc2_tools.reference_evaluator import Principal

AS_OF = "2026-06-30"
SEED = int(os.environ.get("SOC2_ESCALATION_SEED", "20260630"))
INVENTORIES = 10
MAX_DEPTH = 4
METHODS = load_methods(REPOSITORY / "seeds")
QUERY = (
    "select principal_arn, finding_type, coalesce(method, ''), evidence "
    "from {schema}_soc2_marts.soc2__ciem_findings "
    "where finding_type in ('privilege_escalation', 'lateral_access')"
)


def _macro_list(name: str) -> list[str]:
    text = (REPOSITORY / "macros" / "controls" / "ciem_action_lists.sql").read_text()
    body = text.split(f"macro {name}()", 1)[1].split("endmacro", 1)[0]
    return re.findall(r"'([a-z0-9-]+:[a-z0-9]+)'", body)


DATA_ACTIONS = _macro_list("data_exfiltration_actions")


def test_reference_uses_the_package_lists() -> None:
    """The reference's target-dependent actions are the package's."""
    text = (REPOSITORY / "macros" / "controls" / "iam_escalation_actions.sql").read_text()
    pairs = dict(re.findall(r"\('([a-z:]+)', '([a-z]+)', '[a-z_]+'\)", text))
    assert pairs == TARGET_TYPES
    assert len(DATA_ACTIONS) > 20


# ---------------------------------------------------------------------------
# Inventories


def _document(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(action: object, resource: object = "*", **extra: object) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def _deny(action: object, resource: object = "*", **extra: object) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


class _Draw:
    """One inventory: names, documents and the CloudQuery rows for them."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.account = f"{310000000000 + index:012d}"
        self.other = f"{320000000000 + index:012d}"
        self.users = [self.arn("user", f"u{n}") for n in range(3)]
        self.roles = [self.arn("role", name) for name in ("r-0", "r-1", "app-2", "app-3", "app-4")]
        self.group = self.arn("group", "team")
        self.policies = [self.arn("policy", name) for name in ("shared-a", "shared-b")]
        self.outsider = f"arn:aws:iam::{self.other}:user/outsider"

    def arn(self, kind: str, name: str) -> str:
        return f"arn:aws:iam::{self.account}:{kind}/{name}"

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def snippet(self) -> list[dict]:
        a, r, u = self.account, self.pick(self.roles), self.pick(self.users)
        pool = [
            [_allow("*")],
            [_allow("sts:AssumeRole")],
            [_allow("sts:AssumeRole", r)],
            [_allow("sts:AssumeRole", f"arn:aws:iam::{a}:role/app-*")],
            [_allow("sts:AssumeRole", "*", Condition=MFA)],
            [_allow("iam:PassRole"), _allow("ec2:RunInstances")],
            [_allow("iam:PassRole", r), _allow("ec2:RunInstances")],
            [_allow("iam:PassRole", f"arn:aws:iam::{a}:role/r-*"), _allow("ec2:Run*")],
            [
                {"Effect": "Allow", "Action": "iam:PassRole", "NotResource": r},
                _allow("ec2:RunInstances"),
            ],
            [_allow("iam:Pass*", r), _allow(["lambda:CreateFunction", "lambda:InvokeFunction"])],
            [_allow(["lambda:CreateFunction", "lambda:InvokeFunction"])],
            [_allow("ssm:SendCommand")],
            [_allow("iam:CreateAccessKey")],
            [_allow("iam:CreateAccessKey", u)],
            [_allow("iam:UpdateLoginProfile", f"arn:aws:iam::{a}:user/u*")],
            [_allow("iam:PutRolePolicy", r)],
            [_allow("iam:AttachRolePolicy", f"arn:aws:iam::{a}:role/app-*")],
            [_allow("iam:PutUserPolicy", u)],
            [_allow("iam:CreatePolicyVersion", self.pick(self.policies))],
            [_allow("iam:AttachGroupPolicy", self.group)],
            [_allow("iam:AddUserToGroup", self.group)],
            [_allow("iam:UpdateAssumeRolePolicy", r)],
            [_allow("s3:GetObject")],
            [_allow("secretsmanager:GetSecretValue")],
            [_allow(["kms:Decrypt", "ssm:GetParameter"])],
            [_allow("sts:AssumeRole", r), _allow("s3:ListAllMyBuckets")],
            [_allow("s3:GetObject", "arn:aws:s3:::bucket/*")],
            [_deny("iam:PassRole", r)],
            [_deny("sts:AssumeRole", "*", Condition=MFA)],
            [_deny("sts:AssumeRole", r)],
            [{"Effect": "Deny", "Action": "iam:CreateAccessKey", "NotResource": u}],
        ]
        return self.rng.choice(pool)

    def policy(self) -> dict:
        statements = [s for _ in range(self.rng.choice((1, 1, 2, 3))) for s in self.snippet()]
        return _document(*statements)

    def trust(self, role: str) -> dict:
        a = self.account
        principals = [
            {"AWS": f"arn:aws:iam::{a}:root"},
            {"AWS": a},
            {"AWS": self.pick([p for p in self.users + self.roles if p != role])},
            {"Service": "ec2.amazonaws.com"},
            {"Service": "lambda.amazonaws.com"},
            {"AWS": f"arn:aws:iam::{self.other}:root"},
            {"AWS": self.outsider},
        ]
        statements = [
            {"Effect": "Allow", "Principal": p, "Action": "sts:AssumeRole"}
            for p in self.rng.sample(principals, self.rng.choice((1, 1, 2)))
        ]
        if self.rng.random() < 0.4:
            principal, condition = self.caller_condition()
            statements.append(
                {
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "sts:AssumeRole",
                    "Condition": condition,
                }
            )
        return _document(*statements)

    def caller_condition(self) -> tuple[object, dict]:
        """A trust statement's principal and conditions on who the caller is
        (decided per caller), or on something else (may hold)."""
        a, o = self.account, self.other
        neighbour = f"{310000000000 + self.rng.randrange(INVENTORIES):012d}"
        root, other_root = {"AWS": f"arn:aws:iam::{a}:root"}, {"AWS": f"arn:aws:iam::{o}:root"}
        pool: list[tuple[object, dict]] = [
            ("*", {"StringEquals": {"aws:PrincipalAccount": a}}),
            ("*", {"StringEquals": {"aws:PrincipalAccount": [neighbour, o]}}),
            ("*", {"StringEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}),
            ("*", {"StringEquals": {"aws:PrincipalOrgID": self.rng.choice(ORGANIZATIONS)}}),
            ("*", {"StringEquals": {"aws:PrincipalOrgID": "${aws:ResourceOrgID}"}}),
            ("*", {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-x/r-1/*"}}),
            ("*", {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{a}:user/u*"}}),
            ("*", {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{neighbour}:role/app-*"}}),
            ("*", {"StringLike": {"aws:PrincipalArn": f"arn:aws:iam::{o}:user/*"}}),
            (root, {"ArnEquals": {"aws:PrincipalArn": self.pick(self.users + self.roles)}}),
            (root, {"StringEqualsIgnoreCase": {"aws:PrincipalArn": self.users[0].upper()}}),
            (other_root, {"ArnEquals": {"aws:PrincipalArn": self.outsider}}),
            (
                "*",
                {
                    "StringEquals": {"aws:PrincipalAccount": a},
                    "ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{a}:role/*"},
                },
            ),
            # not restricting: a pattern id, a negated operator, IfExists, other keys
            ("*", {"StringLike": {"aws:PrincipalAccount": "31*"}}),
            ("*", {"StringNotEquals": {"aws:PrincipalAccount": a}}),
            ("*", {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-y"}}),
            ("*", {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
            (root, {"StringEquals": {"sts:ExternalId": "x", "aws:SourceAccount": neighbour}}),
        ]
        return self.rng.choice(pool)


class _Rows:
    """CloudQuery rows of one inventory, written as the reference sees it."""

    def __init__(self, account: str) -> None:
        self.account = account
        self.tables: dict[str, list[dict]] = {}

    def add(self, table: str, **row: object) -> None:
        self.tables.setdefault(table, []).append({"account_id": self.account, **row})

    def managed(self, arn: str, document: dict) -> None:
        name = arn.rsplit("/", 1)[1]
        self.add("aws_iam_policies", arn=arn, policy_name=name, default_version_id="v1")
        text = json.dumps(document)
        self.add(
            "aws_iam_policy_versions",
            policy_arn=arn,
            version_id="v1",
            is_default_version="true",
            document_json=text,
            document=text,
        )

    def inline(self, kind: str, holder: str, name: str, document: dict) -> None:
        self.add(
            f"aws_iam_{kind}_policies",
            **{f"{kind}_arn": holder, "policy_name": name, "policy_document": json.dumps(document)},
        )

    def attach(self, kind: str, holder: str, policy_arn: str) -> None:
        self.add(
            f"aws_iam_{kind}_attached_policies",
            **{f"{kind}_arn": holder, "policy_arn": policy_arn},
            policy_name=policy_arn.rsplit("/", 1)[1],
        )

    def describe_organization(self, account: str, organization: str) -> None:
        """aws_organizations as a member account syncs it: its own organisation."""
        self.tables.setdefault("aws_organizations", []).append(
            {
                "request_account_id": account,
                "id": organization,
                "arn": f"arn:aws:organizations::399999999999:organization/{organization}",
                "master_account_id": "399999999999",
                "feature_set": "ALL",
            }
        )

    def scp(self, index: int, document: dict) -> None:
        management = f"{330000000000 + index:012d}"
        self.tables.setdefault("aws_organizations_accounts", []).append(
            {
                "request_account_id": management,
                "id": self.account,
                "arn": f"arn:aws:organizations::{management}:account/o-x/{self.account}",
            }
        )
        self.tables.setdefault("aws_organizations_policies", []).append(
            {
                "account_id": management,
                "arn": f"arn:aws:organizations::{management}:policy/o-x/"
                f"service_control_policy/p-{index}",
                "type": "SERVICE_CONTROL_POLICY",
                "name": f"scp-{index}",
                "content": json.dumps(document),
            }
        )


BOUNDARY_NAME = "boundary"
# o-x is the organisation of the accounts with SCPs (its member list is synced);
# o-y is known only from the accounts that describe it; o-example from nobody.
ORGANIZATIONS = ("o-x", "o-y", "o-example")


def _boundary(account: str) -> dict:
    return _document(
        _allow(["sts:AssumeRole", "iam:PassRole"], f"arn:aws:iam::{account}:role/app-*"),
        _allow(["s3:*", "ec2:RunInstances", "iam:CreateAccessKey"]),
    )


def draw_inventory(rng: random.Random, index: int) -> tuple[Inventory, dict[str, list[dict]]]:
    """A small inventory for the reference, and the same as CloudQuery rows."""
    d = _Draw(rng, index)
    rows = _Rows(d.account)
    documents = {arn: d.policy() for arn in d.policies}
    for arn, document in documents.items():
        rows.managed(arn, document)
    boundary_arn, boundary = d.arn("policy", BOUNDARY_NAME), _boundary(d.account)
    rows.managed(boundary_arn, boundary)

    group_inline = d.policy() if rng.random() < 0.5 else None
    group_managed = tuple(p for p in d.policies if rng.random() < 0.3)
    rows.add("aws_iam_groups", arn=d.group, group_name="team")
    if group_inline:
        rows.inline("group", d.group, "team-inline", group_inline)
    for arn in group_managed:
        rows.attach("group", d.group, arn)
    scps: list[list[dict]] = []
    organizations: dict[str, str] = {}
    if rng.random() < 0.3:
        guard = [_deny("iam:PassRole", d.pick(d.roles))] if rng.random() < 0.5 else []
        scp = _document(_allow("*"), *guard)
        scps = [[scp]]
        rows.scp(index, scp)
        organizations[d.account] = "o-x"
    for account in (d.account, d.other):
        if account not in organizations and rng.random() < 0.4:
            organizations[account] = rng.choice(("o-x", "o-y"))
            rows.describe_organization(account, organizations[account])

    identities = [
        _identity(d, rows, arn, documents, group_inline, group_managed, boundary, scps)
        for arn in d.users + d.roles
    ]
    outsider_policy = _document(_allow("sts:AssumeRole"))
    outsider_rows = _Rows(d.other)
    outsider_rows.add("aws_iam_users", arn=d.outsider, path="/", user_name="outsider")
    outsider_rows.inline("user", d.outsider, "assume", outsider_policy)
    identities.append(
        Identity(Principal(arn=d.outsider, kind="user", identity_policies=[outsider_policy]))
    )
    for table, table_rows in outsider_rows.tables.items():
        rows.tables.setdefault(table, []).extend(table_rows)
    inventory = Inventory(
        identities=identities,
        groups=[Group(d.group, group_managed)],
        customer_policies=[*d.policies, boundary_arn],
        organizations=organizations,
        listed_organizations={"o-x"} if scps else set(),
    )
    return inventory, rows.tables


def _identity(
    d: _Draw,
    rows: _Rows,
    arn: str,
    documents: dict[str, dict],
    group_inline: dict | None,
    group_managed: tuple[str, ...],
    boundary: dict,
    scps: list[list[dict]],
) -> Identity:
    """One user or role: its rows, and what the reference evaluates."""
    rng = d.rng
    kind = "user" if ":user/" in arn else "role"
    inline = [d.policy() for _ in range(rng.choice((0, 1, 1, 2)))]
    managed = tuple(p for p in d.policies if rng.random() < 0.25)
    in_group = kind == "user" and rng.random() < 0.5
    has_boundary = rng.random() < 0.15
    bound = {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": d.arn("policy", BOUNDARY_NAME),
    }
    entity = {
        "arn": arn,
        "path": "/",
        "permissions_boundary": json.dumps(bound) if has_boundary else None,
    }
    trust = d.trust(arn) if kind == "role" else None
    if kind == "user":
        rows.add("aws_iam_users", **entity, user_name=arn.rsplit("/", 1)[1])
    else:
        rows.add(
            "aws_iam_roles",
            **entity,
            role_name=arn.rsplit("/", 1)[1],
            assume_role_policy_document=json.dumps(trust),
        )
    for number, document in enumerate(inline):
        rows.inline(kind, arn, f"inline-{number}", document)
    for policy_arn in managed:
        rows.attach(kind, arn, policy_arn)
    identity_policies = inline + [documents[p] for p in managed]
    if in_group:
        rows.add("aws_iam_user_groups", user_arn=arn, arn=d.group, group_name="team")
        identity_policies += [group_inline] if group_inline else []
        identity_policies += [documents[p] for p in group_managed]
    return Identity(
        principal=Principal(
            arn=arn,
            kind=kind,
            identity_policies=identity_policies,
            boundary=boundary if has_boundary else None,
            scps=scps,
        ),
        trust_policy=trust,
        groups=(d.group,) if in_group else (),
        managed_policies=managed,
    )


def draw_batch(seed: int) -> tuple[list[Finding], dict[str, list[dict]]]:
    """Several inventories in one warehouse, decided together: a role anyone
    may assume is assumable from the other inventories' accounts too."""
    rng = random.Random(seed)
    combined = Inventory(identities=[])
    tables: dict[str, list[dict]] = {}
    for index in range(INVENTORIES):
        inventory, rows = draw_inventory(rng, index)
        combined.identities += inventory.identities
        combined.groups += inventory.groups
        combined.customer_policies += inventory.customer_policies
        combined.organizations.update(inventory.organizations)
        combined.listed_organizations |= inventory.listed_organizations
        for table, table_rows in rows.items():
            tables.setdefault(table, []).extend(table_rows)
    as_of = datetime.fromisoformat(AS_OF)
    return decide_escalation(combined, METHODS, DATA_ACTIONS, MAX_DEPTH, as_of), tables


def _expected_rows(findings: list[Finding]) -> set[tuple[str, str, str, str | None]]:
    return {(f.principal_arn, f.finding_type, f.method or "", f.path) for f in findings}


def _actual_rows(rows: list[tuple]) -> set[tuple[str, str, str, str | None]]:
    """Evidence is the path for findings through other principals; the
    self-escalation methods' evidence lists actions, which the reference does
    not model, so it is compared as None."""
    return {
        (arn, kind, method, evidence if " -[" in (evidence or "") else None)
        for arn, kind, method, evidence in rows
    }


# ---------------------------------------------------------------------------
# Building the package


def _project(directory: Path, profile: dict[str, object], raw_schema: str):
    settings = warehouse.postgres_settings()
    project = warehouse.UserProject(
        directory=directory,
        profile=profile,
        env=settings.dbt_environment(),
        vars={
            "soc2_aws_schema": raw_schema,
            "soc2_as_of": AS_OF,
            "soc2_max_escalation_depth": MAX_DEPTH,
        },
    )
    project.install()
    project.dbt(["seed"])
    project.dbt(["run", "--select", "+soc2__ciem_findings"])
    return project


@pytest.fixture(scope="module")
def batch() -> tuple[list[Finding], dict[str, list[dict]]]:
    return draw_batch(SEED)


def test_the_batch_exercises_every_kind_of_answer(batch) -> None:
    expected, _ = batch
    kinds = {(f.finding_type, f.step_count is not None) for f in expected}
    assert ("privilege_escalation", True) in kinds
    assert ("privilege_escalation", False) in kinds
    assert ("lateral_access", True) in kinds
    assert any((f.step_count or 0) >= 2 for f in expected), "no chain of two steps or more"


def _compare(expected: list[Finding], actual: set[tuple]) -> None:
    wanted = _expected_rows(expected)
    missing, extra = sorted(wanted - actual), sorted(actual - wanted)
    assert not missing and not extra, (
        f"{len(missing)} missing, {len(extra)} unexpected (seed {SEED}):\n"
        + "\n".join(f"  missing {row}" for row in missing[:15])
        + "\n"
        + "\n".join(f"  unexpected {row}" for row in extra[:15])
    )


def test_duckdb_agrees_with_reference(batch, tmp_path: Path) -> None:
    expected, tables = batch
    database = tmp_path / "warehouse.duckdb"
    rawdb.write_tables(tables, rawdb.RawTarget(kind="duckdb", path=database, schema="cloudquery"))
    _project(
        tmp_path / "project",
        {"type": "duckdb", "path": str(database), "schema": "analytics", "threads": 2},
        "cloudquery",
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(QUERY.format(schema="analytics")).fetchall()
    _compare(expected, _actual_rows(rows))


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    require_postgres()
    prefix = f"soc2_escalation_{os.getpid()}"
    drop_postgres_schemas(prefix)
    try:
        yield prefix
    finally:
        drop_postgres_schemas(prefix)


def test_postgres_agrees_with_reference(batch, postgres_schema: str, tmp_path: Path) -> None:
    expected, tables = batch
    raw_schema = f"{postgres_schema}_cloudquery"
    rawdb.write_tables(tables, rawdb.RawTarget(kind="postgres", schema=raw_schema))
    _project(
        tmp_path / "project",
        warehouse.postgres_settings().dbt_profile(postgres_schema, threads=2),
        raw_schema,
    )
    with warehouse.postgres_settings().connect() as connection, connection.cursor() as cursor:
        cursor.execute(QUERY.format(schema=postgres_schema))
        rows = cursor.fetchall()
    _compare(expected, _actual_rows(rows))
