"""The reference IAM evaluator: hand-written edge cases and property tests."""

from __future__ import annotations

import copy
import fnmatch
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iam_regression_cases import CASES, Case
from iam_strategies import AS_OF, actions, policies, principals, requests, statements, time_values
from soc2_tools.reference_evaluator import (
    ConditionVerdict,
    Decision,
    Effect,
    PolicyShapeError,
    Principal,
    action_matches,
    condition_verdict,
    decide,
    decide_with_reason,
    epoch_seconds,
    parse_policy,
    resource_matches,
)

ALLOWED = Decision.ALLOWED
CONDITIONAL = Decision.ALLOWED_CONDITIONALLY
DENIED = Decision.DENIED
IMPLICIT = Decision.IMPLICIT_DENY

ACCOUNT = "111111111111"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/app"
BUCKET_OBJECT = "arn:aws:s3:::bucket-a/report.csv"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}


def statement(effect: str, action: Any = None, resource: Any = "*", **extra: Any) -> dict:
    body: dict[str, Any] = {"Effect": effect}
    if action is not None:
        body["Action"] = action
    if resource is not None:
        body["Resource"] = resource
    body.update({key: value for key, value in extra.items() if value is not None})
    return body


def allow(action: Any = None, resource: Any = "*", **extra: Any) -> dict:
    return statement("Allow", action, resource, **extra)


def deny(action: Any = None, resource: Any = "*", **extra: Any) -> dict:
    return statement("Deny", action, resource, **extra)


def policy(*items: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(items)}


def user(*identity: dict, boundary: dict | None = None, scps: list | None = None) -> Principal:
    return Principal(USER_ARN, "user", list(identity), boundary, scps or [])


ADMIN = policy(allow("*"))


# ---------------------------------------------------------------------------
# 8.1 Cross-policy combination and deny in another policy


def test_deny_in_another_policy_wins() -> None:
    principal = user(ADMIN, policy(deny("s3:GetObject")))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is DENIED
    assert decide(principal, "s3:PutObject", BUCKET_OBJECT) is ALLOWED


def test_deny_from_a_group_policy_folded_in_wins() -> None:
    own_inline = policy(allow("s3:*", "arn:aws:s3:::bucket-a/*"))
    group_policy = policy(deny("s3:PutObject", "arn:aws:s3:::bucket-a/*"))
    principal = user(own_inline, group_policy)
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(principal, "s3:PutObject", BUCKET_OBJECT) is DENIED


def test_combination_split_across_policies_is_granted() -> None:
    principal = user(policy(allow("iam:PassRole")), policy(allow("ec2:RunInstances")))
    assert decide(principal, "iam:PassRole", ROLE_ARN) is ALLOWED
    assert decide(principal, "ec2:RunInstances", "*") is ALLOWED


# ---------------------------------------------------------------------------
# 8.2 Conditional Deny vs unconditional Allow (tri-state)


def test_conditional_deny_does_not_cancel_unconditional_allow() -> None:
    principal = user(ADMIN, policy(deny("s3:GetObject", Condition=MFA)))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is CONDITIONAL
    assert decide(principal, "s3:PutObject", BUCKET_OBJECT) is ALLOWED


def test_conditional_allow_is_conditional() -> None:
    principal = user(policy(allow("s3:GetObject", Condition=MFA)))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is CONDITIONAL


def test_one_unconditional_allow_is_enough() -> None:
    principal = user(policy(allow("s3:GetObject", Condition=MFA)), policy(allow("s3:*")))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED


def test_unconditional_deny_beats_conditional_allow() -> None:
    principal = user(policy(allow("s3:*", Condition=MFA), deny("s3:GetObject")))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is DENIED


def test_conditional_deny_alone_grants_nothing() -> None:
    principal = user(policy(deny("s3:GetObject", Condition=MFA)))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is IMPLICIT


def test_empty_condition_is_unconditional() -> None:
    principal = user(policy(allow("s3:GetObject", Condition={})))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED


# ---------------------------------------------------------------------------
# 8.3 NotAction


