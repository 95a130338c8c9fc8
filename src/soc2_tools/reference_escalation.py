"""A small reference for privilege escalation and lateral access, for differential tests.

It decides, for a small inventory (users, roles, groups, customer-managed policies,
trust policies), which principals can escalate and how, by asking the reference
evaluator (``soc2_tools.reference_evaluator.decide``) about single requests:
"may X call iam:PassRole on role R?". The package's SQL must give the same answers;
it gets them without pairing every principal with every target.

The rules (the same as DECISIONS.md, "Escalation needs a more privileged principal"):

* ``possible(X, a, r)``: ``decide`` says allowed or allowed_conditionally (a
  condition possibly holds).
* ``held(X, a)``: the package's resource-agnostic rule for actions whose resource
  is not an IAM entity (``lambda:CreateFunction``): an identity Allow names the
  action, no unconditional Deny on every resource names it, and the boundary and
  each SCP level allow it somewhere.
* Admin-equivalent: an unconditional identity Allow of Action ``*`` on every
  resource, no Deny statement at all, and a boundary and SCPs (if any) that allow
  ``*`` on every resource unconditionally.
* Acting as another principal (the *act* methods: principal_access, new_passrole
  and existing_passrole methods with a target) gives edges X -> Y: assume a role
  whose trust admits X (its ARN: no identity permission needed in its own
  account; its account or anyone: ``possible(X, sts:AssumeRole, R)``), in a
  statement whose conditions on the caller's identity X satisfies (below); pass a role
  trusting the method's service (``possible(X, iam:PassRole, R)``); take over an
  existing resource of that service (every role of the account trusting it);
  create or reset a user's credentials; rewrite a role's trust policy. The
  method's other actions must be ``held``.
* X *governs* Y when it may change Y's permissions: attach or write Y's own
  policies, rewrite (CreatePolicyVersion, SetDefaultPolicyVersion) a
  customer-managed policy Y holds, or write the policies of a group Y is in.
* T_base: admin-equivalent principals, principals that govern themselves, and
  holders of the self-escalation methods that do not edit policies
  (AddUserToGroup, CodeStar) or create a new principal (CreateRole + ...).
  T_gov: principals with an edge to a principal they govern ("made admin").
  T = T_base | T_gov: the principals that can escalate.
* An act method of X is privilege escalation when it reaches (within
  ``max_depth`` steps) a principal of T (if X is not in T_base) or an
  admin-equivalent principal (if X already escalates on its own), or a principal
  X governs. A combination method (modify + act) when one target is both.
  Self-escalation and create-principal methods are reported when held, with a
  real target for their IAM actions, as before.
* Lateral access: a principal that is not admin-equivalent and has no escalation
  finding, and reaches a principal holding a data right (read on every
  resource) that it lacks itself.
* Trust conditions on the caller's identity: a condition on aws:PrincipalAccount,
  aws:PrincipalOrgID, aws:PrincipalOrgPaths or aws:PrincipalArn restricts when
  its operator is positive (StringEquals, StringEqualsIgnoreCase, StringLike,
  ArnEquals, ArnLike, alone or after ForAnyValue:) and every value is fixed (no
  policy variable but ${aws:ResourceAccount} / ${aws:ResourceOrgID}; with a
  pattern operator, no wildcard in an account or organisation id, nor in an
  ARN's account field). A restricting condition admits a caller when one of
  its values matches the caller's account, organisation (the first segment of
  an org path) or ARN. A caller whose organisation is not known matches an
  organisation unless that organisation's member list is known
  (``Inventory.listed_organizations``); ${aws:ResourceOrgID} of a role whose
  organisation is not known matches. Every other condition may hold.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from soc2_tools.reference_evaluator import (
    ConditionVerdict,
    Decision,
    Effect,
    Principal,
    Statement,
    action_matches,
    decide,
    epoch_seconds,
    parse_policy,
    resource_matches,
)

__all__ = [
    "ACT_ACTIONS",
    "MODIFY_ACTIONS",
    "TARGET_TYPES",
    "Finding",
    "Group",
    "Identity",
    "Inventory",
    "Method",
    "decide_escalation",
    "load_methods",
]

# Target-dependent IAM actions and the kind of entity they act on.
TARGET_TYPES: dict[str, str] = {
    "iam:createaccesskey": "user",
    "iam:createloginprofile": "user",
    "iam:updateloginprofile": "user",
    "iam:attachuserpolicy": "user",
    "iam:putuserpolicy": "user",
    "iam:attachrolepolicy": "role",
    "iam:putrolepolicy": "role",
    "iam:updateassumerolepolicy": "role",
    "iam:passrole": "role",
    "sts:assumerole": "role",
    "iam:attachgrouppolicy": "group",
    "iam:putgrouppolicy": "group",
    "iam:addusertogroup": "group",
    "iam:createpolicyversion": "policy",
    "iam:setdefaultpolicyversion": "policy",
}
# Actions through which a method acts as another principal.
ACT_ACTIONS = (
    "sts:assumerole",
    "iam:passrole",
    "iam:createaccesskey",
    "iam:createloginprofile",
    "iam:updateloginprofile",
    "iam:updateassumerolepolicy",
)
# Actions that change a principal's permissions.
MODIFY_ACTIONS = (
    "iam:attachuserpolicy",
    "iam:putuserpolicy",
    "iam:attachrolepolicy",
    "iam:putrolepolicy",
    "iam:attachgrouppolicy",
    "iam:putgrouppolicy",
    "iam:createpolicyversion",
    "iam:setdefaultpolicyversion",
)
ACT_CATEGORIES = ("principal_access", "new_passrole", "existing_passrole")
POSSIBLE = (Decision.ALLOWED, Decision.ALLOWED_CONDITIONALLY)


@dataclass(frozen=True)
class Method:
    """A row of soc2__privilege_escalation_methods with its actions (lower-cased)."""

    method_id: str
    category: str
    target_kind: str
    actions: tuple[str, ...]
    role_service: str | None = None

    @property
    def act_action(self) -> str | None:
        return next((a for a in self.actions if a in ACT_ACTIONS), None)

    @property
    def modify_action(self) -> str | None:
        return next((a for a in self.actions if a in MODIFY_ACTIONS), None)

    @property
    def acts_as_other(self) -> bool:
        """True for methods that act as another (existing) principal."""
        return self.category in ACT_CATEGORIES and self.target_kind != "none"

    @property
    def is_combination(self) -> bool:
        """Modify a principal's permissions, then act as it."""
        return self.acts_as_other and self.modify_action is not None

    @property
    def edits_policies_only(self) -> bool:
        return all(a in MODIFY_ACTIONS for a in self.actions)


