"""Audit logging and alerting of every generated account: CloudTrail, CloudWatch, SNS.

Fills `aws_cloudtrail_trails` and their event selectors, CloudWatch Logs log
groups and metric filters, CloudWatch alarms and the SNS topics and
subscriptions the alarms notify, and a week of CloudTrail management events.
Each account draws one logging posture:

- `full` (about half the estate): a multi-region trail with KMS, log-file
  validation, CloudWatch Logs delivery, Insights and S3 and Lambda data
  events, and the CIS metric filters with alarms on a confirmed SNS topic;
- `partial`: a multi-region trail delivering to CloudWatch Logs without
  encryption or validation, and only some of the CIS filters, or alarms
  whose topic nobody confirmed;
- `regional`: a single-region trail written by a team for one workload, no
  CloudWatch delivery, no filters;
- `none`: no trail at all (new or forgotten accounts).

The first three accounts take `full`, `partial` and `regional` so that every
trail and alarm control passes and fails in the smallest demo. A multi-region
trail appears once in every region the account has enabled, as CloudQuery
lists it; its home region's row carries the event selectors. Besides the
trail's log group, each account has a few application log groups, most with
a retention period and some encrypted, as estates grown by many teams do.
The events are routine reads and deployments; the second account (and one
in ten later ones) shows a burst of IAM privilege-escalation calls by one
user within minutes, which threat detection must flag.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import cq_id, weighted

TABLES = (
    "aws_cloudtrail_trails",
    "aws_cloudtrail_trail_event_selectors",
    "aws_cloudwatchlogs_log_groups",
    "aws_cloudwatchlogs_metric_filters",
    "aws_cloudwatch_alarms",
    "aws_sns_topics",
    "aws_sns_subscriptions",
    "aws_cloudtrail_events",
)

# Regions every generated account has enabled (the detection module lists the same ones).
ENABLED_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
POSTURES = (("full", 0.5), ("partial", 0.25), ("regional", 0.15), ("none", 0.1))
ARCHETYPES = ("full", "partial", "regional")
RETENTION_DAYS = (None, 7, 14, 30, 90, 365, 400, 731, 1827, 3653)
APP_LOG_GROUPS = (
    "/aws/lambda/orders-api", "/aws/lambda/image-resize", "/ecs/payments", "/aws/eks/platform",
    "/aws/rds/cluster/ledger/postgresql", "/aws/codebuild/web", "/app/checkout", "/app/search",
)  # fmt: skip


def _events(*names: str) -> str:
    return " || ".join(f'($.eventName = "{name}")' for name in names)


# The CIS CloudWatch metric filters, one per `aws_mf_alarm_*` control.
CIS_FILTERS: dict[str, str] = {
    "unauthorized-api-calls": (
        '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
    ),
    "console-signin-without-mfa": (
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
    ),
    "root-usage": (
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS'
        ' && $.eventType != "AwsServiceEvent" }'
    ),
    "iam-policy-changes": "{ "
    + _events(
        "DeleteGroupPolicy",
        "DeleteRolePolicy",
        "DeleteUserPolicy",
        "PutGroupPolicy",
        "PutRolePolicy",
        "PutUserPolicy",
        "CreatePolicy",
        "DeletePolicy",
        "CreatePolicyVersion",
        "DeletePolicyVersion",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "AttachUserPolicy",
        "DetachUserPolicy",
        "AttachGroupPolicy",
        "DetachGroupPolicy",
    )
    + " }",
    "cloudtrail-config-changes": "{ "
    + _events("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")
    + " }",
    "console-auth-failures": (
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
    ),
    "kms-cmk-disable-delete": (
        "{ ($.eventSource = kms.amazonaws.com) && "
        "(($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"
    ),
    "s3-bucket-policy-changes": "{ ($.eventSource = s3.amazonaws.com) && ("
    + _events(
        "PutBucketAcl",
        "PutBucketPolicy",
        "PutBucketCors",
        "PutBucketLifecycle",
        "PutBucketReplication",
        "DeleteBucketPolicy",
        "DeleteBucketCors",
        "DeleteBucketLifecycle",
        "DeleteBucketReplication",
    )
    + ") }",
    "config-changes": "{ ($.eventSource = config.amazonaws.com) && ("
    + _events(
        "StopConfigurationRecorder",
        "DeleteDeliveryChannel",
        "PutDeliveryChannel",
        "PutConfigurationRecorder",
    )
    + ") }",
    "security-group-changes": "{ "
    + _events(
        "AuthorizeSecurityGroupIngress",
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "CreateSecurityGroup",
        "DeleteSecurityGroup",
    )
    + " }",
    "nacl-changes": "{ "
    + _events(
        "CreateNetworkAcl",
        "CreateNetworkAclEntry",
        "DeleteNetworkAcl",
        "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry",
        "ReplaceNetworkAclAssociation",
    )
    + " }",
    "network-gateway-changes": "{ "
    + _events(
        "CreateCustomerGateway",
        "DeleteCustomerGateway",
        "AttachInternetGateway",
        "CreateInternetGateway",
        "DeleteInternetGateway",
        "DetachInternetGateway",
    )
    + " }",
    "route-table-changes": "{ ($.eventSource = ec2.amazonaws.com) && ("
    + _events(
        "CreateRoute",
        "CreateRouteTable",
        "ReplaceRoute",
        "ReplaceRouteTableAssociation",
        "DeleteRouteTable",
        "DeleteRoute",
        "DisassociateRouteTable",
    )
    + ") }",
    "vpc-changes": "{ "
    + _events(
        "CreateVpc",
        "DeleteVpc",
        "ModifyVpcAttribute",
        "AcceptVpcPeeringConnection",
        "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection",
        "RejectVpcPeeringConnection",
        "AttachClassicLinkVpc",
        "DetachClassicLinkVpc",
        "DisableVpcClassicLink",
        "EnableVpcClassicLink",
    )
    + " }",
    "organizations-changes": "{ ($.eventSource = organizations.amazonaws.com) && ("
    + _events(
        "AcceptHandshake",
        "AttachPolicy",
        "CreateAccount",
        "CreateOrganizationalUnit",
        "CreatePolicy",
        "DeclineHandshake",
        "DeleteOrganization",
        "DeleteOrganizationalUnit",
        "DeletePolicy",
        "DetachPolicy",
        "DisablePolicyType",
        "EnablePolicyType",
        "InviteAccountToOrganization",
        "LeaveOrganization",
        "MoveAccount",
        "RemoveAccountFromOrganization",
        "UpdatePolicy",
        "UpdateOrganizationalUnit",
    )
    + ") }",
}


FULL_DATA_EVENTS = ("AWS::S3::Object", "AWS::Lambda::Function", "AWS::Bedrock::AgentAlias")


def _equals(field: str, value: str) -> dict[str, object]:
    return {"Field": field, "Equals": [value]}


def posture(org: Organisation, account: Account, rng: random.Random) -> str:
    """The account's logging posture: fixed for the first three accounts."""
    drawn = weighted(rng, POSTURES)
    return ARCHETYPES[account.index] if account.index < len(ARCHETYPES) else drawn


