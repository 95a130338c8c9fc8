"""Detection and governance of every generated account: regions, Config, GuardDuty and more.

Fills `aws_regions`, AWS Config recorders and delivery-channel statuses,
GuardDuty detectors and findings, IAM Access Analyzer analyzers, Security
Hub hubs and standards, VPCs and their flow logs, the accounts' alternate
contacts, the organisation, Trusted Advisor and Well-Architected summaries.

Region-wide services are where estates differ most: a security team turns
GuardDuty, Config and Security Hub on in the home region first and the rest
follows through delegated administration, unevenly. Each account therefore
draws a coverage per service: everywhere (most), the home region only, or
nowhere; the first three accounts cover everywhere, the home region only and
everywhere in turn so every region control passes and fails in the smallest
demo. Every account sits in the
organisation except one stand-alone account in ten (an acquisition not yet
moved), and most have a security contact. Default VPCs rarely have flow logs,
workload VPCs usually do.
"""

from __future__ import annotations

import random
from datetime import timedelta

from soc2_tools.generator.logging import ENABLED_REGIONS
from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import cq_id, weighted

TABLES = (
    "aws_regions",
    "aws_config_configuration_recorders",
    "aws_config_delivery_channel_statuses",
    "aws_guardduty_detectors",
    "aws_guardduty_detector_findings",
    "aws_accessanalyzer_analyzers",
    "aws_securityhub_hubs",
    "aws_securityhub_enabled_standards",
    "aws_ec2_vpcs",
    "aws_ec2_flow_logs",
    "aws_account_alternate_contacts",
    "aws_organizations",
    "aws_organizations_accounts",
    "aws_support_trusted_advisor_checks",
    "aws_support_trusted_advisor_check_summaries",
    "aws_wellarchitected_workloads",
)

REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "Europe (Ireland)",
    "eu-central-1": "Europe (Frankfurt)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "af-south-1": "Africa (Cape Town)",
}
COVERAGE = (("all", 0.65), ("home", 0.25), ("none", 0.1))
ARCHETYPE_COVERAGE = ("all", "home", "all")
SERVICES_WITH_COVERAGE = ("config", "guardduty", "access_analyzer", "securityhub")
FINDING_TYPES = (
    ("UnauthorizedAccess:EC2/SSHBruteForce", "SSH brute force against an instance"),
    ("Recon:EC2/PortProbeUnprotectedPort", "Unprotected port on an instance is being probed"),
    ("CryptoCurrency:EC2/BitcoinTool.B!DNS", "Instance querying a Bitcoin-related domain"),
    ("Policy:S3/BucketBlockPublicAccessDisabled", "Public access block disabled on a bucket"),
)
TRUSTED_ADVISOR_CHECKS = (
    ("Pfx0RwqBli", "Security Groups - Specific Ports Unrestricted"),
    ("7DAFEmoDos", "MFA on Root Account"),
    ("HCP4007jGY", "IAM Password Policy"),
    ("Yw2K9puPzl", "Exposed Access Keys"),
)
GUARDDUTY_FEATURES = (
    "CLOUD_TRAIL", "DNS_LOGS", "FLOW_LOGS", "S3_DATA_EVENTS", "EKS_AUDIT_LOGS",
    "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING",
)  # fmt: skip
FSBP = "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"


def generate(org: Organisation) -> None:
    """Regions and the detection services of every account, then the organisation."""
    rng = org.stream("detection")
    management = org.accounts[0]
    for account in org.accounts:
        coverage = {
            service: _coverage(rng, account, offset)
            for offset, service in enumerate(SERVICES_WITH_COVERAGE)
        }
        _regions(org, account)
        for region in ENABLED_REGIONS:
            covered = {
                service: level == "all" or (level == "home" and region == account.region)
                for service, level in coverage.items()
            }
            _config(org, rng, account, region, covered["config"])
            _guardduty(org, rng, account, region, covered["guardduty"])
            _access_analyzer(org, rng, account, region, covered["access_analyzer"])
            _securityhub(org, rng, account, region, covered["securityhub"])
            _vpcs(org, rng, account, region)
        _contacts(org, rng, account)
        _advisor(org, rng, account)
    _organisation(org, rng, management)