@dataclass
class Identity:
    """A user or role: the evaluator's Principal plus what the graph needs."""

    principal: Principal
    trust_policy: Mapping[str, object] | None = None
    groups: tuple[str, ...] = ()
    managed_policies: tuple[str, ...] = ()

    @property
    def arn(self) -> str:
        return self.principal.arn

    @property
    def kind(self) -> str:
        return self.principal.kind

    @property
    def account(self) -> str:
        return _account(self.arn)


@dataclass(frozen=True)
class Group:
    arn: str
    managed_policies: tuple[str, ...] = ()


@dataclass
class Inventory:
    identities: list[Identity]
    groups: list[Group] = field(default_factory=list)
    customer_policies: list[str] = field(default_factory=list)
    # account -> organisation id, for the accounts whose organisation is known
    organizations: dict[str, str] = field(default_factory=dict)
    # organisations whose member list is known (an account not listed is not a member)
    listed_organizations: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Finding:
    """privilege_escalation (method set) or lateral_access (method None)."""

    principal_arn: str
    finding_type: str
    method: str | None
    step_count: int | None = None
    reached_arn: str | None = None
    path: str | None = None


def load_methods(seed_dir: Path) -> list[Method]:
    """The methods and their actions from the package's seeds."""
    actions: dict[str, list[str]] = {}
    with (seed_dir / "soc2__privilege_escalation_method_actions.csv").open() as handle:
        for row in csv.DictReader(handle):
            actions.setdefault(row["method_id"], []).append(row["action_key"])
    with (seed_dir / "soc2__privilege_escalation_methods.csv").open() as handle:
        return [
            Method(
                method_id=row["method_id"],
                category=row["category"],
                target_kind=row["target_kind"],
                actions=tuple(sorted(actions[row["method_id"]])),
                role_service=row.get("role_service") or None,
            )
            for row in csv.DictReader(handle)
        ]


