"""The S3 bucket settings beyond the core: ACL grants, ownership, object lock, replication,
lifecycle rules and event notifications, plus IAM server certificates and root virtual MFA.

Reads the buckets the core made (`aws_s3_buckets`) and draws from its own
stream, so the core tables stay byte-identical. The mix follows what a
grown estate shows: buckets made since April 2023 have ACLs disabled
(BucketOwnerEnforced, the new default) while older ones often still let the
object writer own objects and carry an occasional AllUsers grant; object
lock and replication are for the few buckets holding backups and audit
trails; most buckets expire or transition objects; a minority
notify a queue, a function or EventBridge. A few accounts keep uploaded
server certificates, one in four of them expired, and some root users
protect their sign-in with a virtual rather than a hardware MFA device.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from soc2_tools.generator.organisation import Organisation, Service
from soc2_tools.generator.records import cq_id

TABLES = (
    "aws_s3_bucket_grants",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_object_lock_configurations",
    "aws_s3_bucket_replications",
    "aws_s3_bucket_lifecycles",
    "aws_s3_bucket_notification_configurations",
    "aws_iam_server_certificates",
    "aws_iam_virtual_mfa_devices",
)
ACLS_DISABLED_SINCE = datetime(2023, 4, 1)
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def generate(org: Organisation) -> None:
    """Per-bucket settings for every bucket, then certificates and root MFA devices."""
    rng = org.stream("s3_settings")
    for number, bucket in enumerate(org.tables["aws_s3_buckets"]):
        _bucket(org, rng, bucket, number)
    for account in org.accounts:
        _certificates(org, rng, account.account_id, account.index)
        if account.plan.root_mfa and (
            account.index == 1 or (account.index > 2 and rng.random() < 0.5)
        ):
            _root_virtual_mfa(org, account.account_id, account.created)


def _child(org: Organisation, table: str, bucket: dict, key: object = "", **row: object) -> None:
    org.add(
        table,
        {
            "_cq_id": cq_id(table, bucket["arn"], key),
            "_cq_parent_id": bucket["_cq_id"],
            "account_id": bucket["account_id"],
            "bucket_arn": bucket["arn"],
            **row,
        },
    )


def _bucket(org: Organisation, rng: random.Random, bucket: dict, number: int) -> None:
    owner = f"{rng.getrandbits(256):064x}"
    modern = bucket["creation_date"] >= ACLS_DISABLED_SINCE
    enforced = modern or rng.random() < 0.4 if number > 1 else number == 0
    ownership = (
        "BucketOwnerEnforced" if enforced else rng.choice(("ObjectWriter", "BucketOwnerPreferred"))
    )
    _child(org, "aws_s3_bucket_ownership_controls", bucket, object_ownership=ownership)
    grants = [("CanonicalUser", owner, "FULL_CONTROL")]
    if not enforced and (number == 1 or rng.random() < 0.15):
        grants.append(("Group", ALL_USERS, "READ" if rng.random() < 0.8 else "WRITE"))
    for kind, grantee, permission in grants:
        detail = (
            {"Type": kind, "ID": grantee}
            if kind == "CanonicalUser"
            else {"Type": kind, "URI": grantee}
        )
        _child(
            org,
            "aws_s3_bucket_grants",
            bucket,
            (grantee, permission),
            grantee_type=kind,
            grantee_id=grantee,
            permission=permission,
            grantee=detail,
        )
    protected = number == 0 or (number > 1 and rng.random() < 0.2)
    if protected:
        _child(
            org,
            "aws_s3_bucket_object_lock_configurations",
            bucket,
            object_lock_enabled="Enabled",
            rule={
                "DefaultRetention": {"Mode": rng.choice(("COMPLIANCE", "GOVERNANCE")), "Days": 365}
            },
        )
    if protected or rng.random() < 0.35:
        account = bucket["account_id"]
        peers = [
            other
            for other in org.tables["aws_s3_buckets"]
            if other["account_id"] == account and other["arn"] != bucket["arn"]
        ]
        elsewhere = [other for other in peers if other["region"] != bucket["region"]]
        target = rng.choice(elsewhere or peers)["arn"] if peers else f"{bucket['arn']}-replica"
        _child(
            org,
            "aws_s3_bucket_replications",
            bucket,
            replication_configuration={
                "Role": f"arn:aws:iam::{account}:role/s3-replication",
                "Rules": [
                    {
                        "ID": "to-dr-region",
                        "Status": "Enabled",
                        "Priority": 1,
                        "Destination": {"Bucket": target},
                    }
                ],
            },
        )
    if number == 0 or (number > 1 and rng.random() < 0.7):
        expiring = rng.random() < 0.6
        _child(
            org,
            "aws_s3_bucket_lifecycles",
            bucket,
            "expire" if expiring else "archive",
            id="expire-old" if expiring else "archive",
            status="Enabled" if rng.random() < 0.9 else "Disabled",
            expiration={"Days": rng.choice((90, 365, 730))} if expiring else None,
            noncurrent_version_expiration={"NoncurrentDays": 30},
            transitions=[] if expiring else [{"Days": 90, "StorageClass": "GLACIER"}],
            noncurrent_version_transitions=[],
        )
    notify = number == 0 or (number > 1 and rng.random() < 0.45)
    if notify or rng.random() < 0.5:
        function = f"arn:aws:lambda:{bucket['region']}:{bucket['account_id']}:function:scan"
        lambdas = []
        if notify:
            lambdas = [
                {
                    "Id": "on-upload",
                    "Events": ["s3:ObjectCreated:*"],
                    "LambdaFunctionArn": function,
                }
            ]
        _child(
            org,
            "aws_s3_bucket_notification_configurations",
            bucket,
            event_bridge_configuration=None,
            lambda_function_configurations=lambdas,
            queue_configurations=[],
            topic_configurations=[],
        )


def _certificates(org: Organisation, rng: random.Random, account_id: str, index: int) -> None:
    count = 2 if index == 0 else rng.choice((0, 0, 1, 2))
    for number in range(count):
        expired = (index == 0 and number == 1) or (index != 0 and rng.random() < 0.25)
        name = f"legacy-tls-{number + 1}"
        uploaded = org.as_of - timedelta(days=rng.randint(400, 1500))
        expires = org.as_of + timedelta(
            days=rng.randint(-300, -1) if expired else rng.randint(30, 700)
        )
        org.add(
            "aws_iam_server_certificates",
            {
                "_cq_id": cq_id("aws_iam_server_certificates", account_id, name),
                "account_id": account_id,
                "id": "ASCA" + f"{rng.getrandbits(80):020x}".upper()[:17],
                "arn": f"arn:aws:iam::{account_id}:server-certificate/{name}",
                "server_certificate_name": name,
                "expiration": expires,
                "upload_date": uploaded,
            },
        )


def _root_virtual_mfa(org: Organisation, account_id: str, created: datetime) -> None:
    serial = f"arn:aws:iam::{account_id}:mfa/root-account-mfa-device"
    org.add(
        "aws_iam_virtual_mfa_devices",
        {
            "_cq_id": cq_id("aws_iam_virtual_mfa_devices", serial),
            "account_id": account_id,
            "serial_number": serial,
            "enable_date": created + timedelta(days=1),
            "tags": {},
            "user": {"Arn": f"arn:aws:iam::{account_id}:root"},
        },
    )


SERVICE = Service("s3_settings", TABLES, generate)
