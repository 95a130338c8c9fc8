"""S3 of every generated account: buckets, their settings and policies, the account block.

Fills `aws_s3_buckets`, its five per-bucket child tables and `aws_s3_accounts`.
Each bucket draws five facets independently (public-access block, default
encryption, versioning, access logging, bucket policy) with weights close to
what cloud-posture surveys report: most buckets are blocked, encrypted and
versioned, a fifth lack one of them, and a few percent are public or shared
with another account. The first buckets of the organisation cycle through
every value of every facet, so each S3 control passes and fails even in the
smallest demo. Missing child rows (no versioning row at all) differ from
disabled settings, as CloudQuery's do, and a TLS-deny "decoy" that covers
only `s3:GetObject` tests that a control reads the statement, not the Sid.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable

from soc2_tools.generator.documents import document_text
from soc2_tools.generator.organisation import REGIONS, Account, Organisation, Service
from soc2_tools.generator.records import (
    ALNUM,
    POLICY_VERSION,
    Doc,
    Row,
    Statement,
    cq_id,
    forced,
    weighted,
)

TABLES = (
    "aws_s3_buckets",
    "aws_s3_accounts",
    "aws_s3_bucket_encryption_rules",
    "aws_s3_bucket_public_access_blocks",
    "aws_s3_bucket_policies",
    "aws_s3_bucket_versionings",
    "aws_s3_bucket_loggings",
)
SERVICE = Service("s3", TABLES)

BUCKET_PURPOSES = (
    "assets", "backups", "data-lake", "terraform-state", "uploads", "static-site", "ml-models",
    "exports", "cloudtrail", "reports", "artifacts", "archive",
)  # fmt: skip
S3_BLOCK_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
BUCKET_BLOCK_KEYS = (
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
)
BUCKET_FACETS: dict[str, tuple[tuple[str, float], ...]] = {
    "public_access_block": (("all", 0.68), ("partial", 0.17), ("missing", 0.15)),
    "encryption": (("kms", 0.45), ("aes256", 0.35), ("none", 0.2)),
    "versioning": (("enabled", 0.67), ("suspended", 0.1), ("never", 0.18), ("missing", 0.05)),
    "logging": (("on", 0.67), ("off", 0.25), ("missing", 0.08)),
    "policy": (
        ("tls", 0.55),
        ("tls_and_cloudfront", 0.1),
        ("cross_account", 0.08),
        ("tls_decoy", 0.04),
        ("public_read", 0.03),
        ("none", 0.2),
    ),
}


def _tls_deny(rng: random.Random, arn: str) -> Statement:
    principal: object = "*" if rng.random() < 0.7 else {"AWS": "*"}
    value: object = "false" if rng.random() < 0.85 else False
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": principal,
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": value}},
    }


def _cloudfront_read(rng: random.Random, arn: str, account_id: str) -> Statement:
    distribution = "".join(rng.choices(ALNUM, k=14))
    return {
        "Sid": "AllowCloudFrontServicePrincipal",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{arn}/*",
        "Condition": {
            "StringEquals": {
                "AWS:SourceArn": f"arn:aws:cloudfront::{account_id}:distribution/{distribution}"
            }
        },
    }


def _cross_account_read(rng: random.Random, arn: str, account_id: str) -> Statement:
    other = f"{rng.randrange(10**11, 10**12):012d}"
    return {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{other}:root"},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [arn, f"{arn}/*"],
    }


def _tls_decoy(rng: random.Random, arn: str) -> Statement:
    decoy = _tls_deny(rng, arn)
    decoy["Action"] = "s3:GetObject"
    decoy["Resource"] = f"{arn}/*"
    return decoy


def _public_read(rng: random.Random, arn: str) -> Statement:
    return {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": f"{arn}/*",
    }


BucketPolicyBuilder = Callable[[random.Random, str, str], list[Statement]]
BUCKET_POLICY_BUILDERS: dict[str, BucketPolicyBuilder] = {
    "tls": lambda rng, arn, account: [_tls_deny(rng, arn)],
    "tls_and_cloudfront": lambda rng, arn, account: [
        _cloudfront_read(rng, arn, account),
        _tls_deny(rng, arn),
    ],
    "cross_account": lambda rng, arn, account: [_cross_account_read(rng, arn, account)],
    "tls_decoy": lambda rng, arn, account: [_tls_decoy(rng, arn)],
    "public_read": lambda rng, arn, account: [_public_read(rng, arn)],
}


def buckets(org: Organisation, account: Account) -> None:
    """`buckets_per_account` buckets, the first one receiving the others' access logs."""
    log_bucket = _bucket_name(org, f"{account.alias}-access-logs")
    account.buckets.append(log_bucket)
    for _ in range(org.size.buckets_per_account - 1):
        purpose = org.rng.choice(BUCKET_PURPOSES)
        suffix = "".join(org.rng.choices(string.ascii_lowercase + string.digits, k=4))
        account.buckets.append(_bucket_name(org, f"{account.alias}-{purpose}-{suffix}"))
    for name in account.buckets:
        _bucket(org, account, name, log_bucket)


