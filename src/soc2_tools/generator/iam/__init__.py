"""IAM of every generated account, in CloudQuery's `aws_iam_*` tables.

One module per concern: `account` (password policy, account summary),
`managed` (the AWS-managed policies), `themes` and `policies` (customer and
inline policies, attachments), `groups`, `users`, `credentials` (keys, MFA,
credential report), `roles` and `trust`. IAM is part of the core that the
assembler builds account by account on the shared random stream, interleaved
with S3 (policies point at the account's buckets).
"""

from __future__ import annotations

from soc2_tools.generator.organisation import Service

TABLES = (
    "aws_iam_accounts",
    "aws_iam_users",
    "aws_iam_groups",
    "aws_iam_user_groups",
    "aws_iam_roles",
    "aws_iam_policies",
    "aws_iam_policy_versions",
    "aws_iam_user_policies",
    "aws_iam_group_policies",
    "aws_iam_role_policies",
    "aws_iam_user_attached_policies",
    "aws_iam_group_attached_policies",
    "aws_iam_role_attached_policies",
    "aws_iam_credential_reports",
    "aws_iam_password_policies",
    "aws_iam_user_access_keys",
    "aws_iam_mfa_devices",
)
SERVICE = Service("iam", TABLES)
