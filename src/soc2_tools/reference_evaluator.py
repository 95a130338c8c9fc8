"""A small reference evaluator of AWS IAM identity-based access, for differential tests.

Written from the AWS IAM User Guide (policy elements Action, NotAction, Resource,
NotResource, Condition; the policy evaluation logic; permissions boundaries; SCPs).
It decides one request, (principal, action, resource), without any request
context. Conditions are decided only where the evaluation instant fixes them
(``condition_verdict``: time conditions on aws:CurrentTime, aws:EpochTime and
aws:TokenIssueTime); a statement whose condition can never hold again applies
to nothing, one whose condition holds is unconditional, and any other
non-empty Condition makes the statement *conditional*, i.e. it possibly applies.
A statement whose Effect is not exactly "Allow" or "Deny" (IAM rejects such a
policy; a stored one is malformed) takes no part, as the package quarantines it.

The decision contract of the package (the SQL must agree with it):

* ``denied``: an unconditional Deny matches in an identity policy, the permissions
  boundary or any SCP (SCPs are skipped for service-linked roles).
* ``implicit_deny``: no identity Allow matches, or the boundary (if set) or an SCP
  level has no matching Allow. Boundaries and SCPs cap; they never grant.
* ``allowed``: an unconditional identity Allow matches, every cap has an
  unconditional matching Allow, and no conditional Deny matches.
* ``allowed_conditionally``: otherwise. A conditional Deny never cancels an
  unconditional Allow; it only makes the access conditional.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Literal

__all__ = [
    "ConditionVerdict",
    "Decision",
    "Effect",
    "IgnoredStatement",
    "ParsedPolicy",
    "PolicyShapeError",
    "Principal",
    "PrincipalSpec",
    "Statement",
    "action_matches",
    "condition_verdict",
    "decide",
    "decide_with_reason",
    "epoch_seconds",
    "parse_policy",
    "resource_matches",
    "wildcard_to_regex",
]


class PolicyShapeError(ValueError):
    """A policy document whose shape is not a valid IAM policy."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Effect(StrEnum):
    ALLOW = "Allow"
    DENY = "Deny"


class ConditionVerdict(StrEnum):
    """What a statement's Condition comes to at the evaluation instant."""

    ALWAYS = "always"  # no condition, or it holds at the evaluation instant
    NEVER = "never"  # it holds at no time from the evaluation instant on
    UNKNOWN = "unknown"  # it depends on the request


class Decision(StrEnum):
    ALLOWED = "allowed"
    ALLOWED_CONDITIONALLY = "allowed_conditionally"
    DENIED = "denied"
    IMPLICIT_DENY = "implicit_deny"


# "*" (anyone) or a map such as {"AWS": ("arn:...",), "Service": ("ec2.amazonaws.com",)}.
PrincipalSpec = Literal["*"] | dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Statement:
    """One normalised statement: every string-or-array element is a tuple or None."""

    index: int
    effect: Effect
    sid: str | None = None
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principal: PrincipalSpec | None = None
    not_principal: PrincipalSpec | None = None
    condition: dict[str, object] | None = None

    def verdict(self, as_of: int | None) -> ConditionVerdict:
        """The condition's verdict at ``as_of`` (epoch seconds; None: undecided)."""
        return condition_verdict(self.condition, as_of)

    def matches(self, action: str, resource: str) -> bool:
        return self._matches_action(action) and self._matches_resource(resource)

    def _matches_action(self, action: str) -> bool:
        if self.actions is not None:
            return any(action_matches(p, action) for p in self.actions)
        assert self.not_actions is not None
        return not any(action_matches(p, action) for p in self.not_actions)

    def _matches_resource(self, resource: str) -> bool:
        if self.resources is not None:
            return any(resource_matches(p, resource) for p in self.resources)
        if self.not_resources is not None:
            return not any(resource_matches(p, resource) for p in self.not_resources)
        return True

    def label(self) -> str:
        sid = f" (Sid {self.sid!r})" if self.sid else ""
        return f"statement #{self.index}{sid}"