def test_allow_not_action_grants_everything_else_in_every_service() -> None:
    principal = user(policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(principal, "ec2:RunInstances", "*") is ALLOWED
    assert decide(principal, "iam:PassRole", ROLE_ARN) is IMPLICIT


def test_unknown_action_in_not_action_still_grants_everything() -> None:
    principal = user(policy({"Effect": "Allow", "NotAction": "iam:PasRole", "Resource": "*"}))
    assert decide(principal, "iam:PassRole", ROLE_ARN) is ALLOWED
    assert decide(principal, "iam:CreateAccessKey", USER_ARN) is ALLOWED


def test_deny_not_action_denies_everything_else() -> None:
    principal = user(ADMIN, policy({"Effect": "Deny", "NotAction": ["s3:GetObject"]}))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(principal, "s3:PutObject", BUCKET_OBJECT) is DENIED
    assert decide(principal, "iam:PassRole", ROLE_ARN) is DENIED


# ---------------------------------------------------------------------------
# 8.4 `?` and mid-string `*`


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:Getbject", False),
        ("s3:Get?bject", "s3:GetObjectAcl", False),
        ("s3:Get??bject", "s3:GetObject", False),
        ("iam:*AccessKey*", "iam:CreateAccessKey", True),
        ("iam:*AccessKey*", "iam:ListAccessKeys", True),
        ("iam:*AccessKey*", "iam:PassRole", False),
        ("s3:*Object", "s3:GetObject", True),
        ("s3:*Object", "s3:GetObjectAcl", False),
        ("s3:Get*Object", "s3:GetObject", True),  # `*` matches the empty run
        ("*", "anything:AtAll", True),
        ("s3:*", "s3express:CreateSession", False),
    ],
)
def test_action_wildcards(pattern: str, action: str, expected: bool) -> None:
    assert action_matches(pattern, action) is expected
    principal = user(policy(allow(pattern)))
    assert decide(principal, action, "*") is (ALLOWED if expected else IMPLICIT)


@pytest.mark.parametrize(
    ("pattern", "resource", "expected"),
    [
        ("arn:aws:s3:::*", "arn:aws:s3:::bucket/a/b.txt", True),
        ("arn:aws:*", f"arn:aws:iam::{ACCOUNT}:role/x", True),  # across ':' and '/'
        ("arn:aws:iam::*:role/app", ROLE_ARN, True),
        ("arn:aws:iam::11111111111?:role/app", ROLE_ARN, True),
        ("arn:aws:iam::1111111111?:role/app", ROLE_ARN, False),
        ("arn:aws:iam::*:role/a*p", ROLE_ARN, True),
        ("arn:aws:s3:::my.bucket", "arn:aws:s3:::myXbucket", False),  # '.' is literal
        ("arn:aws:s3:::my_bucket", "arn:aws:s3:::myXbucket", False),  # '_' is literal
        ("arn:aws:s3:::100%", "arn:aws:s3:::100abc", False),  # '%' is literal
        ("arn:aws:s3:::100%", "arn:aws:s3:::100%", True),
        (
            f"arn:aws:iam::{ACCOUNT}:user/a+b=c,d.e@f_g-h",
            f"arn:aws:iam::{ACCOUNT}:user/a+b=c,d.e@f_g-h",
            True,
        ),
        (f"arn:aws:iam::{ACCOUNT}:user/a+b", f"arn:aws:iam::{ACCOUNT}:user/aab", False),
        ("arn:aws:s3:::b(x)|[y]{2}$^", "arn:aws:s3:::b(x)|[y]{2}$^", True),
    ],
)
def test_resource_wildcards_and_literal_characters(
    pattern: str, resource: str, expected: bool
) -> None:
    assert resource_matches(pattern, resource) is expected
    principal = user(policy(allow("s3:GetObject", pattern)))
    assert decide(principal, "s3:GetObject", resource) is (ALLOWED if expected else IMPLICIT)


# ---------------------------------------------------------------------------
# 8.5 Case: actions insensitive, ARNs sensitive


def test_actions_are_case_insensitive() -> None:
    principal = user(policy(allow("S3:getobject")))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(principal, "S3:GETOBJECT", BUCKET_OBJECT) is ALLOWED
    assert action_matches("IAM:*accesskey*", "iam:CreateAccessKey")


