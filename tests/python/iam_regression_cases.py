"""Fixed IAM decision cases, each with the decision AWS's rules give.

Every counterexample the differential tests have found is kept here, next to
hand-written cases for the rules it exposed. The reference evaluator must give
the stated decision (test_reference_evaluator.py), and so must the package's
SQL on every engine (test_differential_iam.py), at the evaluation instant
iam_strategies.AS_OF (2026-06-30 12:34:56 UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from soc2_tools.reference_evaluator import Decision, Principal

ALLOWED = Decision.ALLOWED
CONDITIONAL = Decision.ALLOWED_CONDITIONALLY
DENIED = Decision.DENIED
IMPLICIT = Decision.IMPLICIT_DENY

OBJECT = "arn:aws:s3:::bucket-a/report.csv"
ROLE = "arn:aws:iam::111111111111:role/Admin"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}

# Times around the evaluation instant 2026-06-30 12:34:56 UTC (epoch 1782822896).
PAST_DATE = "2020-01-01"
FUTURE_DATE = "2030-01-01"
AS_OF_TEXT = "2026-06-30T12:34:56Z"
AS_OF_EPOCH = "1782822896"
SECOND_BEFORE_EPOCH = "1782822895"
SECOND_AFTER_EPOCH = "1782822897"


@dataclass(frozen=True)
class Case:
    name: str
    principal: Principal
    expected: tuple[tuple[str, str, Decision], ...]


def _statement(effect: str, action: Any, **extra: Any) -> dict[str, Any]:
    key = "NotAction" if extra.pop("not_action", False) else "Action"
    return {"Effect": effect, key: action, "Resource": extra.pop("resource", "*"), **extra}


def allow(action: Any = "*", **extra: Any) -> dict[str, Any]:
    return _statement("Allow", action, **extra)


def deny(action: Any = "*", **extra: Any) -> dict[str, Any]:
    return _statement("Deny", action, **extra)


def policy(*items: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(items)}


def user(*identity: dict[str, Any], **caps: Any) -> Principal:
    return Principal("arn:aws:iam::111111111111:user/alice", "user", list(identity), **caps)


def role(*identity: dict[str, Any], **caps: Any) -> Principal:
    return Principal("arn:aws:iam::111111111111:role/app", "role", list(identity), **caps)


def everything(decision: Decision) -> tuple[tuple[str, str, Decision], ...]:
    return (
        ("s3:GetObject", OBJECT, decision),
        ("iam:PassRole", ROLE, decision),
        ("ec2:RunInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", decision),
    )


ADMIN = policy(allow("*"))

CASES: tuple[Case, ...] = (
    # -- NotAction listing `*` matches every action: the statement applies to none
    Case(
        "deny NotAction * denies nothing",
        user(ADMIN, policy(deny("*", not_action=True))),
        everything(ALLOWED),
    ),
    Case(
        "deny NotAction [*, s3:GetObject] under a condition denies nothing",
        user(ADMIN, policy(deny(["s3:GetObject", "*"], not_action=True, Condition=MFA))),
        everything(ALLOWED),
    ),
    Case(
        "deny NotAction ** denies nothing",
        role(ADMIN, policy(deny("**", not_action=True, resource=OBJECT))),
        everything(ALLOWED),
    ),
    Case(
        "allow NotAction * grants nothing",
        user(policy(allow(["*", "iam:PassRole"], not_action=True))),
        everything(IMPLICIT),
    ),
    Case(
        "boundary NotAction * allows nothing",
        role(ADMIN, boundary=policy(allow("*", not_action=True))),
        everything(IMPLICIT),
    ),
    Case(
        "deny NotAction s3:* still denies the rest",
        user(ADMIN, policy(deny("s3:*", not_action=True))),
        (
            ("s3:GetObject", OBJECT, ALLOWED),
            ("iam:PassRole", ROLE, DENIED),
        ),
    ),
    # -- an Effect other than exactly Allow or Deny is malformed: the statement is ignored
    Case(
        "Effect allow, DENY and Permit take no part",
        user(
            policy(
                {"Effect": "allow", "Action": "*", "Resource": "*"},
                {"Effect": "Permit", "Action": "s3:*", "Resource": "*"},
                allow("s3:GetObject"),
                {"Effect": "DENY", "Action": "s3:GetObject", "Resource": "*"},
            )
        ),
        (
            ("s3:GetObject", OBJECT, ALLOWED),
            ("s3:PutObject", OBJECT, IMPLICIT),
            ("iam:PassRole", ROLE, IMPLICIT),
        ),
    ),
    Case(
        "a boundary whose only statement has Effect allow allows nothing",
        user(ADMIN, boundary=policy({"Effect": "allow", "Action": "*", "Resource": "*"})),
        everything(IMPLICIT),
    ),
    Case(
        "an SCP whose only statement has Effect Permit allows nothing",
        role(ADMIN, scps=[[policy({"Effect": "Permit", "Action": "*", "Resource": "*"})]]),
        everything(IMPLICIT),
    ),
    # -- time conditions decided at the evaluation instant
    Case(
        "a grant that expired is not granted",
        user(policy(allow("*", Condition={"DateLessThan": {"aws:CurrentTime": PAST_DATE}}))),
        everything(IMPLICIT),
    ),
    Case(
        "a grant in force until a later date is granted",
        user(policy(allow("*", Condition={"DateLessThan": {"aws:CurrentTime": FUTURE_DATE}}))),
        everything(ALLOWED),
    ),
    Case(
        "a grant that starts later stays conditional",
        user(policy(allow("*", Condition={"DateGreaterThan": {"aws:CurrentTime": FUTURE_DATE}}))),
        everything(CONDITIONAL),
    ),
    Case(
        "a Deny in force since an earlier date denies",
        user(
            ADMIN, policy(deny("*", Condition={"DateGreaterThan": {"aws:EpochTime": "1577836800"}}))
        ),
        everything(DENIED),
    ),
    Case(
        "a Deny that ended denies nothing; one that starts later is conditional",
        user(
            ADMIN,
            policy(
                deny("s3:*", Condition={"DateLessThanEquals": {"aws:CurrentTime": PAST_DATE}}),
                deny(
                    "iam:*", Condition={"NumericGreaterThan": {"aws:EpochTime": SECOND_AFTER_EPOCH}}
                ),
            ),
        ),
        (
            ("s3:GetObject", OBJECT, ALLOWED),
            ("iam:PassRole", ROLE, CONDITIONAL),
        ),
    ),
    Case(
        "DateEquals: the instant itself holds, an earlier one never will, a later one may",
        user(
            policy(
                allow("s3:GetObject", Condition={"DateEquals": {"aws:CurrentTime": AS_OF_TEXT}}),
                allow(
                    "s3:PutObject", Condition={"DateEquals": {"aws:EpochTime": SECOND_BEFORE_EPOCH}}
                ),
                allow(
                    "iam:PassRole", Condition={"DateEquals": {"aws:EpochTime": SECOND_AFTER_EPOCH}}
                ),
            )
        ),
        (
            ("s3:GetObject", OBJECT, ALLOWED),
            ("s3:PutObject", OBJECT, IMPLICIT),
            ("iam:PassRole", ROLE, CONDITIONAL),
        ),
    ),
    Case(
        "several values: any may match; several keys and operators: all must",
        user(
            policy(
                allow(
                    "s3:GetObject",
                    Condition={"DateLessThan": {"aws:CurrentTime": [PAST_DATE, FUTURE_DATE]}},
                ),
                allow(
                    "s3:PutObject",
                    Condition={
                        "DateLessThan": {"aws:CurrentTime": FUTURE_DATE},
                        "NumericLessThan": {"aws:EpochTime": AS_OF_EPOCH},
                    },
                ),
                allow(
                    "iam:PassRole",
                    Condition={
                        "DateGreaterThan": {
                            "aws:CurrentTime": PAST_DATE,
                            "aws:EpochTime": "2029-12-31T23:59Z",
                        }
                    },
                ),
            )
        ),
        (
            ("s3:GetObject", OBJECT, ALLOWED),
            ("s3:PutObject", OBJECT, IMPLICIT),
            ("iam:PassRole", ROLE, CONDITIONAL),
        ),
    ),
    Case(
        "NotEquals with several values holds when the instant is none of them",
        user(
            policy(
                allow(
                    "s3:GetObject",
                    Condition={"DateNotEquals": {"aws:CurrentTime": [PAST_DATE, FUTURE_DATE]}},
                ),
                allow(
                    "s3:PutObject",
                    Condition={"NumericNotEquals": {"aws:EpochTime": [AS_OF_EPOCH, "1"]}},
                ),
            )
        ),
        (
            ("s3:GetObject", OBJECT, ALLOWED),
            ("s3:PutObject", OBJECT, CONDITIONAL),
        ),
    ),
    Case(
        "a decided time beside an undecided key stays conditional; a never-key wins",
        user(
            policy(
                allow(
                    "s3:GetObject",
                    Condition={**MFA, "DateLessThan": {"aws:CurrentTime": FUTURE_DATE}},
                ),
                allow(
                    "s3:PutObject",
                    Condition={**MFA, "DateLessThan": {"aws:CurrentTime": PAST_DATE}},
                ),
            )
        ),
        (
            ("s3:GetObject", OBJECT, CONDITIONAL),
            ("s3:PutObject", OBJECT, IMPLICIT),
        ),
    ),
    Case(
        "IfExists on the clock is the plain operator; malformed values stay undecided",
        user(
            policy(
                allow(
                    "s3:GetObject",
                    Condition={"DateLessThanIfExists": {"aws:CurrentTime": PAST_DATE}},
                ),
                allow(
                    "s3:PutObject", Condition={"DateLessThan": {"aws:CurrentTime": "2026-02-30"}}
                ),
                allow(
                    "iam:PassRole", Condition={"NumericLessThan": {"aws:EpochTime": FUTURE_DATE}}
                ),
                allow("ec2:RunInstances", Condition={"DateLessThan": {"aws:CurrentTime": "2030"}}),
            )
        ),
        (
            ("s3:GetObject", OBJECT, IMPLICIT),
            ("s3:PutObject", OBJECT, CONDITIONAL),
            ("iam:PassRole", ROLE, CONDITIONAL),
            ("ec2:RunInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", CONDITIONAL),
        ),
    ),
    Case(
        "aws:TokenIssueTime: only 'issued before a later time, if any token' is decided",
        user(
            policy(
                allow(
                    "s3:GetObject",
                    Condition={"DateLessThanIfExists": {"aws:TokenIssueTime": FUTURE_DATE}},
                ),
                allow(
                    "s3:PutObject", Condition={"DateLessThan": {"aws:TokenIssueTime": FUTURE_DATE}}
                ),
                allow(
                    "iam:PassRole",
                    Condition={"DateLessThanIfExists": {"aws:TokenIssueTime": PAST_DATE}},
                ),
            ),
            policy(deny("ec2:*", Condition={"DateLessThan": {"aws:TokenIssueTime": PAST_DATE}})),
        ),
        (
            ("s3:GetObject", OBJECT, ALLOWED),
            ("s3:PutObject", OBJECT, CONDITIONAL),
            ("iam:PassRole", ROLE, CONDITIONAL),
            ("ec2:RunInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc", IMPLICIT),
        ),
    ),
    Case(
        "a boundary whose only grant expired allows nothing",
        role(
            ADMIN,
            boundary=policy(allow("*", Condition={"DateLessThan": {"aws:CurrentTime": PAST_DATE}})),
        ),
        everything(IMPLICIT),
    ),
    Case(
        "an SCP whose grant holds until later allows unconditionally",
        role(
            ADMIN,
            scps=[
                [
                    policy(
                        allow(
                            "*", Condition={"DateGreaterThanEquals": {"aws:EpochTime": AS_OF_EPOCH}}
                        )
                    )
                ]
            ],
        ),
        everything(ALLOWED),
    ),
)
