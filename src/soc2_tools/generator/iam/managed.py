"""The AWS-managed policies the generated accounts attach, abridged from their real text.

CloudQuery lists every AWS-managed policy once per account that has it
attached, with the same id, ARN and document; the generator does the same. The
set is the one real estates lean on, including the risky ones
(AdministratorAccess, IAMFullAccess, PowerUserAccess with its `NotAction`) next
to the read-only ones, so both sides of the least-privilege controls occur.
Versions and dates are fixed so that the rows are identical across accounts.
"""

from __future__ import annotations

from datetime import datetime

from soc2_tools.generator.records import Statement


def _allow(
    actions: str, *, key: str = "Action", condition: dict[str, object] | None = None
) -> Statement:
    values = actions.split()
    statement: Statement = {"Effect": "Allow", key: values[0] if len(values) == 1 else values}
    statement["Resource"] = "*"
    if condition:
        statement["Condition"] = condition
    return statement


_SERVICE_LINKED_CONDITION: dict[str, object] = {
    "StringEquals": {
        "iam:AWSServiceName": [
            "autoscaling.amazonaws.com",
            "ec2scheduled.amazonaws.com",
            "elasticloadbalancing.amazonaws.com",
        ]
    }
}
# name -> (path, default version, statements)
AWS_MANAGED: dict[str, tuple[str, str, list[Statement]]] = {
    "AdministratorAccess": ("/", "v1", [_allow("*")]),
    "ReadOnlyAccess": (
        "/",
        "v118",
        [
            _allow(
                "a4b:Get* acm:Describe* cloudtrail:Get* cloudtrail:Describe* dynamodb:Describe* "
                "dynamodb:Get* dynamodb:Query dynamodb:Scan ec2:Describe* ec2:Get* iam:Get* "
                "iam:List* iam:Generate* kms:Describe* kms:List* lambda:Get* lambda:List* "
                "logs:Get* logs:Describe* s3:Get* s3:List* sqs:Get* sqs:List*"
            )
        ],
    ),
    "PowerUserAccess": (
        "/",
        "v5",
        [
            _allow("iam:* organizations:* account:*", key="NotAction"),
            _allow(
                "iam:CreateServiceLinkedRole iam:DeleteServiceLinkedRole iam:ListRoles "
                "organizations:DescribeOrganization account:ListRegions"
            ),
        ],
    ),
    "SecurityAudit": (
        "/",
        "v41",
        [
            _allow(
                "access-analyzer:List* cloudtrail:DescribeTrails config:Describe* ec2:Describe* "
                "guardduty:Get* iam:GenerateCredentialReport iam:Get* iam:List* "
                "iam:SimulateCustomPolicy kms:Describe* kms:Get* kms:List* s3:GetBucket* "
                "s3:ListAllMyBuckets"
            )
        ],
    ),
    "IAMFullAccess": (
        "/",
        "v2",
        [
            _allow("iam:*"),
            _allow(
                "organizations:DescribeAccount organizations:DescribeOrganization "
                "organizations:ListAccounts"
            ),
        ],
    ),
    "AmazonS3FullAccess": ("/", "v2", [_allow("s3:* s3-object-lambda:*")]),
    "AmazonS3ReadOnlyAccess": ("/", "v3", [_allow("s3:Get* s3:List* s3-object-lambda:Get*")]),
    "AmazonEC2FullAccess": (
        "/",
        "v5",
        [
            _allow("ec2:*"),
            _allow("elasticloadbalancing:*"),
            _allow("cloudwatch:*"),
            _allow("iam:CreateServiceLinkedRole", condition=_SERVICE_LINKED_CONDITION),
        ],
    ),
    "AWSLambdaBasicExecutionRole": (
        "/service-role/",
        "v1",
        [_allow("logs:CreateLogGroup logs:CreateLogStream logs:PutLogEvents")],
    ),
    "AWSSupportServiceRolePolicy": (
        "/aws-service-role/",
        "v28",
        [_allow("support:* iam:GetRole ec2:DescribeInstances s3:ListBucket")],
    ),
}
AWS_MANAGED_CREATED = datetime(2015, 2, 6, 18, 39, 46)
AWS_MANAGED_UPDATED = datetime(2025, 11, 14, 19, 2, 11)


def aws_managed_arn(name: str) -> str:
    """ARN of an AWS-managed policy."""
    return f"arn:aws:iam::aws:policy{AWS_MANAGED[name][0]}{name}"
