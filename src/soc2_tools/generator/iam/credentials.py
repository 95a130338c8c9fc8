"""Credentials: access keys, MFA devices and the credential report, users and root alike.

Fills `aws_iam_user_access_keys`, `aws_iam_mfa_devices` and
`aws_iam_credential_reports`. The report agrees with the key and MFA rows, as
AWS's does, so controls may read either. Keys are mostly young and recently
used, but some are past rotation, unused for months or never used, some
users hold two active keys, and a few MFA devices are hardware tokens with a
serial instead of an ARN: the mix an access review finds. Root rows follow
the account plan (a root key in some accounts, no root MFA in others).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from soc2_tools.generator.organisation import REGIONS, Account, Organisation
from soc2_tools.generator.records import Principal, Row, cq_id

# Services a key was last used with.
KEY_SERVICES = ("s3", "ec2", "sts", "iam", "dynamodb", "lambda", "logs", "kms", "sqs")


@dataclass(frozen=True)
class KeyPlan:
    """One access key: active or not, its age and days since last use (None: never used)."""

    active: bool
    age_days: int
    last_used_days: int | None


def access_key(org: Organisation, account: Account, user: Principal, key: KeyPlan) -> Row:
    """The `aws_iam_user_access_keys` row of one key; last use is never before creation."""
    key_id = org.aws_id("AKIA", 16)
    created = org.ago(key.age_days)
    last_used = None if key.last_used_days is None else org.ago(key.last_used_days)
    if last_used is not None and last_used < created:
        last_used = created + timedelta(hours=1)
    table = "aws_iam_user_access_keys"
    return org.add(
        table,
        {
            "_cq_id": cq_id(table, account.account_id, user.arn, key_id),
            "_cq_parent_id": user.cq_id,
            "account_id": account.account_id,
            "user_arn": user.arn,
            "access_key_id": key_id,
            "user_id": user.entity_id,
            "last_used": last_used,
            "last_used_service_name": org.rng.choice(KEY_SERVICES) if last_used else None,
            "create_date": created,
            "status": "Active" if key.active else "Inactive",
            "user_name": user.name,
            "last_rotated": created,
        },
    )


def user_report(
    org: Organisation,
    account: Account,
    user: Principal,
    *,
    console: bool,
    mfa: bool,
    created_days: int,
    keys: list[Row],
) -> None:
    """The credential-report row of a user, consistent with its keys and password."""
    created = user.row["create_date"]
    row: Row = {
        "_cq_id": cq_id("aws_iam_credential_reports", user.arn, created),
        "arn": user.arn,
        "user": user.name,
        "user_creation_time": created,
        "password_enabled": "true" if console else "false",
        "password_last_used": user.row["password_last_used"],
        "mfa_active": mfa,
        "cert1_active": False,
        "cert2_active": False,
    }
    if console:
        changed = org.ago(org.rng.randint(0, min(created_days, 200)))
        row["password_last_changed"] = changed
        max_age = account.max_password_age
        row["password_next_rotation"] = changed + timedelta(days=max_age) if max_age else None
    for slot in (1, 2):
        row.update(_key_report(slot, keys[slot - 1] if len(keys) >= slot else None, org.rng))
    org.add("aws_iam_credential_reports", row)


def _key_report(slot: int, key: Row | None, rng: random.Random) -> Row:
    prefix, flag = f"access_key_{slot}", f"access_key{slot}"
    if key is None:
        return {
            f"{flag}_active": False,
            f"{flag}_last_used_region": "N/A",
            f"{flag}_last_used_service": "N/A",
        }
    used = key["last_used"]
    return {
        f"{flag}_active": key["status"] == "Active",
        f"{prefix}_last_rotated": key["create_date"],
        f"{prefix}_last_used_date": used,
        f"{flag}_last_used_region": rng.choice(REGIONS) if used else "N/A",
        f"{flag}_last_used_service": key["last_used_service_name"] if used else "N/A",
    }


def mfa_device(org: Organisation, account: Account, user: Principal, created: datetime) -> None:
    """A virtual MFA device, or now and then a hardware token, enabled soon after creation."""
    serial = f"arn:aws:iam::{account.account_id}:mfa/{user.name}"
    if org.rng.random() < 0.15:
        serial = f"GAHT{org.rng.randrange(10**7, 10**8)}"
    table = "aws_iam_mfa_devices"
    org.add(
        table,
        {
            "_cq_id": cq_id(table, serial),
            "_cq_parent_id": user.cq_id,
            "account_id": account.account_id,
            "serial_number": serial,
            "enable_date": created + timedelta(hours=org.rng.randint(1, 72)),
            "user_name": user.name,
        },
    )
    account.mfa_devices += 1


def root_report(org: Organisation, account: Account) -> None:
    """The `<root_account>` row of the credential report, from the account plan."""
    arn = f"arn:aws:iam::{account.account_id}:root"
    key_active = account.plan.root_key
    rotated = org.ago(org.rng.randint(300, 900)) if key_active else None
    used = org.ago(org.rng.randint(1, 40)) if key_active else None
    row: Row = {
        "_cq_id": cq_id("aws_iam_credential_reports", arn, account.created),
        "arn": arn,
        "user": "<root_account>",
        "user_creation_time": account.created,
        "password_enabled": "not_supported",
        "password_last_used": org.ago(org.rng.randint(5, 400)),
        "mfa_active": account.plan.root_mfa,
        "access_key1_active": key_active,
        "access_key2_active": False,
        "access_key_1_last_rotated": rotated,
        "access_key_1_last_used_date": used,
        "access_key1_last_used_region": "us-east-1" if used else "N/A",
        "access_key1_last_used_service": "s3" if used else "N/A",
        "access_key2_last_used_region": "N/A",
        "access_key2_last_used_service": "N/A",
        "cert1_active": False,
        "cert2_active": False,
    }
    org.add("aws_iam_credential_reports", row)