def _bucket_name(org: Organisation, wanted: str) -> str:
    """Bucket names are global: unique across the organisation."""
    name, n = wanted, 1
    while name in org.bucket_names:
        n += 1
        name = f"{wanted}-{n}"
    org.bucket_names.add(name)
    return name


def _bucket(org: Organisation, account: Account, name: str, log_bucket: str) -> None:
    index = org.next_index("bucket")
    arn = f"arn:aws:s3:::{name}"
    parent = cq_id("aws_s3_buckets", arn)
    facets = {key: _facet(org, index, offset, key) for offset, key in enumerate(BUCKET_FACETS)}
    region = account.region if org.rng.random() < 0.7 else org.rng.choice(REGIONS)
    public = facets["policy"] == "public_read"
    org.add(
        "aws_s3_buckets",
        {
            "_cq_id": parent,
            "account_id": account.account_id,
            "arn": arn,
            "creation_date": org.ago(org.rng.randint(5, 2500)),
            "name": name,
            "region": region,
            "policy_status": {"IsPublic": public} if facets["policy"] != "none" else None,
            "tags": org.tags(),
        },
    )
    child = {"_cq_parent_id": parent, "account_id": account.account_id, "bucket_arn": arn}
    _public_access_block(org, facets["public_access_block"], child)
    _encryption(org, facets["encryption"], child, account, region)
    _versioning(org, facets["versioning"], child)
    _logging(org, facets["logging"], child, log_bucket, name)
    _policy(org, facets["policy"], child, account, arn)


def _facet(org: Organisation, index: int, offset: int, key: str) -> str:
    options = BUCKET_FACETS[key]
    return forced(index, options, offset) or weighted(org.rng, options)


def _child(org: Organisation, table: str, base: Row, **values: object) -> None:
    org.add(table, {"_cq_id": cq_id(table, base["bucket_arn"]), **base, **values})


def _public_access_block(org: Organisation, facet: str, base: Row) -> None:
    if facet == "missing":
        return
    config = dict.fromkeys(BUCKET_BLOCK_KEYS, True)
    if facet == "partial":
        for key in org.rng.sample(list(BUCKET_BLOCK_KEYS), k=org.rng.randint(1, 2)):
            config[key] = False
    _child(
        org, "aws_s3_bucket_public_access_blocks", base, public_access_block_configuration=config
    )


def _encryption(org: Organisation, facet: str, base: Row, account: Account, region: str) -> None:
    if facet == "none":
        return
    rule: Row = {"SSEAlgorithm": "AES256"}
    if facet == "kms":
        key = uuid.UUID(int=org.rng.getrandbits(128))
        rule = {
            "SSEAlgorithm": "aws:kms",
            "KMSMasterKeyID": f"arn:aws:kms:{region}:{account.account_id}:key/{key}",
        }
    _child(
        org,
        "aws_s3_bucket_encryption_rules",
        base,
        apply_server_side_encryption_by_default=rule,
        bucket_key_enabled=facet == "kms" and org.rng.random() < 0.7,
    )


def _versioning(org: Organisation, facet: str, base: Row) -> None:
    if facet == "missing":
        return
    status = {"enabled": "Enabled", "suspended": "Suspended"}.get(facet)
    mfa_delete = None
    if status == "Enabled":
        mfa_delete = "Enabled" if org.rng.random() < 0.3 else "Disabled"
    elif status == "Suspended":
        mfa_delete = "Disabled"
    _child(org, "aws_s3_bucket_versionings", base, status=status, mfa_delete=mfa_delete)


def _logging(org: Organisation, facet: str, base: Row, log_bucket: str, name: str) -> None:
    if facet == "missing":
        return
    config = None
    if facet == "on":
        config = {"TargetBucket": log_bucket, "TargetPrefix": f"{name}/"}
    _child(org, "aws_s3_bucket_loggings", base, logging_enabled=config)


def _policy(org: Organisation, facet: str, base: Row, account: Account, arn: str) -> None:
    if facet == "none":
        return
    statements = BUCKET_POLICY_BUILDERS[facet](org.rng, arn, account.account_id)
    doc: Doc = {"Version": POLICY_VERSION, "Id": f"Policy{org.rng.randrange(10**12)}"}
    doc["Statement"] = statements
    _child(org, "aws_s3_bucket_policies", base, policy_json=doc, policy=document_text(org.rng, doc))


def account_block(org: Organisation, account: Account) -> None:
    """The account-level public-access block (`aws_s3_accounts`), from the account plan."""
    block = account.plan.s3_block
    flags = dict.fromkeys(S3_BLOCK_FLAGS, block == "all")
    if block == "partial":
        flags.update(block_public_acls=True, ignore_public_acls=True)
    org.add(
        "aws_s3_accounts",
        {
            "_cq_id": cq_id("aws_s3_accounts", account.account_id),
            "account_id": account.account_id,
            **flags,
            "config_exists": block != "none",
        },
    )