def _coverage(rng: random.Random, account: Account, offset: int) -> str:
    drawn = weighted(rng, COVERAGE)
    if account.index < len(ARCHETYPE_COVERAGE):
        return ARCHETYPE_COVERAGE[(account.index + offset) % len(ARCHETYPE_COVERAGE)]
    return drawn


def _arn(service: str, region: str, account: Account, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{account.account_id}:{resource}"


def _regions(org: Organisation, account: Account) -> None:
    for region, name in REGION_NAMES.items():
        enabled = region in ENABLED_REGIONS
        org.add(
            "aws_regions",
            {
                "_cq_id": cq_id("aws_regions", account.account_id, region),
                "account_id": account.account_id,
                "enabled": enabled,
                "partition": "aws",
                "region": region,
                "endpoint": f"ec2.{region}.amazonaws.com",
                "opt_in_status": "opt-in-not-required" if enabled else "not-opted-in",
                "region_name": name,
            },
        )


def _config(
    org: Organisation, rng: random.Random, account: Account, region: str, covered: bool
) -> None:
    if not covered and rng.random() < 0.6:
        return
    recording = covered or rng.random() < 0.3
    org.add(
        "aws_config_configuration_recorders",
        {
            "_cq_id": cq_id("aws_config_configuration_recorders", account.account_id, region),
            "account_id": account.account_id,
            "region": region,
            "arn": _arn("config", region, account, "config-recorder/default"),
            "name": "default",
            "recording_group": {
                "AllSupported": True,
                "IncludeGlobalResourceTypes": region == account.region,
            },
            "role_arn": f"arn:aws:iam::{account.account_id}:role/aws-config-recorder",
            "status_last_status": "SUCCESS" if recording else "FAILURE",
            "status_recording": covered and recording,
        },
    )
    status = {"LastStatus": "SUCCESS"} if covered else {"LastStatus": "FAILURE"}
    org.add(
        "aws_config_delivery_channel_statuses",
        {
            "_cq_id": cq_id("aws_config_delivery_channel_statuses", account.account_id, region),
            "account_id": account.account_id,
            "region": region,
            "name": "default",
            "config_history_delivery_info": status,
            "config_snapshot_delivery_info": status,
            "config_stream_delivery_info": {},
        },
    )


def _guardduty(
    org: Organisation, rng: random.Random, account: Account, region: str, covered: bool
) -> None:
    if not covered and rng.random() < 0.7:
        return
    detector = f"{rng.getrandbits(128):032x}"
    arn = _arn("guardduty", region, account, f"detector/{detector}")
    every_plan = account.index != 1 and (account.index == 0 or rng.random() < 0.65)
    missing = set() if every_plan else set(rng.sample(GUARDDUTY_FEATURES[4:], k=rng.randint(1, 3)))
    features = [
        {"Name": name, "Status": "DISABLED" if name in missing else "ENABLED"}
        for name in GUARDDUTY_FEATURES
    ]
    org.add(
        "aws_guardduty_detectors",
        {
            "_cq_id": cq_id("aws_guardduty_detectors", arn),
            "request_account_id": account.account_id,
            "request_region": region,
            "arn": arn,
            "id": detector,
            "status": "ENABLED" if covered else "DISABLED",
            "created_at": org.as_of - timedelta(days=rng.randint(30, 900)),
            "features": features,
            "finding_publishing_frequency": "SIX_HOURS",
            "tags": {},
        },
    )
    if not covered:
        return
    unattended = account.index == 0 and region == account.region
    for number in range(rng.choice((0, 1, 1, 2, 3)) + unattended):
        kind, title = rng.choice(FINDING_TYPES)
        finding = f"{rng.getrandbits(128):032x}"
        created = org.as_of - timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))
        severity = 8.0 if unattended and number == 0 else rng.choice((2.0, 5.0, 5.0, 8.0))
        archived = not (unattended and number == 0) and rng.random() < 0.5
        org.add(
            "aws_guardduty_detector_findings",
            {
                "_cq_id": cq_id("aws_guardduty_detector_findings", arn, finding),
                "request_account_id": account.account_id,
                "request_region": region,
                "detector_arn": arn,
                "account_id": account.account_id,
                "region": region,
                "arn": f"{arn}/finding/{finding}",
                "id": finding,
                "type": kind,
                "severity": severity,
                "created_at": created,
                "updated_at": created + timedelta(days=rng.randint(0, 10)),
                "service": {"Archived": archived, "Count": rng.randint(1, 30)},
                "title": title,
            },
        )