def _account(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 else ""


# ---------------------------------------------------------------------------
# Statements of a principal, by role


@dataclass(frozen=True)
class _Placed:
    role: str  # identity, boundary or scp
    statement: Statement


def _placed(identity: Identity) -> list[_Placed]:
    principal = identity.principal
    placed = [
        _Placed("identity", s)
        for document in principal.identity_policies
        for s in parse_policy(document).statements
    ]
    if principal.boundary is not None:
        placed += [_Placed("boundary", s) for s in parse_policy(principal.boundary).statements]
    if not principal.is_service_linked:
        placed += [
            _Placed("scp", s)
            for level in principal.scps
            for document in level
            for s in parse_policy(document).statements
        ]
    return placed


def _names(statement: Statement, action: str) -> bool:
    if statement.actions is not None:
        return any(action_matches(p, action) for p in statement.actions)
    assert statement.not_actions is not None
    return not any(action_matches(p, action) for p in statement.not_actions)


def _on_every_resource(statement: Statement) -> bool:
    """The package's 'all' resource scope: Resource has "*", or neither element."""
    if statement.not_resources is not None:
        return False
    return statement.resources is None or "*" in statement.resources


class _Principal:
    """Cached decisions for one identity at the evaluation instant ``as_of``: time
    conditions are decided as in the SQL (a statement that can never hold again takes
    no part; one that holds then is unconditional)."""

    def __init__(self, identity: Identity, as_of: datetime | None = None) -> None:
        self.identity = identity
        self.as_of = as_of
        self.now = None if as_of is None else epoch_seconds(as_of)
        self.every_placed = _placed(identity)
        self.placed = [
            p
            for p in self.every_placed
            if p.statement.verdict(self.now) is not ConditionVerdict.NEVER
        ]
        self._possible: dict[tuple[str, str], bool] = {}

    def conditional(self, statement: Statement) -> bool:
        return statement.verdict(self.now) is not ConditionVerdict.ALWAYS

    def possible(self, action: str, resource: str) -> bool:
        key = (action, resource)
        if key not in self._possible:
            self._possible[key] = (
                decide(self.identity.principal, action, resource, self.as_of) in POSSIBLE
            )
        return self._possible[key]

    def held(self, action: str) -> bool:
        named = [p for p in self.placed if _names(p.statement, action)]
        if not any(p.role == "identity" and p.statement.effect is Effect.ALLOW for p in named):
            return False
        if any(
            p.statement.effect is Effect.DENY
            and not self.conditional(p.statement)
            and _on_every_resource(p.statement)
            for p in named
        ):
            return False
        for role in ("boundary", "scp"):
            has_cap = any(p.role == role for p in self.every_placed)
            allows = any(p.role == role and p.statement.effect is Effect.ALLOW for p in named)
            if has_cap and not allows:
                return False
        return True

    def unrestricted(self, action: str) -> bool:
        return self.held(action) and any(
            p.role == "identity"
            and p.statement.effect is Effect.ALLOW
            and not self.conditional(p.statement)
            and _on_every_resource(p.statement)
            and _names(p.statement, action)
            for p in self.placed
        )

    def is_admin(self) -> bool:
        def every_action_everywhere(role: str) -> bool:
            return any(
                p.role == role
                and p.statement.effect is Effect.ALLOW
                and not self.conditional(p.statement)
                and p.statement.actions is not None
                and "*" in p.statement.actions
                and _on_every_resource(p.statement)
                for p in self.placed
            )

        if any(p.statement.effect is Effect.DENY for p in self.placed):
            return False
        if not every_action_everywhere("identity"):
            return False
        return all(
            every_action_everywhere(role)
            for role in ("boundary", "scp")
            if any(p.role == role for p in self.every_placed)
        )


# ---------------------------------------------------------------------------
# Trust policies


_CALLER_KEYS = {
    "aws:principalaccount": "account",
    "aws:principalorgid": "organisation",
    "aws:principalorgpaths": "organisation",
    "aws:principalarn": "arn",
}
_POSITIVE = {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
_PATTERN = {"stringlike", "arnequals", "arnlike"}
_RESOURCE_VARIABLES = {"${aws:resourceaccount}", "${aws:resourceorgid}"}


@dataclass(frozen=True)
class _CallerCondition:
    """One restricting condition on the caller's identity: any value may match."""

    attribute: str  # account, organisation or arn
    comparison: str  # equals, equals_ignore_case or pattern
    values: tuple[str, ...]
    org_paths: bool = False


@dataclass(frozen=True)
class _TrustStatement:
    public: bool = False
    aws: tuple[str, ...] = ()
    conditions: tuple[_CallerCondition, ...] = ()


@dataclass(frozen=True)
class _Trust:
    statements: tuple[_TrustStatement, ...] = ()
    services: tuple[str, ...] = ()


def _fixed(attribute: str, pattern: bool, value: str, org_paths: bool) -> bool:
    if value.lower() in _RESOURCE_VARIABLES:
        return True
    if "${" in value:
        return False
    if not pattern:
        return True
    if attribute == "arn":
        parts = value.split(":")
        account = parts[4] if len(parts) > 4 else ""
        if account == "":
            name = (parts[5] if len(parts) > 5 else "").split("/")[0]
            return name != "" and not any(c in name for c in "*?")
        return not any(c in account for c in "*?")
    ident = value.split("/")[0] if org_paths else value
    return not any(c in ident for c in "*?")


def _caller_conditions(condition: Mapping[str, object] | None) -> tuple[_CallerCondition, ...]:
    """The statement's conditions that restrict who by the caller's own identity."""
    found = []
    for operator, block in (condition or {}).items():
        lowered = operator.lower()
        base = lowered.removeprefix("foranyvalue:")
        if base not in _POSITIVE or not isinstance(block, Mapping):
            continue
        for key, raw in block.items():
            attribute = _CALLER_KEYS.get(key.lower())
            if attribute is None:
                continue
            values = tuple(raw) if isinstance(raw, list) else (raw,)
            if not all(isinstance(v, str) for v in values):
                continue
            org_paths = key.lower() == "aws:principalorgpaths"
            pattern = base in _PATTERN
            if not all(_fixed(attribute, pattern, v, org_paths) for v in values):
                continue
            comparison = (
                "equals_ignore_case"
                if base == "stringequalsignorecase"
                else "equals"
                if org_paths or not pattern
                else "pattern"
            )
            found.append(_CallerCondition(attribute, comparison, values, org_paths))
    return tuple(found)


def _trust(document: Mapping[str, object] | None) -> _Trust:
    """Who each Allow statement on sts:AssumeRole* (or sts:*, *) admits."""
    if document is None:
        return _Trust()
    statements, services = [], []
    for statement in parse_policy(document).statements:
        if statement.effect is not Effect.ALLOW or statement.actions is None:
            continue
        lowered = [a.lower() for a in statement.actions]
        if not any(a in ("*", "sts:*") or a.startswith("sts:assumerole") for a in lowered):
            continue
        conditions = _caller_conditions(statement.condition)
        if statement.not_principal is not None or statement.principal == "*":
            statements.append(_TrustStatement(public=True, conditions=conditions))
            continue
        if not isinstance(statement.principal, dict):
            continue
        public, aws = False, []
        for value in statement.principal.get("AWS", ()):
            if value == "*" or value.startswith("arn:aws:iam::*:"):
                public = True
            else:
                aws.append(value)
        statements.append(_TrustStatement(public, tuple(aws), conditions))
        services += statement.principal.get("Service", ())
    return _Trust(tuple(statements), tuple(services))


def _names_account(value: str, account: str) -> bool:
    names = value.endswith(":root") or not value.startswith("arn:")
    trusted = value.split(":")[4] if ":" in value else value
    return names and trusted == account


# ---------------------------------------------------------------------------
# The graph


class _Graph:
    def __init__(
        self, inventory: Inventory, methods: list[Method], as_of: datetime | None = None
    ) -> None:
        self.methods = methods
        self.people = {i.arn: _Principal(i, as_of) for i in inventory.identities}
        self.trusts = {
            i.arn: _trust(i.trust_policy) for i in inventory.identities if i.kind == "role"
        }
        self.organizations = dict(inventory.organizations)
        self.listed_organizations = set(inventory.listed_organizations)
        self.groups = {g.arn: g for g in inventory.groups}
        self.policies = list(inventory.customer_policies)
        self.members: dict[str, list[str]] = {}
        for identity in inventory.identities:
            for group in identity.groups:
                self.members.setdefault(group, []).append(identity.arn)
        self.admins = {arn for arn, p in self.people.items() if p.is_admin()}

    # entities of an account, by type
    def entities(self, account: str, target_type: str) -> list[str]:
        if target_type in ("user", "role"):
            return sorted(
                arn
                for arn, p in self.people.items()
                if p.identity.kind == target_type and p.identity.account == account
            )
        if target_type == "group":
            return sorted(arn for arn in self.groups if _account(arn) == account)
        return sorted(arn for arn in self.policies if _account(arn) == account)

    def targets(self, source: str, action: str) -> list[str]:
        person = self.people[source]
        return [
            t
            for t in self.entities(person.identity.account, TARGET_TYPES[action])
            if person.possible(action, t)
        ]

    def holds(self, source: str, method: Method) -> bool:
        """Every action held, and a real target for its IAM entity actions."""
        person = self.people[source]
        for action in method.actions:
            if not person.held(action):
                return False
            if action == "iam:addusertogroup" and person.identity.kind == "role":
                return False
            if action in TARGET_TYPES and not self.targets(source, action):
                return False
        return True

    def holders(self, policy: str) -> set[str]:
        direct = {a for a, p in self.people.items() if policy in p.identity.managed_policies}
        via_groups = {
            member
            for group_arn, group in self.groups.items()
            if policy in group.managed_policies
            for member in self.members.get(group_arn, [])
        }
        return direct | via_groups

    def governed(self, source: str, action: str) -> set[str]:
        """The principals whose permissions `action` lets `source` change."""
        found: set[str] = set()
        target_type = TARGET_TYPES[action]
        for target in self.targets(source, action):
            if target_type in ("user", "role"):
                found.add(target)
            elif target_type == "policy":
                found |= self.holders(target)
            else:
                found |= set(self.members.get(target, []))
        return found

    def _value_matches(
        self, condition: _CallerCondition, value: str, caller: str, role: str
    ) -> bool:
        account, role_account = _account(caller), _account(role)
        if value.lower() == "${aws:resourceaccount}":
            value = role_account
        elif value.lower() == "${aws:resourceorgid}":
            organization = self.organizations.get(role_account)
            if organization is None:
                return True  # the role's organisation is not known: it may hold
            value = organization
        elif condition.org_paths:
            value = value.split("/")[0]
        if condition.attribute == "organisation":
            own = self.organizations.get(account)
            if own is None:
                return value not in self.listed_organizations
            subject = own
        else:
            subject = account if condition.attribute == "account" else caller
        if condition.comparison == "equals":
            return subject == value
        if condition.comparison == "equals_ignore_case":
            return subject.lower() == value.lower()
        return resource_matches(value, subject)

    def caller_satisfies(self, statement: _TrustStatement, caller: str, role: str) -> bool:
        """Every caller-identity condition of the statement has a value matching the caller."""
        return all(
            any(self._value_matches(c, v, caller, role) for v in c.values)
            for c in statement.conditions
        )

    def assumable(self, source: str) -> set[str]:
        person = self.people[source]
        account = person.identity.account
        found = set()
        for role, trust in self.trusts.items():
            if role == source:
                continue
            for statement in trust.statements:
                by_name = source in statement.aws
                admits = (
                    statement.public
                    or by_name
                    or any(_names_account(v, account) for v in statement.aws)
                )
                if not admits or not self.caller_satisfies(statement, source, role):
                    continue
                if by_name and _account(role) == account:
                    found.add(role)  # the trust alone admits it in its own account
                    break
                if person.possible("sts:assumerole", role):
                    found.add(role)
                    break
        return found

    def act_targets(self, source: str, method: Method) -> set[str]:
        person = self.people[source]
        others = [a for a in method.actions if a not in (method.act_action, method.modify_action)]
        if not all(person.held(a) for a in others):
            return set()
        account = person.identity.account
        act = method.act_action
        if act == "sts:assumerole":
            found = self.assumable(source)
        elif act == "iam:passrole":
            found = {
                r
                for r in self.entities(account, "role")
                if method.role_service in self.trusts[r].services and person.possible(act, r)
            }
        elif act is not None:
            found = set(self.targets(source, act))
        else:
            found = {
                r
                for r in self.entities(account, "role")
                if method.role_service in self.trusts[r].services
            }
        found.discard(source)
        return found


Edges = dict[str, list[tuple[str, str]]]  # source -> [(principal it acts as, method_id)]


def _bfs(edges: Edges, goal: set[str], max_depth: int) -> dict[str, tuple[int, str]]:
    """Steps to the goal and the path, for every principal within max_depth.

    The next hop is the smallest (principal ARN, method) among those one step
    nearer, as the SQL chooses it.
    """
    reached = {arn: (0, arn) for arn in goal}
    frontier = dict(reached)
    for depth in range(1, max_depth + 1):
        found: dict[str, tuple[str, str]] = {}
        for source, source_edges in edges.items():
            options = sorted((y, m) for y, m in source_edges if y in frontier)
            if source not in reached and options:
                found[source] = options[0]
        frontier = {
            source: (depth, f"{source} -[{method}]-> {reached[nxt][1]}")
            for source, (nxt, method) in found.items()
        }
        reached.update(frontier)
        if not frontier:
            break
    return reached


def _hop(source: str, method_id: str, rest: str) -> str:
    return f"{source} -[{method_id}]-> {rest}"


class _Decider:
    """The sets of decision 23, computed once for an inventory."""

    def __init__(
        self,
        inventory: Inventory,
        methods: list[Method],
        max_depth: int,
        as_of: datetime | None = None,
    ) -> None:
        self.graph = graph = _Graph(inventory, methods, as_of)
        self.max_depth = max_depth
        self.sources = sorted(a for a in graph.people if a not in graph.admins)
        self.act_methods = [m for m in methods if m.acts_as_other and not m.is_combination]
        self.combinations = [m for m in methods if m.is_combination]
        self_methods = [m for m in methods if not m.acts_as_other]
        self.act = {
            (s, m.method_id): graph.act_targets(s, m)
            for s in self.sources
            for m in self.act_methods
        }
        self.governs = {s: {a: graph.governed(s, a) for a in MODIFY_ACTIONS} for s in self.sources}
        self.governs_any = {s: set().union(*self.governs[s].values()) for s in self.sources}
        self.held_self = {s: [m for m in self_methods if graph.holds(s, m)] for s in self.sources}
        self.t_base = set(graph.admins) | {
            s
            for s in self.sources
            if s in self.governs_any[s] or any(not m.edits_policies_only for m in self.held_self[s])
        }
        self.t_gov = {
            s
            for s in self.sources
            if s not in self.t_base
            and any(self.act[(s, m.method_id)] & self.governs_any[s] for m in self.act_methods)
        }
        self.edges: Edges = {}
        for (source, method_id), targets in self.act.items():
            self.edges.setdefault(source, []).extend((t, method_id) for t in targets)
        self.to_escalation = _bfs(self.edges, self.t_base | self.t_gov, max_depth)
        self.to_admin = _bfs(self.edges, set(graph.admins), max_depth)

    def escalations(self, s: str) -> list[Finding]:
        findings = [Finding(s, "privilege_escalation", m.method_id) for m in self.held_self[s]]
        alone = s in self.t_base
        reach = self.to_admin if alone else self.to_escalation
        for method in self.act_methods:
            options = []
            for y in self.act[(s, method.method_id)]:
                if y in reach and reach[y][0] <= self.max_depth - 1:
                    steps, path = reach[y]
                    terminal = path.rsplit(" ", 1)[-1]
                    options.append((steps + 1, y, 0, terminal, _hop(s, method.method_id, path)))
                if not alone and y in self.governs_any[s]:
                    options.append((1, y, 1, y, _hop(s, method.method_id, y)))
            if options:
                steps, _, _, terminal, path = min(options)
                findings.append(
                    Finding(s, "privilege_escalation", method.method_id, steps, terminal, path)
                )
        for method in [] if alone else self.combinations:
            both = self.graph.act_targets(s, method) & self.governs[s][method.modify_action or ""]
            if both:
                y = min(both)
                path = _hop(s, method.method_id, y)
                findings.append(Finding(s, "privilege_escalation", method.method_id, 1, y, path))
        return findings

    def lateral(self, data_actions: list[str], escalating: set[str]) -> list[Finding]:
        people = self.graph.people
        reach = {
            d: _bfs(
                self.edges,
                {a for a, p in people.items() if a not in self.graph.admins and p.unrestricted(d)},
                self.max_depth,
            )
            for d in data_actions
        }
        findings = []
        for s in self.sources:
            if s in escalating or s in self.t_base or s in self.t_gov:
                continue
            options = [(reach[d][s][0], d, reach[d][s][1]) for d in data_actions if s in reach[d]]
            options = [option for option in options if option[0] >= 1]
            if options:
                steps, _, path = min(options)
                terminal = path.rsplit(" ", 1)[-1]
                findings.append(Finding(s, "lateral_access", None, steps, terminal, path))
        return findings


def decide_escalation(
    inventory: Inventory,
    methods: list[Method],
    data_actions: Iterable[str],
    max_depth: int = 4,
    as_of: datetime | None = None,
) -> list[Finding]:
    """Every privilege_escalation and lateral_access finding of the inventory, with time
    conditions decided at ``as_of`` (the SQL's soc2_as_of; None decides none)."""
    decider = _Decider(inventory, methods, max_depth, as_of)
    findings = [f for s in decider.sources for f in decider.escalations(s)]
    escalating = {f.principal_arn for f in findings}
    findings += decider.lateral(sorted(set(data_actions)), escalating)
    return sorted(findings, key=lambda f: (f.principal_arn, f.finding_type, f.method or ""))