def generate(org: Organisation) -> None:
    """Trails, log groups, filters, alarms and topics of every account."""
    rng = org.stream("logging")
    for account in org.accounts:
        kind = posture(org, account, rng)
        home = account.region
        topic = _topic(
            org,
            rng,
            account,
            home,
            confirmed=kind == "full" or account.index == 1 or rng.random() < 0.7,
        )
        if kind in ("full", "partial"):
            group = _log_group(org, rng, account, home, f"cloudtrail/{account.alias}", kind)
            _trail(org, rng, account, kind, home, group)
            _filters_and_alarms(org, rng, account, kind, home, group, topic)
        elif kind == "regional":
            _trail(org, rng, account, kind, home, None)
        for name in rng.sample(APP_LOG_GROUPS, k=rng.randint(2, 4)):
            _log_group(org, rng, account, rng.choice(ENABLED_REGIONS), name, "app")
    events = org.stream("cloudtrail_events")
    for account in org.accounts:
        _events_of(org, events, account)


ROUTINE_EVENTS = (
    ("ListBuckets", "s3.amazonaws.com", "true"),
    ("DescribeInstances", "ec2.amazonaws.com", "true"),
    ("GetCallerIdentity", "sts.amazonaws.com", "true"),
    ("AssumeRole", "sts.amazonaws.com", "false"),
    ("PutObject", "s3.amazonaws.com", "false"),
    ("UpdateFunctionCode20150331v2", "lambda.amazonaws.com", "false"),
)
ESCALATION_EVENTS = (
    "AttachUserPolicy", "CreateAccessKey", "PutUserPolicy", "CreatePolicyVersion", "PassRole",
)  # fmt: skip