def _access_analyzer(
    org: Organisation, rng: random.Random, account: Account, region: str, covered: bool
) -> None:
    if not covered:
        return
    arn = _arn("access-analyzer", region, account, "analyzer/account-analyzer")
    org.add(
        "aws_accessanalyzer_analyzers",
        {
            "_cq_id": cq_id("aws_accessanalyzer_analyzers", arn),
            "account_id": account.account_id,
            "region": region,
            "arn": arn,
            "created_at": org.as_of - timedelta(days=rng.randint(30, 900)),
            "name": "account-analyzer",
            "status": "ACTIVE",
            "type": "ACCOUNT",
            "tags": {},
        },
    )


def _securityhub(
    org: Organisation, rng: random.Random, account: Account, region: str, covered: bool
) -> None:
    if not covered:
        return
    org.add(
        "aws_securityhub_hubs",
        {
            "_cq_id": cq_id("aws_securityhub_hubs", account.account_id, region),
            "account_id": account.account_id,
            "region": region,
            "auto_enable_controls": True,
            "control_finding_generator": "SECURITY_CONTROL",
            "hub_arn": _arn("securityhub", region, account, "hub/default"),
            "subscribed_at": org.as_of - timedelta(days=rng.randint(30, 900)),
            "tags": {},
        },
    )
    if rng.random() < 0.9:
        standard = FSBP.format(region=region)
        org.add(
            "aws_securityhub_enabled_standards",
            {
                "_cq_id": cq_id("aws_securityhub_enabled_standards", account.account_id, region),
                "account_id": account.account_id,
                "region": region,
                "standards_arn": standard,
                "standards_subscription_arn": _arn(
                    "securityhub",
                    region,
                    account,
                    "subscription/aws-foundational-security-best-practices/v/1.0.0",
                ),
                "standards_status": "READY",
            },
        )


def _vpcs(org: Organisation, rng: random.Random, account: Account, region: str) -> None:
    workloads = rng.randint(1, 2) if region == account.region else rng.choice((0, 0, 1))
    for number in range(workloads + 1):
        default = number == 0
        vpc = f"vpc-{rng.getrandbits(68):017x}"
        org.add(
            "aws_ec2_vpcs",
            {
                "_cq_id": cq_id("aws_ec2_vpcs", vpc),
                "account_id": account.account_id,
                "region": region,
                "arn": _arn("ec2", region, account, f"vpc/{vpc}"),
                "vpc_id": vpc,
                "is_default": default,
                "owner_id": account.account_id,
                "cidr_block": "172.31.0.0/16" if default else f"10.{rng.randrange(256)}.0.0/16",
                "state": "available",
                "tags": {} if default else {"Name": f"{account.alias}-{number}"},
            },
        )
        if rng.random() < (0.25 if default else 0.8):
            flow = f"fl-{rng.getrandbits(68):017x}"
            org.add(
                "aws_ec2_flow_logs",
                {
                    "_cq_id": cq_id("aws_ec2_flow_logs", flow),
                    "account_id": account.account_id,
                    "region": region,
                    "arn": _arn("ec2", region, account, f"vpc-flow-log/{flow}"),
                    "creation_time": org.as_of - timedelta(days=rng.randint(10, 900)),
                    "deliver_logs_status": "SUCCESS",
                    "flow_log_id": flow,
                    "flow_log_status": "ACTIVE",
                    "log_destination_type": rng.choice(("s3", "cloud-watch-logs")),
                    "resource_id": vpc,
                    "traffic_type": rng.choice(("ALL", "ALL", "REJECT")),
                    "tags": {},
                },
            )


