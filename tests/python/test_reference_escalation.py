"""The reference escalation decider on hand-written inventories (exact answers)."""

from __future__ import annotations

from dbt_runs import REPOSITORY
from soc2_tools.reference_escalation import (
    Finding,
    Group,
    Identity,
    Inventory,
    decide_escalation,
    load_methods,
)
from soc2_tools.reference_evaluator import Principal

METHODS = load_methods(REPOSITORY / "seeds")
DATA = ["s3:getobject", "secretsmanager:getsecretvalue"]
A = "111111111111"


def arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{A}:{kind}/{name}"


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: object, resource: object = "*", **extra: object) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def trusting(principal: object) -> dict:
    return doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})


def user(name: str, *statements: dict, **extra: object) -> Identity:
    policies = [doc(*statements)] if statements else []
    return Identity(Principal(arn("user", name), "user", policies), **extra)  # type: ignore[arg-type]


def role(name: str, trusted: object, *statements: dict) -> Identity:
    """A role whose trust policy admits `trusted` (a Principal element)."""
    policies = [doc(*statements)] if statements else []
    return Identity(Principal(arn("role", name), "role", policies), trust_policy=trusting(trusted))


ROOT = {"AWS": f"arn:aws:iam::{A}:root"}
ADMIN = allow("*")


def decide(*identities: Identity, **extra: object) -> list[Finding]:
    inventory = Inventory(identities=list(identities), **extra)  # type: ignore[arg-type]
    return decide_escalation(inventory, METHODS, DATA)


def methods_of(findings: list[Finding], principal: str) -> set[str | None]:
    return {f.method for f in findings if f.principal_arn == principal}


def test_assume_role_on_every_role_that_is_weaker_is_not_escalation() -> None:
    findings = decide(
        user("alice", allow("sts:AssumeRole")),
        role("reader", ROOT, allow("s3:ListAllMyBuckets")),
    )
    assert findings == []


def test_assume_role_reaching_an_admin_through_a_chain() -> None:
    findings = decide(
        user("alice", allow("sts:AssumeRole", arn("role", "a"))),
        role("a", {"AWS": arn("user", "alice")}, allow("sts:AssumeRole", arn("role", "b"))),
        role("b", {"AWS": arn("role", "a")}, ADMIN),
    )
    alice = arn("user", "alice")
    assert (
        Finding(
            alice,
            "privilege_escalation",
            "sts_assume_role",
            2,
            arn("role", "b"),
            f"{alice} -[sts_assume_role]-> {arn('role', 'a')}"
            f" -[sts_assume_role]-> {arn('role', 'b')}",
        )
        in findings
    )


def test_trust_naming_the_account_needs_an_identity_allow() -> None:
    findings = decide(user("alice"), role("admin", ROOT, ADMIN))
    assert findings == []


def test_trust_naming_the_principal_needs_no_identity_allow() -> None:
    findings = decide(user("alice"), role("admin", {"AWS": arn("user", "alice")}, ADMIN))
    assert methods_of(findings, arn("user", "alice")) == {"sts_assume_role"}


def test_pass_role_limited_to_weaker_roles_is_not_escalation() -> None:
    ec2 = {"Service": "ec2.amazonaws.com"}
    findings = decide(
        user("alice", allow("iam:PassRole", arn("role", "weak-*")), allow("ec2:RunInstances")),
        role("weak-ec2", ec2, allow("s3:ListAllMyBuckets")),
        role("admin-ec2", ec2, ADMIN),
    )
    assert findings == []


def test_pass_role_with_a_deny_on_the_admin_role_is_not_escalation() -> None:
    ec2 = {"Service": "ec2.amazonaws.com"}
    findings = decide(
        user(
            "alice",
            allow("iam:PassRole"),
            allow("ec2:RunInstances"),
            {"Effect": "Deny", "Action": "iam:PassRole", "Resource": arn("role", "admin-ec2")},
        ),
        role("weak-ec2", ec2, allow("s3:ListAllMyBuckets")),
        role("admin-ec2", ec2, ADMIN),
    )
    assert findings == []


def test_modify_and_assume_makes_the_role_admin() -> None:
    findings = decide(
        user("alice", allow(["iam:PutRolePolicy", "sts:AssumeRole"], arn("role", "team"))),
        role("team", ROOT, allow("s3:ListAllMyBuckets")),
    )
    assert methods_of(findings, arn("user", "alice")) == {
        "iam_put_role_policy",
        "iam_put_role_policy_assume_role",
        "sts_assume_role",
    }


def test_reaching_data_rights_is_lateral_access_not_escalation() -> None:
    findings = decide(
        user("alice", allow("sts:AssumeRole", arn("role", "reader"))),
        role("reader", {"AWS": arn("user", "alice")}, allow("s3:GetObject")),
    )
    alice = arn("user", "alice")
    assert findings == [
        Finding(
            alice,
            "lateral_access",
            None,
            1,
            arn("role", "reader"),
            f"{alice} -[sts_assume_role]-> {arn('role', 'reader')}",
        )
    ]