def _events_of(org: Organisation, rng: random.Random, account: Account) -> None:
    """A week of routine management events; some accounts show a privilege-escalation burst."""

    def event(moment: datetime, name: str, source: str, read_only: str, user: str) -> None:
        event_id = str(uuid.UUID(int=rng.getrandbits(128)))
        org.add(
            "aws_cloudtrail_events",
            {
                "_cq_id": cq_id("aws_cloudtrail_events", account.account_id, event_id),
                "account_id": account.account_id,
                "region": account.region,
                "event_id": event_id,
                "event_time": moment,
                "event_name": name,
                "event_source": source,
                "username": user,
                "read_only": read_only,
                "cloud_trail_event": {
                    "userIdentity": {
                        "type": "IAMUser",
                        "arn": f"arn:aws:iam::{account.account_id}:user/{user}",
                    },
                    "sourceIPAddress": f"198.51.100.{rng.randrange(1, 255)}",
                },
            },
        )

    for _ in range(rng.randint(8, 16)):
        moment = org.as_of - timedelta(minutes=rng.randrange(1, 7 * 24 * 60))
        event(moment, *rng.choice(ROUTINE_EVENTS), rng.choice(("deploy-bot", "ops.oncall")))
    if account.index == 1 or (account.index > 2 and rng.random() < 0.1):
        start = org.as_of - timedelta(days=1, minutes=rng.randrange(600))
        for offset, name in enumerate(ESCALATION_EVENTS):
            event(
                start + timedelta(minutes=offset), name, "iam.amazonaws.com", "false", "svc-legacy"
            )