def test_arns_are_case_sensitive() -> None:
    principal = user(policy(allow("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/Alice")))
    assert decide(principal, "iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/Alice") is ALLOWED
    assert decide(principal, "iam:CreateAccessKey", USER_ARN) is IMPLICIT
    denied = user(ADMIN, policy(deny("*", f"arn:aws:iam::{ACCOUNT}:user/ALICE")))
    assert decide(denied, "iam:CreateAccessKey", USER_ARN) is ALLOWED


# ---------------------------------------------------------------------------
# 8.9 Boundaries and SCPs cap but never grant


def test_boundary_never_grants() -> None:
    principal = user(boundary=ADMIN)
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is IMPLICIT


def test_boundary_caps_identity_grant() -> None:
    principal = user(policy(allow("s3:*")), boundary=policy(allow("s3:GetObject")))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(principal, "s3:PutObject", BUCKET_OBJECT) is IMPLICIT


def test_boundary_deny_and_conditional_boundary() -> None:
    denying = user(ADMIN, boundary=policy(allow("*"), deny("s3:PutObject")))
    assert decide(denying, "s3:PutObject", BUCKET_OBJECT) is DENIED
    conditional = user(ADMIN, boundary=policy(allow("s3:*", Condition=MFA)))
    assert decide(conditional, "s3:GetObject", BUCKET_OBJECT) is CONDITIONAL


def test_scp_never_grants() -> None:
    principal = user(scps=[[ADMIN], [ADMIN]])
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is IMPLICIT


def test_every_scp_level_must_allow() -> None:
    root, ou, account = [ADMIN], [policy(allow("s3:*"), allow("ec2:*"))], [ADMIN]
    principal = user(ADMIN, scps=[root, ou, account])
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(principal, "iam:PassRole", ROLE_ARN) is IMPLICIT
    one_level_short = user(ADMIN, scps=[root, [policy(allow("ec2:*"))], account])
    assert decide(one_level_short, "s3:GetObject", BUCKET_OBJECT) is IMPLICIT


def test_any_policy_of_a_level_can_allow() -> None:
    level = [policy(allow("ec2:*")), policy(allow("s3:GetObject"))]
    principal = user(ADMIN, scps=[[ADMIN], level])
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED


def test_scp_deny_and_conditional_scp() -> None:
    principal = user(ADMIN, scps=[[policy(allow("*"), deny("iam:*"))]])
    assert decide(principal, "iam:PassRole", ROLE_ARN) is DENIED
    conditional = user(ADMIN, scps=[[ADMIN], [policy(allow("*", Condition=MFA))]])
    assert decide(conditional, "s3:GetObject", BUCKET_OBJECT) is CONDITIONAL


def test_service_linked_role_skips_scps() -> None:
    scps = [[policy(deny("*"))], [policy(allow("ec2:*"))]]
    ordinary = Principal(ROLE_ARN, "role", [ADMIN], None, scps)
    linked = replace(ordinary, is_service_linked=True)
    assert decide(ordinary, "s3:GetObject", BUCKET_OBJECT) is DENIED
    assert decide(linked, "s3:GetObject", BUCKET_OBJECT) is ALLOWED


# ---------------------------------------------------------------------------
# NotResource and absent Resource


def test_not_resource() -> None:
    secret = "arn:aws:s3:::bucket-secret/*"
    principal = user(policy({"Effect": "Allow", "Action": "s3:*", "NotResource": secret}))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(principal, "s3:GetObject", "arn:aws:s3:::bucket-secret/k") is IMPLICIT
    fenced = user(ADMIN, policy({"Effect": "Deny", "Action": "*", "NotResource": [secret]}))
    assert decide(fenced, "s3:GetObject", "arn:aws:s3:::bucket-secret/k") is ALLOWED
    assert decide(fenced, "s3:GetObject", BUCKET_OBJECT) is DENIED


def test_statement_without_resource_matches_every_resource() -> None:
    principal = user(policy({"Effect": "Allow", "Action": "s3:GetObject"}))
    assert decide(principal, "s3:GetObject", BUCKET_OBJECT) is ALLOWED


# ---------------------------------------------------------------------------
# 8.11 Shapes


def test_statement_object_and_array_are_equivalent() -> None:
    as_object = {"Version": "2012-10-17", "Statement": allow("s3:GetObject", BUCKET_OBJECT)}
    as_array = policy(allow("s3:GetObject", BUCKET_OBJECT))
    for document in (as_object, as_array):
        assert decide(user(document), "s3:GetObject", BUCKET_OBJECT) is ALLOWED
        assert decide(user(document), "s3:PutObject", BUCKET_OBJECT) is IMPLICIT
    assert parse_policy(as_object).statements == parse_policy(as_array).statements