def _contacts(org: Organisation, rng: random.Random, account: Account) -> None:
    types = ["BILLING"] if rng.random() < 0.5 else []
    if account.index == 0 or (account.index > 2 and rng.random() < 0.7):
        types.append("SECURITY")
    if rng.random() < 0.4:
        types.append("OPERATIONS")
    for kind in types:
        org.add(
            "aws_account_alternate_contacts",
            {
                "_cq_id": cq_id("aws_account_alternate_contacts", account.account_id, kind),
                "account_id": account.account_id,
                "alternate_contact_type": kind,
                "email_address": f"{kind.lower()}@example.com",
                "name": f"Acme {kind.title()}",
                "phone_number": "+1-555-0100",
            },
        )


def _advisor(org: Organisation, rng: random.Random, account: Account) -> None:
    for check, name in TRUSTED_ADVISOR_CHECKS:
        flagged = account.index != 0 and rng.random() < 0.1
        base = {"account_id": account.account_id, "region": "us-east-1", "language_code": "en"}
        org.add(
            "aws_support_trusted_advisor_checks",
            {
                "_cq_id": cq_id("aws_support_trusted_advisor_checks", account.account_id, check),
                **base,
                "id": check,
                "name": name,
                "category": "security",
            },
        )
        org.add(
            "aws_support_trusted_advisor_check_summaries",
            {
                "_cq_id": cq_id(
                    "aws_support_trusted_advisor_check_summaries", account.account_id, check
                ),
                **base,
                "check_id": check,
                "status": "warning" if flagged else "ok",
                "has_flagged_resources": flagged,
            },
        )
    if account.index == 0 or rng.random() < 0.3:
        high = 0 if account.index == 0 else rng.randint(0, 3)
        arn = _arn("wellarchitected", account.region, account, f"workload/{account.alias}")
        org.add(
            "aws_wellarchitected_workloads",
            {
                "_cq_id": cq_id("aws_wellarchitected_workloads", arn),
                "account_id": account.account_id,
                "region": account.region,
                "arn": arn,
                "workload_name": account.alias,
                "risk_counts": {"HIGH": high, "MEDIUM": high and rng.randint(0, 4), "NONE": 40},
                "improvement_status": "COMPLETE" if high == 0 else "IN_PROGRESS",
                "updated_at": org.as_of - timedelta(days=rng.randint(10, 400)),
                "tags": {},
            },
        )


def _organisation(org: Organisation, rng: random.Random, management: Account) -> None:
    members = [account for account in org.accounts if account.index < 3 or rng.random() < 0.9]
    members = [a for a in members if a.index != 2]  # the stand-alone archetype
    management_id = management.account_id
    arn = f"arn:aws:organizations::{management_id}:organization/{org.org_id}"
    for account in members:
        org.add(
            "aws_organizations",
            {
                "_cq_id": cq_id("aws_organizations", account.account_id),
                "request_account_id": account.account_id,
                "arn": arn,
                "id": org.org_id,
                "master_account_id": management_id,
                "feature_set": "ALL",
            },
        )
    for account in members:
        org.add(
            "aws_organizations_accounts",
            {
                "_cq_id": cq_id("aws_organizations_accounts", account.account_id),
                "request_account_id": management_id,
                "arn": f"arn:aws:organizations::{management_id}:account/{org.org_id}/"
                f"{account.account_id}",
                "id": account.account_id,
                "name": account.alias,
                "email": f"aws+{account.alias}@example.com",
                "status": "ACTIVE",
                "joined_method": "CREATED" if account.index == 0 else "INVITED",
                "joined_timestamp": account.created,
                "tags": {},
            },
        )


SERVICE = Service("detection", TABLES, generate)