@dataclass(frozen=True)
class IgnoredStatement:
    """A statement left out of evaluation, with the reason (e.g. an unknown Effect)."""

    index: int
    reason: str


@dataclass(frozen=True)
class ParsedPolicy:
    statements: tuple[Statement, ...]
    ignored: tuple[IgnoredStatement, ...] = ()


# ---------------------------------------------------------------------------
# Parsing


def parse_policy(document: Mapping[str, object] | str) -> ParsedPolicy:
    """Normalise a policy document (a JSON object, or its JSON text).

    Raises PolicyShapeError when the document is not a valid policy. A statement
    whose Effect is not exactly "Allow" or "Deny" is ignored and reported in
    ``ParsedPolicy.ignored``.
    """
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as error:
            raise PolicyShapeError(f"policy text is not JSON: {error}") from error
    if not isinstance(document, Mapping):
        raise PolicyShapeError(f"policy must be a JSON object, got {_kind(document)}")
    if "Statement" not in document:
        raise PolicyShapeError("policy has no Statement")
    raw_statements = document["Statement"]
    if isinstance(raw_statements, Mapping):
        raw_statements = [raw_statements]
    if not isinstance(raw_statements, list):
        raise PolicyShapeError(
            f"Statement must be an object or an array, got {_kind(raw_statements)}"
        )
    statements: list[Statement] = []
    ignored: list[IgnoredStatement] = []
    for index, raw in enumerate(raw_statements):
        parsed = _parse_statement(index, raw)
        if isinstance(parsed, IgnoredStatement):
            ignored.append(parsed)
        else:
            statements.append(parsed)
    return ParsedPolicy(tuple(statements), tuple(ignored))


def _parse_statement(index: int, raw: object) -> Statement | IgnoredStatement:
    where = f"statement #{index}"
    if not isinstance(raw, Mapping):
        raise PolicyShapeError(f"{where} must be an object, got {_kind(raw)}")
    effect = raw.get("Effect")
    if effect not in (Effect.ALLOW.value, Effect.DENY.value):
        return IgnoredStatement(index, f"Effect must be exactly 'Allow' or 'Deny', got {effect!r}")
    actions, not_actions = _exactly_one(raw, "Action", "NotAction", where, required=True)
    resources, not_resources = _exactly_one(raw, "Resource", "NotResource", where, required=False)
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyShapeError(f"{where}: Sid must be a string, got {_kind(sid)}")
    return Statement(
        index=index,
        effect=Effect(effect),
        sid=sid,
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        principal=_principal(raw, "Principal", where),
        not_principal=_principal(raw, "NotPrincipal", where),
        condition=_condition(raw, where),
    )


