"""A small reference evaluator of AWS IAM identity-based access, for differential tests.

Written from the AWS IAM User Guide (policy elements Action, NotAction, Resource,
NotResource, Condition; the policy evaluation logic; permissions boundaries; SCPs).
It decides one request, (principal, action, resource), without any request
context, so conditions cannot be evaluated: a statement with a non-empty
Condition is *conditional*, i.e. it possibly applies.

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
from enum import StrEnum
from functools import lru_cache
from typing import Literal

__all__ = [
    "Decision",
    "Effect",
    "IgnoredStatement",
    "ParsedPolicy",
    "PolicyShapeError",
    "Principal",
    "PrincipalSpec",
    "Statement",
    "action_matches",
    "decide",
    "decide_with_reason",
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

    @property
    def is_conditional(self) -> bool:
        return bool(self.condition)

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
    """A statement that matches the request, and where it comes from."""

    source: str
    statement: Statement

    def describe(self) -> str:
        condition = " (conditional)" if self.statement.is_conditional else ""
        effect = self.statement.effect.value
        return f"{effect}{condition} in {self.source}, {self.statement.label()}"


def decide(principal: Principal, action: str, resource: str) -> Decision:
    return decide_with_reason(principal, action, resource)[0]


def decide_with_reason(principal: Principal, action: str, resource: str) -> tuple[Decision, str]:
    """Decide one request and explain which statement decided it."""
    identity = _matches(_sources("identity policy", principal.identity_policies), action, resource)
    boundary = (
        None
        if principal.boundary is None
        else _matches([("permissions boundary", principal.boundary)], action, resource)
    )
    scp_levels = (
        []
        if principal.is_service_linked
        else [
            _matches(_sources(f"SCP level #{level}", policies), action, resource)
            for level, policies in enumerate(principal.scps)
        ]
    )
    every_match = identity + (boundary or []) + [m for level in scp_levels for m in level]

    denies = [m for m in every_match if m.statement.effect is Effect.DENY]
    unconditional_denies = [m for m in denies if not m.statement.is_conditional]
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
    sources: Iterable[tuple[str, Mapping[str, object]]], action: str, resource: str
) -> list[_Match]:
    found: list[_Match] = []
    for source, document in sources:
        policy = parse_policy(document)
        found += [_Match(source, s) for s in policy.statements if s.matches(action, resource)]
    return found


def _allows(matches: list[_Match]) -> list[_Match]:
    return [m for m in matches if m.statement.effect is Effect.ALLOW]


def _best(allows: list[_Match]) -> _Match:
    """The first unconditional Allow, else the first Allow."""
    return next((m for m in allows if not m.statement.is_conditional), allows[0])


def _conditional_reasons(
    grant: list[_Match], caps: list[tuple[str, list[_Match]]], denies: list[_Match]
) -> list[str]:
    reasons: list[str] = []
    if _best(grant).statement.is_conditional:
        reasons.append(f"identity grant only conditional: {_best(grant).describe()}")
    for name, allows in caps:
        if _best(allows).statement.is_conditional:
            reasons.append(f"{name} allows only conditionally: {_best(allows).describe()}")
    reasons += [f"conditional deny: {m.describe()}" for m in denies]
    return reasons
