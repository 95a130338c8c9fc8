"""Role trust policies: who may assume each kind of role.

Most roles trust an AWS service, the management account, an OIDC or SAML
provider, or a named CI role, as well-run estates do; the vendor role trusts
a third party behind an external id and the break-glass role demands MFA.
A few are open to any principal (`*`), bare, behind a guessable external id
or behind `aws:PrincipalOrgID`, which are the cases a trust review must
tell apart: only the first is public, the others are merely broad.
"""

from __future__ import annotations

import random

from soc2_tools.generator.organisation import Account, Organisation
from soc2_tools.generator.records import POLICY_VERSION, Doc, Statement

SERVICE_PRINCIPALS = {
    "support_slr": "support.amazonaws.com",
    "ec2": "ec2.amazonaws.com",
    "lambda": "lambda.amazonaws.com",
    "ecs": "ecs-tasks.amazonaws.com",
    "glue": "glue.amazonaws.com",
}


def trust_policy(org: Organisation, account: Account, kind: str) -> Doc:
    """The trust document of a role of `kind`; its one statement is sometimes not in a list."""
    statement = _trust_statement(org, account, kind)
    body: object = [statement]
    if org.rng.random() < 0.15:
        body = statement
    return {"Version": POLICY_VERSION, "Statement": body}


def _trust_statement(org: Organisation, account: Account, kind: str) -> Statement:
    rng = org.rng
    management = org.account_ids[0]
    assume: Statement = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    if kind in SERVICE_PRINCIPALS:
        service: object = SERVICE_PRINCIPALS[kind]
        if kind == "lambda" and rng.random() < 0.2:
            service = [service, "edgelambda.amazonaws.com"]
        return {**assume, "Principal": {"Service": service}}
    if kind == "org_access":
        return {**assume, "Principal": {"AWS": f"arn:aws:iam::{management}:root"}}
    if kind == "breakglass":
        condition = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        principal = {"AWS": f"arn:aws:iam::{account.account_id}:root"}
        return {**assume, "Principal": principal, "Condition": condition}
    if kind == "cross_account_deploy":
        source = org.account_ids[-1] if account.account_id == management else management
        return {**assume, "Principal": {"AWS": [f"arn:aws:iam::{source}:role/ci-runner"]}}
    if kind == "vendor_audit":
        condition = {"StringEquals": {"sts:ExternalId": f"{rng.getrandbits(96):024x}"}}
        principal = {"AWS": f"arn:aws:iam::{org.vendor_account}:root"}
        return {**assume, "Principal": principal, "Condition": condition}
    if kind == "github_oidc":
        return _oidc_trust(account)
    if kind.startswith("sso"):
        return _saml_trust(account, rng)
    return _public_trust(org, kind)


def _oidc_trust(account: Account) -> Statement:
    issuer = "token.actions.githubusercontent.com"
    return {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{account.account_id}:oidc-provider/{issuer}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{issuer}:sub": "repo:acme/*:ref:refs/heads/main"},
        },
    }


def _saml_trust(account: Account, rng: random.Random) -> Statement:
    provider = f"AWSSSO_{rng.getrandbits(64):016x}_DO_NOT_DELETE"
    return {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{account.account_id}:saml-provider/{provider}"},
        "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    }


def _public_trust(org: Organisation, kind: str) -> Statement:
    principal: object = "*" if org.rng.random() < 0.5 else {"AWS": "*"}
    statement: Statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if kind == "public_external_id":
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": "partner-7731"}}
    elif kind == "public_org_id":
        statement["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": org.org_id}}
    return statement
