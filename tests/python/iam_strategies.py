"""Hypothesis strategies for IAM policies, principals and requests.

Shared by the reference-evaluator property tests and the SQL-vs-reference
differential tests. The alphabets are small (a few actions, ARNs in two accounts)
so that patterns match requests often, and every policy shape is produced:
Statement as object or array; Action/NotAction; Resource/NotResource/neither;
string or array elements; `*` and `?` anywhere; mixed-case actions; case-variant
ARNs; characters that are regex or SQL LIKE metacharacters; no, empty and
non-empty Conditions, among them time conditions that the evaluation instant
AS_OF decides (Date* and Numeric* operators, IfExists, on aws:CurrentTime,
aws:EpochTime and aws:TokenIssueTime, with values before, at and after AS_OF
in every accepted form, malformed values, several values and several keys,
mixed with conditions that stay undecided); optional Sid; and (unless
disabled) Effects other than exactly "Allow"/"Deny", which the evaluator ignores.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from soc2_tools.reference_evaluator import Principal

ACCOUNTS = ("111111111111", "222222222222")

ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "iam:PassRole",
    "ec2:RunInstances",
    "iam:CreateAccessKey",
)

RESOURCES = (
    "arn:aws:s3:::bucket-a/report.csv",
    "arn:aws:s3:::bucket-a/Secret/key+1.txt",
    "arn:aws:s3:::bucket_b/100%.csv",
    "arn:aws:iam::111111111111:role/Admin",
    "arn:aws:iam::111111111111:role/admin",
    "arn:aws:iam::222222222222:role/Admin",
    "arn:aws:iam::222222222222:user/alice.smith@example=1,2",
    "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc",
    "arn:aws:ec2:us-east-1:222222222222:instance/i-0abc",
)

FIXED_ACTION_PATTERNS = (
    "*",
    "s3:*",
    "iam:*",
    "s3:Get*",
    "s3:?etObject",
    "s3:*Object",
    "iam:*Access*",
    "ec2:Run?nstances",
    "IAM:passrole",
    "S3:GETOBJECT",
    "unknownsvc:DoThing",
)

FIXED_RESOURCE_PATTERNS = (
    "*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::bucket-a/*",
    "arn:aws:s3:::bucket?a/*",
    "arn:aws:s3:::bucket_b/*",
    "arn:aws:iam::111111111111:*",
    "arn:aws:iam::*:role/Admin",
    "arn:aws:iam::*:role/admin",
    "arn:aws:iam::2222222222??:*",
    "arn:aws:*:111111111111:*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:iam::222222222222:user/alice?smith*",
)

CONDITIONS: tuple[dict[str, Any], ...] = (
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}},
    {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    {"StringLike": {"iam:PassedToService": "ec2.amazonaws.com"}},
)

# The evaluation instant of the differential tests (var soc2_as_of there).
AS_OF = datetime(2026, 6, 30, 12, 34, 56, tzinfo=UTC)
AS_OF_VAR = "2026-06-30 12:34:56"

TIME_KEYS = ("aws:CurrentTime", "aws:EpochTime", "aws:TokenIssueTime", "AWS:currenttime")
TIME_COMPARISONS = (
    "Equals",
    "NotEquals",
    "LessThan",
    "LessThanEquals",
    "GreaterThan",
    "GreaterThanEquals",
)
# seconds from AS_OF: far and near, both sides, and AS_OF itself
TIME_OFFSETS = (-10 * 365 * 86400, -86400, -1, 0, 1, 86400, 10 * 365 * 86400)
MALFORMED_TIMES = (
    "2026-02-30",
    "2026-06-30T25:00:00Z",
    "2026-06-30T12:34:56+02:00",
    "2026-06-30 12:34:56",
    "2026",
    "1.7e9",
    "soon",
    "",
)

VALID_EFFECTS = ("Allow", "Allow", "Allow", "Deny", "Deny")
INVALID_EFFECTS = ("allow", "DENY", "Permit")


# ---------------------------------------------------------------------------
# Names and patterns


@st.composite
def case_variant(draw: st.DrawFn, text: str) -> str:
    """The text with each letter's case flipped at random."""
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.swapcase() if f else c for c, f in zip(text, flips, strict=True))


@st.composite
def wildcarded(draw: st.DrawFn, text: str) -> str:
    """The text with a `*` replacing a (possibly empty) run, or a `?` replacing one char."""
    start = draw(st.integers(0, len(text)))
    if draw(st.booleans()) and start < len(text):
        return text[:start] + "?" + text[start + 1 :]
    end = draw(st.integers(start, min(len(text), start + 8)))
    return text[:start] + "*" + text[end:]


def actions() -> st.SearchStrategy[str]:
    """A request action, in any letter case."""
    return st.sampled_from(ACTIONS).flatmap(lambda a: st.one_of(st.just(a), case_variant(a)))


def resources() -> st.SearchStrategy[str]:
    return st.sampled_from(RESOURCES)


def requests() -> st.SearchStrategy[tuple[str, str]]:
    """(action, resource) pairs."""
    return st.tuples(actions(), resources())