def test_string_and_array_elements_are_equivalent() -> None:
    strings = policy(allow("s3:GetObject", BUCKET_OBJECT))
    arrays = policy(allow(["s3:GetObject"], [BUCKET_OBJECT]))
    assert parse_policy(strings) == parse_policy(arrays)
    several = policy(allow(["ec2:RunInstances", "s3:GetObject"], ["arn:aws:s3:::x", "*"]))
    assert decide(user(several), "s3:GetObject", BUCKET_OBJECT) is ALLOWED


def test_principal_shapes_are_parsed() -> None:
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {
                "Effect": "Allow",
                "Principal": {"AWS": "111111111111", "Service": ["ec2.amazonaws.com"]},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": "x"}},
            },
        ]
    }
    first, second = parse_policy(trust).statements
    assert first.principal == "*"
    assert second.principal == {"AWS": ("111111111111",), "Service": ("ec2.amazonaws.com",)}
    assert second.condition == {"StringEquals": {"sts:ExternalId": "x"}}
    assert second.verdict(None) is ConditionVerdict.UNKNOWN
    assert first.resources is None and first.not_resources is None


def test_policy_given_as_json_text() -> None:
    parsed = parse_policy('{"Statement": {"Effect": "Deny", "Action": "*"}}')
    assert parsed.statements[0].effect is Effect.DENY