def _exactly_one(
    raw: Mapping[str, object], key: str, not_key: str, where: str, *, required: bool
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    has_key, has_not_key = key in raw, not_key in raw
    if has_key and has_not_key:
        raise PolicyShapeError(f"{where} has both {key} and {not_key}")
    if required and not (has_key or has_not_key):
        raise PolicyShapeError(f"{where} has neither {key} nor {not_key}")
    if has_key:
        return _string_list(raw[key], f"{where} {key}"), None
    if has_not_key:
        return None, _string_list(raw[not_key], f"{where} {not_key}")
    return None, None


def _string_list(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise PolicyShapeError(f"{where} must be a string or an array of strings, got {_kind(value)}")


def _principal(raw: Mapping[str, object], key: str, where: str) -> PrincipalSpec | None:
    if key not in raw:
        return None
    value = raw[key]
    if value == "*":
        return "*"
    if not isinstance(value, Mapping) or not value:
        raise PolicyShapeError(f'{where} {key} must be "*" or a non-empty object')
    return {str(kind): _string_list(ids, f"{where} {key}.{kind}") for kind, ids in value.items()}


def _condition(raw: Mapping[str, object], where: str) -> dict[str, object] | None:
    value = raw.get("Condition")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise PolicyShapeError(f"{where} Condition must be an object, got {_kind(value)}")
    return dict(value)


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


# ---------------------------------------------------------------------------
# Matching


@lru_cache(maxsize=4096)
def wildcard_to_regex(pattern: str) -> re.Pattern[str]:
    """`*` matches any run (also empty, also across ':' and '/'), `?` one character.

    Every other character is literal, including regex and SQL LIKE metacharacters.
    """
    parts = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern]
    return re.compile("".join(parts), re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """Case-insensitive, as IAM action names are."""
    return wildcard_to_regex(pattern.lower()).fullmatch(action.lower()) is not None


def resource_matches(pattern: str, resource: str) -> bool:
    """Case-sensitive, as ARNs are."""
    return wildcard_to_regex(pattern).fullmatch(resource) is not None


# ---------------------------------------------------------------------------
# Conditions decided at the evaluation instant

_COMPARISONS = (
    "Equals",
    "NotEquals",
    "LessThan",
    "LessThanEquals",
    "GreaterThan",
    "GreaterThanEquals",
)
_DATE_OPERATORS = frozenset(f"Date{c}" for c in _COMPARISONS)
_NUMERIC_OPERATORS = frozenset(f"Numeric{c}" for c in _COMPARISONS)
_CLOCK_KEYS = frozenset({"aws:currenttime", "aws:epochtime"})
_TOKEN_KEY = "aws:tokenissuetime"
_DATE_TEXT = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?Z)?"
)
_DIGITS = re.compile(r"[0-9]{1,12}")