def _arn(service: str, region: str, account: Account, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{account.account_id}:{resource}"


def _topic(
    org: Organisation, rng: random.Random, account: Account, region: str, *, confirmed: bool
) -> str:
    arn = _arn("sns", region, account, "security-alerts")
    org.add(
        "aws_sns_topics",
        {
            "_cq_id": cq_id("aws_sns_topics", arn),
            "account_id": account.account_id,
            "region": region,
            "arn": arn,
            "kms_master_key_id": "alias/aws/sns" if rng.random() < 0.5 else None,
            "subscriptions_confirmed": 1 if confirmed else 0,
            "tags": {},
        },
    )
    subscription = f"{arn}:{rng.getrandbits(64):016x}" if confirmed else "PendingConfirmation"
    org.add(
        "aws_sns_subscriptions",
        {
            "_cq_id": cq_id("aws_sns_subscriptions", arn, subscription),
            "account_id": account.account_id,
            "region": region,
            "arn": subscription,
            "topic_arn": arn,
            "protocol": "email",
            "endpoint": f"security+{account.alias}@example.com",
            "subscription_arn": subscription,
            "pending_confirmation": not confirmed,
        },
    )
    return arn


def _log_group(
    org: Organisation, rng: random.Random, account: Account, region: str, name: str, kind: str
) -> str:
    arn = _arn("logs", region, account, f"log-group:{name}:*")
    encrypted = kind == "full" or (kind == "app" and rng.random() < 0.6)
    retention = 365 if kind == "full" else rng.choice(RETENTION_DAYS)
    org.add(
        "aws_cloudwatchlogs_log_groups",
        {
            "_cq_id": cq_id("aws_cloudwatchlogs_log_groups", arn),
            "account_id": account.account_id,
            "region": region,
            "arn": arn,
            "log_group_name": name,
            "kms_key_id": _arn("kms", region, account, f"key/{rng.getrandbits(64):016x}")
            if encrypted
            else None,
            "retention_in_days": retention,
            "log_group_class": "STANDARD",
            "creation_time": int(org.as_of.timestamp() * 1000) - rng.randrange(10**10),
            "stored_bytes": rng.randrange(10**9),
            "tags": {},
        },
    )
    return arn


def _trail(
    org: Organisation,
    rng: random.Random,
    account: Account,
    kind: str,
    home: str,
    group: str | None,
) -> None:
    full = kind == "full"
    name = f"{account.alias}-trail" if kind != "regional" else f"{account.alias}-app-trail"
    arn = _arn("cloudtrail", home, account, f"trail/{name}")
    regions = ENABLED_REGIONS if kind != "regional" else (home,)
    for region in regions:
        org.add(
            "aws_cloudtrail_trails",
            {
                "_cq_id": cq_id("aws_cloudtrail_trails", arn, region),
                "account_id": account.account_id,
                "region": region,
                "arn": arn,
                "trail_arn": arn,
                "name": name,
                "home_region": home,
                "is_multi_region_trail": kind != "regional",
                "is_organization_trail": False,
                "include_global_service_events": kind != "regional",
                "log_file_validation_enabled": full or rng.random() < 0.2,
                "kms_key_id": _arn("kms", home, account, "key/cloudtrail") if full else None,
                "cloud_watch_logs_log_group_arn": group,
                "cloudwatch_logs_log_group_name": group.split(":")[6] if group else None,
                "cloud_watch_logs_role_arn": (
                    f"arn:aws:iam::{account.account_id}:role/cloudtrail-to-cloudwatch"
                    if group
                    else None
                ),
                "has_custom_event_selectors": True,
                "has_insight_selectors": full,
                "s3_bucket_name": account.buckets[0],
                "status": _status(org, group),
                "tags": {},
            },
        )
    basic: list[dict] | None = [
        {
            "ReadWriteType": "All" if kind == "partial" else "WriteOnly",
            "IncludeManagementEvents": True,
            "DataResources": [],
            "ExcludeManagementEventSources": [],
        }
    ]
    advanced = None
    if full:
        basic = []
        advanced = [
            {
                "Name": "Management events",
                "FieldSelectors": [_equals("eventCategory", "Management")],
            },
            *(
                {
                    "Name": f"{resource} data events",
                    "FieldSelectors": [
                        _equals("eventCategory", "Data"),
                        _equals("resources.type", resource),
                    ],
                }
                for resource in FULL_DATA_EVENTS
            ),
        ]
    org.add(
        "aws_cloudtrail_trail_event_selectors",
        {
            "_cq_id": cq_id("aws_cloudtrail_trail_event_selectors", arn),
            "account_id": account.account_id,
            "region": home,
            "trail_arn": arn,
            "event_selectors": basic,
            "advanced_event_selectors": advanced,
        },
    )


def _status(org: Organisation, group: str | None) -> dict[str, object]:
    delivered = (org.as_of - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status: dict[str, object] = {"IsLogging": True, "LatestDeliveryTime": delivered}
    if group:
        status["LatestCloudWatchLogsDeliveryTime"] = delivered
    return status


def _filters_and_alarms(
    org: Organisation,
    rng: random.Random,
    account: Account,
    kind: str,
    region: str,
    group: str,
    topic: str,
) -> None:
    group_name = group.split(":")[6]
    names = list(CIS_FILTERS)
    if kind == "partial":
        names = rng.sample(names, k=rng.randint(8, 14))
    for name in names:
        metric = f"cis-{name}"
        org.add(
            "aws_cloudwatchlogs_metric_filters",
            {
                "_cq_id": cq_id("aws_cloudwatchlogs_metric_filters", group, name),
                "account_id": account.account_id,
                "region": region,
                "log_group_arn": group,
                "log_group_name": group_name,
                "filter_name": name,
                "filter_pattern": CIS_FILTERS[name],
                "metric_transformations": [
                    {"MetricName": metric, "MetricNamespace": "CISBenchmark", "MetricValue": "1"}
                ],
            },
        )
        if kind == "partial" and name != names[0] and rng.random() < 0.15:
            continue  # a filter someone created without ever adding the alarm
        enabled = kind == "full" or (name != names[0] and rng.random() < 0.9)
        alarm = _arn("cloudwatch", region, account, f"alarm:{metric}-alarm")
        org.add(
            "aws_cloudwatch_alarms",
            {
                "_cq_id": cq_id("aws_cloudwatch_alarms", alarm),
                "account_id": account.account_id,
                "region": region,
                "arn": alarm,
                "alarm_arn": alarm,
                "alarm_name": f"{metric}-alarm",
                "metric_name": metric,
                "namespace": "CISBenchmark",
                "actions_enabled": enabled,
                "alarm_actions": [topic] if enabled or rng.random() < 0.5 else [],
                "state_value": "OK",
                "statistic": "Sum",
                "threshold": 1.0,
                "comparison_operator": "GreaterThanOrEqualToThreshold",
                "evaluation_periods": 1,
                "period": 300,
                "tags": {},
            },
        )


SERVICE = Service("logging", TABLES, generate)