@pytest.mark.parametrize("effect", ["allow", "DENY", "Permit", None, ""])
def test_statement_with_other_effect_is_ignored_and_reported(effect: str | None) -> None:
    document = policy(allow("s3:GetObject"), statement(effect, "*"))  # type: ignore[arg-type]
    parsed = parse_policy(document)
    assert len(parsed.statements) == 1
    assert [i.index for i in parsed.ignored] == [1]
    assert "Effect" in parsed.ignored[0].reason
    assert decide(user(document), "s3:GetObject", BUCKET_OBJECT) is ALLOWED
    assert decide(user(document), "s3:PutObject", BUCKET_OBJECT) is IMPLICIT


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([], "JSON object"),
        ({"Version": "2012-10-17"}, "no Statement"),
        ({"Statement": "Allow"}, "object or an array"),
        ({"Statement": ["x"]}, "must be an object"),
        ({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "neither Action nor NotAction"),
        ({"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "s3:*"}]}, "both"),
        (
            {
                "Statement": [
                    {"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "*"}
                ]
            },
            "both",
        ),
        ({"Statement": [{"Effect": "Allow", "Action": ["s3:*", 3]}]}, "strings"),
        ({"Statement": [{"Effect": "Allow", "Action": {"a": 1}}]}, "strings"),
        ({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": "x"}]}, "Condition"),
        ({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": "me"}]}, "Principal"),
        ({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"AWS": 1}}]}, "Principal"),
        ("{not json", "not JSON"),
    ],
)
def test_invalid_documents_raise_with_a_reason(document: Any, reason: str) -> None:
    with pytest.raises(PolicyShapeError) as raised:
        parse_policy(document)
    assert reason in raised.value.reason


def test_decide_with_reason_names_the_deciding_statement() -> None:
    principal = user(ADMIN, policy(allow("s3:*"), deny("s3:GetObject", Sid="NoReads")))
    decision, reason = decide_with_reason(principal, "s3:GetObject", BUCKET_OBJECT)
    assert decision is DENIED
    assert "identity policy #1" in reason and "NoReads" in reason
    decision, reason = decide_with_reason(user(boundary=ADMIN), "s3:GetObject", BUCKET_OBJECT)
    assert decision is IMPLICIT and "identity" in reason


def test_decision_values() -> None:
    assert [d.value for d in Decision] == [
        "allowed",
        "allowed_conditionally",
        "denied",
        "implicit_deny",
    ]
    assert Decision.ALLOWED == "allowed"


def test_principal_kind_is_checked() -> None:
    with pytest.raises(ValueError, match="kind"):
        Principal(USER_ARN, "group", [])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Properties

RANK = {DENIED: 0, IMPLICIT: 0, CONDITIONAL: 1, ALLOWED: 2}


def statements_of(document: dict) -> list[dict]:
    body = document["Statement"]
    return [body] if isinstance(body, dict) else list(body)


def map_policies(principal: Principal, change: Any) -> Principal:
    """The principal with `change(document)` applied to every policy (identity, caps)."""
    return replace(
        principal,
        identity_policies=[change(p) for p in principal.identity_policies],
        boundary=None if principal.boundary is None else change(principal.boundary),
        scps=[[change(p) for p in level] for level in principal.scps],
    )


def without_denies(document: dict) -> dict:
    return {"Statement": [s for s in statements_of(document) if s["Effect"] != "Deny"]}


def without_conditions(document: dict) -> dict:
    return {
        "Statement": [
            {k: v for k, v in s.items() if k != "Condition"} for s in statements_of(document)
        ]
    }


def canonical(document: dict) -> dict:
    """Statement as an array and every string-or-array element as an array."""
    keys = ("Action", "NotAction", "Resource", "NotResource")
    return {
        "Statement": [
            {k: ([v] if k in keys and isinstance(v, str) else v) for k, v in s.items()}
            for s in statements_of(document)
        ]
    }


def exact_deny(action: str, resource: str) -> dict:
    return {"Statement": {"Effect": "Deny", "Action": action, "Resource": resource}}


@given(principals(), requests())
def test_decide_agrees_with_decide_with_reason(principal: Principal, request: tuple) -> None:
    decision, reason = decide_with_reason(principal, *request)
    assert decide(principal, *request) is decision
    assert reason


@given(principals(), requests(), st.sampled_from(["identity", "boundary", "scp"]))
def test_unconditional_exact_deny_always_denies(
    principal: Principal, request: tuple[str, str], where: str
) -> None:
    action, resource = request
    deny_doc = exact_deny(action, resource)
    if where == "identity":
        changed = replace(principal, identity_policies=[*principal.identity_policies, deny_doc])
    elif where == "boundary":
        base = [] if principal.boundary is None else statements_of(principal.boundary)
        changed = replace(principal, boundary={"Statement": [*base, deny_doc["Statement"]]})
    else:
        if principal.is_service_linked:
            principal = replace(principal, is_service_linked=False)
        levels = principal.scps or [[]]
        changed = replace(principal, scps=[*levels[:-1], [*levels[-1], deny_doc]])
    assert decide(changed, action, resource) is DENIED


@given(principals(), requests())
def test_removing_denies_never_restricts(principal: Principal, request: tuple[str, str]) -> None:
    before = decide(principal, *request)
    after = decide(map_policies(principal, without_denies), *request)
    assert after is not DENIED
    if before is not DENIED:
        assert RANK[after] >= RANK[before]
    if before is IMPLICIT:
        assert after in (IMPLICIT, DENIED)


@given(principals(boundary=False), policies(), requests())
def test_a_boundary_never_widens(principal: Principal, boundary: dict, request: tuple) -> None:
    without = decide(principal, *request)
    with_boundary = decide(replace(principal, boundary=boundary), *request)
    assert RANK[with_boundary] <= RANK[without]
    if without is IMPLICIT:
        assert with_boundary in (IMPLICIT, DENIED)


SCP_LEVELS = st.lists(st.lists(policies(), min_size=1, max_size=2), min_size=1, max_size=3)


@given(principals(scps=False), SCP_LEVELS, requests())
def test_scps_never_widen(principal: Principal, scps: list, request: tuple) -> None:
    without = decide(principal, *request)
    with_scps = decide(replace(principal, scps=scps), *request)
    assert RANK[with_scps] <= RANK[without]
    if principal.is_service_linked:
        assert with_scps is without


@given(principals(), requests())
def test_action_case_does_not_matter(principal: Principal, request: tuple[str, str]) -> None:
    action, resource = request
    expected = decide(principal, action, resource)
    assert decide(principal, action.upper(), resource) is expected
    assert decide(principal, action.lower(), resource) is expected


@given(principals(), requests())
def test_shapes_are_equivalent(principal: Principal, request: tuple[str, str]) -> None:
    assert decide(map_policies(principal, canonical), *request) is decide(principal, *request)


@given(principals(), requests())
def test_policy_boundaries_within_identity_do_not_matter(
    principal: Principal, request: tuple[str, str]
) -> None:
    expected = decide(principal, *request)
    every = [s for p in principal.identity_policies for s in statements_of(p)]
    merged = replace(principal, identity_policies=[{"Statement": every}])
    split = replace(principal, identity_policies=[{"Statement": s} for s in every])
    reordered = replace(principal, identity_policies=principal.identity_policies[::-1])
    assert decide(merged, *request) is expected
    assert decide(split, *request) is expected
    assert decide(reordered, *request) is expected


@given(principals(), requests())
def test_without_conditions_nothing_is_conditional(
    principal: Principal, request: tuple[str, str]
) -> None:
    assert decide(map_policies(principal, without_conditions), *request) is not CONDITIONAL


@given(principals(), requests())
def test_removing_conditions_keeps_the_unconditional_outcomes(
    principal: Principal, request: tuple[str, str]
) -> None:
    """Conditions only soften: an unconditional outcome stays when conditions become true."""
    before = decide(principal, *request)
    after = decide(map_policies(principal, without_conditions), *request)
    if before in (ALLOWED, DENIED):
        assert after is before
    if before is CONDITIONAL:
        assert after in (ALLOWED, DENIED)
    if before is IMPLICIT:
        assert after in (IMPLICIT, DENIED)


@given(st.lists(statements(), min_size=1, max_size=5))
def test_parser_accepts_every_generated_shape(items: list[dict]) -> None:
    parsed = parse_policy({"Statement": copy.deepcopy(items)})
    valid = [s for s in items if s["Effect"] in ("Allow", "Deny")]
    assert len(parsed.statements) == len(valid)
    assert len(parsed.ignored) == len(items) - len(valid)


SPECIAL = "ab.+%_*?:/-=,@()[]|$^\\"
TEXT = st.text(alphabet=SPECIAL, max_size=8)


@given(TEXT, TEXT)
@settings(max_examples=300)
def test_resource_matching_agrees_with_fnmatch(pattern: str, value: str) -> None:
    """fnmatch has the same `*`/`?` semantics once its `[` classes are escaped."""
    escaped = "".join("[[]" if c == "[" else c for c in pattern)
    assert resource_matches(pattern, value) is fnmatch.fnmatchcase(value, escaped)


@given(actions(), st.sampled_from(["*", "s3:*", "S3:GET*", "?3:GetObject", "iam:*Role"]))
def test_action_matching_agrees_with_fnmatch(action: str, pattern: str) -> None:
    assert action_matches(pattern, action) is fnmatch.fnmatchcase(action.lower(), pattern.lower())


# ---------------------------------------------------------------------------
# Fixed regression cases (also checked against the SQL on every engine)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_regression_case(case: Case) -> None:
    for action, resource, expected in case.expected:
        assert decide(case.principal, action, resource, AS_OF) is expected, (action, resource)


# ---------------------------------------------------------------------------
# Conditions decided at the evaluation instant

NOW = epoch_seconds(AS_OF)
ALWAYS, NEVER, UNKNOWN = ConditionVerdict.ALWAYS, ConditionVerdict.NEVER, ConditionVerdict.UNKNOWN


@pytest.mark.parametrize(
    ("condition", "verdict"),
    [
        (None, ALWAYS),
        ({}, ALWAYS),
        ({"DateLessThan": {"aws:CurrentTime": "2026-06-30T12:34:57Z"}}, ALWAYS),
        ({"DateLessThan": {"aws:CurrentTime": "2026-06-30T12:34:56Z"}}, NEVER),
        ({"DateLessThanEquals": {"aws:CurrentTime": "2026-06-30T12:34:56Z"}}, ALWAYS),
        ({"DateLessThanEquals": {"aws:CurrentTime": "2026-06-30T12:34Z"}}, NEVER),
        ({"DateGreaterThan": {"aws:CurrentTime": "2026-06-30"}}, ALWAYS),
        ({"DateGreaterThan": {"aws:CurrentTime": "2026-07-01"}}, UNKNOWN),
        ({"DateGreaterThanEquals": {"aws:epochtime": str(NOW)}}, ALWAYS),
        ({"DateEquals": {"aws:CurrentTime": str(NOW)}}, ALWAYS),
        ({"DateEquals": {"aws:CurrentTime": str(NOW - 1)}}, NEVER),
        ({"DateEquals": {"aws:CurrentTime": str(NOW + 1)}}, UNKNOWN),
        ({"DateNotEquals": {"aws:CurrentTime": [str(NOW - 1), str(NOW + 1)]}}, ALWAYS),
        ({"DateNotEquals": {"aws:CurrentTime": [str(NOW), str(NOW + 1)]}}, UNKNOWN),
        ({"NumericLessThan": {"aws:EpochTime": str(NOW)}}, NEVER),
        ({"NumericLessThanIfExists": {"aws:EpochTime": str(NOW + 1)}}, ALWAYS),
        ({"NumericLessThan": {"aws:EpochTime": "2030-01-01"}}, UNKNOWN),
        ({"NumericLessThan": {"aws:CurrentTime": str(NOW + 1)}}, UNKNOWN),
        ({"DateLessThan": {"aws:CurrentTime": ["2020-01-01", "2030-01-01"]}}, ALWAYS),
        ({"DateLessThan": {"aws:CurrentTime": ["2020-01-01", "2021-01-01"]}}, NEVER),
        ({"DateLessThan": {"aws:CurrentTime": ["2020-01-01", "junk"]}}, UNKNOWN),
        ({"DateLessThan": {"aws:CurrentTime": []}}, UNKNOWN),
        ({"DateLessThan": {}}, UNKNOWN),
        ({"DateLessThan": {"aws:CurrentTime": 1893456000}}, ALWAYS),
        ({"DateLessThan": {"aws:CurrentTime": True}}, UNKNOWN),
        ({"DateLessThan": {"aws:CurrentTime": "2030"}}, UNKNOWN),
        ({"DateLessThan": {"aws:CurrentTime": "2030-02-29"}}, UNKNOWN),
        ({"DateLessThan": {"aws:CurrentTime": "2028-02-29"}}, ALWAYS),
        ({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00+00:00"}}, UNKNOWN),
        ({"DateLessThan": {"aws:TokenIssueTime": "2030-01-01"}}, UNKNOWN),
        ({"DateLessThanIfExists": {"aws:TokenIssueTime": "2030-01-01"}}, ALWAYS),
        ({"DateLessThanIfExists": {"aws:TokenIssueTime": "2020-01-01"}}, UNKNOWN),
        ({"DateGreaterThanIfExists": {"aws:TokenIssueTime": "2020-01-01"}}, UNKNOWN),
        ({"DateNotEquals": {"aws:TokenIssueTime": "2020-01-01"}}, UNKNOWN),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, UNKNOWN),
        (
            {
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
                "DateLessThan": {"aws:CurrentTime": "2020-01-01"},
            },
            NEVER,
        ),
        (
            {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01", "AWS:CURRENTTIME": "2021-01-01"}},
            ALWAYS,
        ),
        (
            {"DateLessThan": {"aws:CurrentTime": "2030-01-01", "AWS:CURRENTTIME": "2021-01-01"}},
            NEVER,
        ),
    ],
)
def test_condition_verdicts(condition: dict | None, verdict: ConditionVerdict) -> None:
    assert condition_verdict(condition, NOW) is verdict


def test_without_an_evaluation_instant_no_condition_is_decided() -> None:
    expired = {"DateLessThan": {"aws:CurrentTime": "2020-01-01"}}
    assert condition_verdict(expired, None) is UNKNOWN
    assert condition_verdict({}, None) is ALWAYS


@given(time_values())
def test_time_values_round_trip(value: str) -> None:
    """Every well-formed generated time is decided against itself."""
    verdict = condition_verdict({"DateGreaterThanEquals": {"aws:CurrentTime": value}}, NOW)
    assert verdict in (ALWAYS, UNKNOWN)


@given(principals(), requests())
def test_decided_conditions_only_sharpen(principal: Principal, request: tuple[str, str]) -> None:
    """Deciding conditions at AS_OF never turns a decided outcome into another:
    without AS_OF every condition is undecided."""
    undecided = decide(principal, *request)
    decided = decide(principal, *request, AS_OF)
    if undecided in (ALLOWED, DENIED):
        assert decided is undecided
    if decided is CONDITIONAL:
        assert undecided is CONDITIONAL