def epoch_seconds(when: datetime) -> int:
    """Whole seconds since 1970-01-01 UTC; a naive datetime is read as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() // 1)


def _date_value_seconds(value: str) -> int | None:
    """A Date* value: YYYY-MM-DD, YYYY-MM-DDThh:mmZ, YYYY-MM-DDThh:mm:ssZ (UTC) or
    epoch seconds of 5 to 12 digits (four digits may be a year); else None."""
    if _DIGITS.fullmatch(value):
        return int(value) if len(value) >= 5 else None
    match = _DATE_TEXT.fullmatch(value)
    if match is None:
        return None
    try:
        year, month, day = (int(part) for part in match["date"].split("-"))
        when = datetime(
            year,
            month,
            day,
            int(match["hour"] or 0),
            int(match["minute"] or 0),
            int(match["second"] or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    return epoch_seconds(when)


def _numeric_value_seconds(value: str) -> int | None:
    """A Numeric* value on aws:EpochTime: 1 to 12 digits; else None."""
    return int(value) if _DIGITS.fullmatch(value) else None


def _holds(comparison: str, now: int, value: int) -> bool:
    return {
        "Equals": now == value,
        "NotEquals": now != value,
        "LessThan": now < value,
        "LessThanEquals": now <= value,
        "GreaterThan": now > value,
        "GreaterThanEquals": now >= value,
    }[comparison]


def _never_holds(comparison: str, now: int, value: int) -> bool:
    """True when the clock, at `now` or any later second, cannot satisfy it."""
    return {
        "Equals": value < now,
        "LessThan": value <= now,
        "LessThanEquals": value < now,
    }.get(comparison, False)


def _entry_verdict(operator: str, key: str, values: object, as_of: int) -> ConditionVerdict:
    """One condition entry (an operator, a key and its values) at ``as_of``.

    aws:CurrentTime and aws:EpochTime are the request's time t >= as_of and are
    always present (so IfExists changes nothing). aws:TokenIssueTime is present
    only with temporary credentials and is some time at or before t: only
    ``Date{LessThan,LessThanEquals}IfExists`` a time after ``as_of`` holds for
    every request at ``as_of``, and no outcome is excluded for ever.
    """
    base = operator.removesuffix("IfExists")
    if_exists = base != operator
    key = key.lower()
    if base in _DATE_OPERATORS and (key in _CLOCK_KEYS or key == _TOKEN_KEY):
        parse = _date_value_seconds
        comparison = base.removeprefix("Date")
    elif base in _NUMERIC_OPERATORS and key == "aws:epochtime":
        parse = _numeric_value_seconds
        comparison = base.removeprefix("Numeric")
    else:
        return ConditionVerdict.UNKNOWN
    items = values if isinstance(values, list) else [values]
    # a JSON integer reads as its digits; any other non-string is no time
    texts = [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in items]
    if not texts or not all(isinstance(text, str) for text in texts):
        return ConditionVerdict.UNKNOWN
    parsed = [parse(str(text)) for text in texts]
    if any(seconds is None for seconds in parsed):
        return ConditionVerdict.UNKNOWN
    moments = [seconds for seconds in parsed if seconds is not None]
    if key == _TOKEN_KEY:
        holds = if_exists and comparison in ("LessThan", "LessThanEquals")
        if holds and any(_holds(comparison, as_of, m) for m in moments):
            return ConditionVerdict.ALWAYS
        return ConditionVerdict.UNKNOWN
    if comparison == "NotEquals":
        # several values: none may match; a later time always differs from all
        if all(_holds(comparison, as_of, m) for m in moments):
            return ConditionVerdict.ALWAYS
        return ConditionVerdict.UNKNOWN
    if any(_holds(comparison, as_of, m) for m in moments):
        return ConditionVerdict.ALWAYS
    if all(_never_holds(comparison, as_of, m) for m in moments):
        return ConditionVerdict.NEVER
    return ConditionVerdict.UNKNOWN


def condition_verdict(
    condition: Mapping[str, object] | None, as_of: int | None
) -> ConditionVerdict:
    """A statement's Condition at the evaluation instant ``as_of`` (epoch seconds).

    No (or an empty) Condition is ALWAYS. Every operator and every key must
    hold: NEVER when any entry can never hold again, ALWAYS when every entry
    holds at ``as_of`` (and every operator names a key with a value), else
    UNKNOWN. Key names are compared case-insensitively.
    """
    if not condition:
        return ConditionVerdict.ALWAYS
    if as_of is None:
        return ConditionVerdict.UNKNOWN
    verdicts: list[ConditionVerdict] = []
    complete = True
    for operator, block in condition.items():
        if not isinstance(block, Mapping) or not block:
            complete = False
            continue
        verdicts += [_entry_verdict(str(operator), str(k), v, as_of) for k, v in block.items()]
    if ConditionVerdict.NEVER in verdicts:
        return ConditionVerdict.NEVER
    if complete and verdicts and all(v is ConditionVerdict.ALWAYS for v in verdicts):
        return ConditionVerdict.ALWAYS
    return ConditionVerdict.UNKNOWN


# ---------------------------------------------------------------------------
# Decision


@dataclass
class Principal:
    """An IAM user or role with every policy that applies to it.

    ``identity_policies`` holds inline policies, the default versions of attached
    managed policies and (for users) the policies of their groups, already folded in.
    ``scps`` holds one list of policies per organisation level (root, OUs..., account);
    every level must allow. An empty ``scps`` means no organisation.
    """

    arn: str
    kind: Literal["user", "role"]
    identity_policies: list[dict[str, object]] = field(default_factory=list)
    boundary: dict[str, object] | None = None
    scps: list[list[dict[str, object]]] = field(default_factory=list)
    is_service_linked: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("user", "role"):
            raise ValueError(f"Principal.kind must be 'user' or 'role', got {self.kind!r}")


@dataclass(frozen=True)
class _Match:
    """A statement that matches the request, where it comes from, and whether
    its condition is left undecided at the evaluation instant."""

    source: str
    statement: Statement
    is_conditional: bool

    def describe(self) -> str:
        condition = " (conditional)" if self.is_conditional else ""
        effect = self.statement.effect.value
        return f"{effect}{condition} in {self.source}, {self.statement.label()}"


def decide(
    principal: Principal, action: str, resource: str, as_of: datetime | None = None
) -> Decision:
    return decide_with_reason(principal, action, resource, as_of)[0]


def decide_with_reason(
    principal: Principal, action: str, resource: str, as_of: datetime | None = None
) -> tuple[Decision, str]:
    """Decide one request and explain which statement decided it.

    ``as_of`` is the evaluation instant (UTC when naive): time conditions are
    decided at it (see ``condition_verdict``). Without it no condition is decided.
    """
    now = None if as_of is None else epoch_seconds(as_of)

    def matches(sources: Iterable[tuple[str, Mapping[str, object]]]) -> list[_Match]:
        return _matches(sources, action, resource, now)

    identity = matches(_sources("identity policy", principal.identity_policies))
    boundary = (
        None
        if principal.boundary is None
        else matches([("permissions boundary", principal.boundary)])
    )
    scp_levels = (
        []
        if principal.is_service_linked
        else [
            matches(_sources(f"SCP level #{level}", policies))
            for level, policies in enumerate(principal.scps)
        ]
    )
    every_match = identity + (boundary or []) + [m for level in scp_levels for m in level]

    denies = [m for m in every_match if m.statement.effect is Effect.DENY]
    unconditional_denies = [m for m in denies if not m.is_conditional]
    if unconditional_denies:
        return Decision.DENIED, f"explicit deny: {unconditional_denies[0].describe()}"

    grant = _allows(identity)
    if not grant:
        return Decision.IMPLICIT_DENY, "no identity policy has a matching Allow"
    caps: list[tuple[str, list[_Match]]] = []
    if boundary is not None:
        caps.append(("the permissions boundary", _allows(boundary)))
    caps += [(f"SCP level #{n}", _allows(level)) for n, level in enumerate(scp_levels)]
    for name, allows in caps:
        if not allows:
            return Decision.IMPLICIT_DENY, f"{name} has no matching Allow"

    reasons = _conditional_reasons(grant, caps, denies)
    if reasons:
        return Decision.ALLOWED_CONDITIONALLY, "; ".join(reasons)
    return Decision.ALLOWED, f"allowed by {_best(grant).describe()}"


def _sources(
    name: str, policies: Sequence[Mapping[str, object]]
) -> list[tuple[str, Mapping[str, object]]]:
    return [(f"{name} #{n}", policy) for n, policy in enumerate(policies)]


def _matches(
    sources: Iterable[tuple[str, Mapping[str, object]]],
    action: str,
    resource: str,
    as_of: int | None,
) -> list[_Match]:
    """The statements that match the request and may apply at ``as_of``: one
    whose condition can never hold again applies to nothing."""
    found: list[_Match] = []
    for source, document in sources:
        for statement in parse_policy(document).statements:
            if not statement.matches(action, resource):
                continue
            verdict = statement.verdict(as_of)
            if verdict is not ConditionVerdict.NEVER:
                found.append(_Match(source, statement, verdict is ConditionVerdict.UNKNOWN))
    return found


def _allows(matches: list[_Match]) -> list[_Match]:
    return [m for m in matches if m.statement.effect is Effect.ALLOW]


def _best(allows: list[_Match]) -> _Match:
    """The first unconditional Allow, else the first Allow."""
    return next((m for m in allows if not m.is_conditional), allows[0])


def _conditional_reasons(
    grant: list[_Match], caps: list[tuple[str, list[_Match]]], denies: list[_Match]
) -> list[str]:
    reasons: list[str] = []
    if _best(grant).is_conditional:
        reasons.append(f"identity grant only conditional: {_best(grant).describe()}")
    for name, allows in caps:
        if _best(allows).is_conditional:
            reasons.append(f"{name} allows only conditionally: {_best(allows).describe()}")
    reasons += [f"conditional deny: {m.describe()}" for m in denies]
    return reasons