def action_patterns() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(FIXED_ACTION_PATTERNS),
        actions(),
        st.sampled_from(ACTIONS).flatmap(wildcarded),
    )


def resource_patterns() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(FIXED_RESOURCE_PATTERNS),
        resources(),
        resources().flatmap(wildcarded),
        resources().map(str.swapcase),
    )


def string_or_array(elements: st.SearchStrategy[str]) -> st.SearchStrategy[str | list[str]]:
    return st.one_of(elements, st.lists(elements, min_size=1, max_size=3))


# ---------------------------------------------------------------------------
# Time conditions


@st.composite
def time_values(draw: st.DrawFn) -> str:
    """A time near AS_OF in one of the accepted forms, or a malformed one."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(MALFORMED_TIMES))
    moment = AS_OF + timedelta(seconds=draw(st.sampled_from(TIME_OFFSETS)))
    form = draw(st.sampled_from(["date", "minute", "second", "epoch", "epoch"]))
    if form == "date":
        return moment.date().isoformat()
    if form == "minute":
        return moment.strftime("%Y-%m-%dT%H:%MZ")
    if form == "second":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(int(moment.timestamp()))


@st.composite
def time_conditions(draw: st.DrawFn) -> dict[str, Any]:
    """One to three operators, each with one or two keys, mostly time keys."""
    condition: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["Date", "Date", "Numeric", "Bool"]))
        if kind == "Bool":
            condition["Bool"] = {"aws:MultiFactorAuthPresent": "true"}
            continue
        operator = kind + draw(st.sampled_from(TIME_COMPARISONS))
        operator += draw(st.sampled_from(["", "", "IfExists"]))
        keys = draw(st.lists(st.sampled_from(TIME_KEYS), min_size=1, max_size=2, unique=True))
        condition[operator] = {key: draw(string_or_array(time_values())) for key in keys}
    return condition


# ---------------------------------------------------------------------------
# Statements and policies


@st.composite
def statements(
    draw: st.DrawFn,
    effects: tuple[str, ...] | None = None,
    *,
    invalid_effects: bool = True,
    conditions: bool = True,
) -> dict[str, Any]:
    """One statement dict. ``effects`` fixes the choice of Effect values."""
    if effects is None:
        effects = VALID_EFFECTS + (INVALID_EFFECTS if invalid_effects else ())
    statement: dict[str, Any] = {"Effect": draw(st.sampled_from(effects))}
    if draw(st.booleans()):
        statement["Sid"] = draw(st.sampled_from(["S1", "AllowThings", "deny-2"]))
    action_key = draw(st.sampled_from(["Action", "Action", "NotAction"]))
    statement[action_key] = draw(string_or_array(action_patterns()))
    resource_key = draw(st.sampled_from(["Resource", "Resource", "NotResource", None]))
    if resource_key is not None:
        statement[resource_key] = draw(string_or_array(resource_patterns()))
    if conditions:
        condition = draw(
            st.one_of(st.sampled_from([None, None, {}, *CONDITIONS]), time_conditions())
        )
        if condition is not None:
            statement["Condition"] = condition
    return statement


@st.composite
def policies(
    draw: st.DrawFn,
    effects: tuple[str, ...] | None = None,
    *,
    min_statements: int = 1,
    max_statements: int = 4,
    invalid_effects: bool = True,
    conditions: bool = True,
) -> dict[str, Any]:
    """A policy document; a single statement is sometimes given as an object."""
    items = draw(
        st.lists(
            statements(effects, invalid_effects=invalid_effects, conditions=conditions),
            min_size=min_statements,
            max_size=max_statements,
        )
    )
    body: Any = items[0] if len(items) == 1 and draw(st.booleans()) else items
    return {"Version": "2012-10-17", "Statement": body}


def allow_heavy_policies() -> st.SearchStrategy[dict[str, Any]]:
    """Mostly-Allow policies, for caps (boundaries, SCPs) that should often let through."""
    return policies(("Allow", "Allow", "Allow", "Deny"), max_statements=3)


@st.composite
def principals(
    draw: st.DrawFn,
    *,
    boundary: bool | None = None,
    scps: bool | None = None,
    service_linked: bool | None = None,
) -> Principal:
    """A principal; ``None`` for a flag means "sometimes"."""
    kind = "role" if service_linked else draw(st.sampled_from(["user", "role"]))
    linked = (kind == "role" and draw(st.booleans())) if service_linked is None else service_linked
    account = draw(st.sampled_from(ACCOUNTS))
    name = (
        "aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"
        if linked
        else draw(st.sampled_from(["alice", "Admin", "deploy+ci"]))
    )
    with_boundary = draw(st.booleans()) if boundary is None else boundary
    with_scps = draw(st.booleans()) if scps is None else scps
    return Principal(
        arn=f"arn:aws:iam::{account}:{kind}/{name}",
        kind=kind,
        identity_policies=draw(st.lists(policies(), min_size=0, max_size=3)),
        boundary=draw(allow_heavy_policies()) if with_boundary else None,
        scps=draw(st.lists(st.lists(allow_heavy_policies(), min_size=1, max_size=2), max_size=3))
        if with_scps
        else [],
        is_service_linked=linked,
    )