def test_a_source_that_escalates_alone_needs_an_admin_to_report_a_path() -> None:
    """Reaching a principal that can escalate, when the source can too, adds nothing."""
    alice = arn("user", "alice")
    findings = decide(
        user("alice", allow("iam:PutUserPolicy", alice), allow("sts:AssumeRole", arn("role", "b"))),
        role("b", ROOT, allow("iam:PutRolePolicy", arn("role", "b"))),
    )
    assert methods_of(findings, alice) == {"iam_put_user_policy"}


def test_editing_a_group_policy_governs_its_members() -> None:
    group = arn("group", "team")
    findings = decide(
        user("alice", allow(["iam:PutGroupPolicy", "iam:CreateAccessKey"])),
        user("bob", groups=(group,)),
        groups=[Group(group)],
    )
    bob = arn("user", "bob")
    keys = [f for f in findings if f.method == "iam_create_access_key"]
    assert [(f.reached_arn, f.step_count) for f in keys] == [(bob, 1)]


# ---------------------------------------------------------------------------
# Trust conditions on the caller's identity are decided per caller

B = "222222222222"


def other(kind: str, name: str) -> str:
    return f"arn:aws:iam::{B}:{kind}/{name}"


def outsider(name: str, *statements: dict) -> Identity:
    return Identity(Principal(other("user", name), "user", [doc(*statements)]))


def conditional_role(name: str, principal: object, condition: dict) -> Identity:
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": principal,
            "Action": "sts:AssumeRole",
            "Condition": condition,
        }
    )
    return Identity(Principal(arn("role", name), "role", [doc(ADMIN)]), trust_policy=trust)


def escalating(findings: list[Finding]) -> set[str]:
    return {f.principal_arn for f in findings if f.finding_type == "privilege_escalation"}


def test_anyone_narrowed_to_an_account_admits_only_that_account() -> None:
    narrowed = conditional_role("admin", "*", {"StringEquals": {"aws:PrincipalAccount": A}})
    findings = decide(
        user("alice", allow("sts:AssumeRole")), outsider("eve", allow("sts:AssumeRole")), narrowed
    )
    assert escalating(findings) == {arn("user", "alice")}


def test_resource_account_variable_names_the_role_account() -> None:
    narrowed = conditional_role(
        "admin", "*", {"StringEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}
    )
    findings = decide(
        user("alice", allow("sts:AssumeRole")), outsider("eve", allow("sts:AssumeRole")), narrowed
    )
    assert escalating(findings) == {arn("user", "alice")}


def test_principal_arn_admits_the_callers_it_matches() -> None:
    narrowed = conditional_role(
        "admin",
        {"AWS": f"arn:aws:iam::{B}:root"},
        {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{B}:user/deploy-*"}},
    )
    findings = decide(
        outsider("deploy-1", allow("sts:AssumeRole")),
        outsider("eve", allow("sts:AssumeRole")),
        narrowed,
    )
    assert escalating(findings) == {other("user", "deploy-1")}


def test_organisation_condition_per_caller() -> None:
    """Known organisation: compared; unknown, with the organisation's member list
    known: not a member; unknown and not listed: the condition may hold."""
    narrowed = conditional_role("admin", "*", {"StringEquals": {"aws:PrincipalOrgID": "o-own"}})
    identities = (
        user("alice", allow("sts:AssumeRole")),
        outsider("eve", allow("sts:AssumeRole")),
        narrowed,
    )
    assert escalating(decide(*identities, organizations={A: "o-own", B: "o-other"})) == {
        arn("user", "alice")
    }
    assert escalating(
        decide(*identities, organizations={A: "o-own"}, listed_organizations={"o-own"})
    ) == {arn("user", "alice")}
    assert escalating(decide(*identities, organizations={A: "o-own"})) == {
        arn("user", "alice"),
        other("user", "eve"),
    }


def test_conditions_that_do_not_describe_the_caller_may_hold() -> None:
    narrowed = conditional_role(
        "admin",
        "*",
        {
            "StringEquals": {"aws:SourceAccount": A, "sts:ExternalId": "x"},
            "StringNotEquals": {"aws:PrincipalAccount": B},
            "StringLike": {"aws:PrincipalAccount": "2222*"},
        },
    )
    findings = decide(outsider("eve", allow("sts:AssumeRole")), narrowed)
    assert escalating(findings) == {other("user", "eve")}


def test_a_named_principal_must_satisfy_the_conditions_too() -> None:
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"AWS": arn("user", "alice")},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:PrincipalAccount": B}},
        }
    )
    admin = Identity(Principal(arn("role", "admin"), "role", [doc(ADMIN)]), trust_policy=trust)
    assert decide(user("alice"), admin) == []
