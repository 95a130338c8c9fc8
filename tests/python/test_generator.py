"""The demo organisation generator: determinism, layout, a mix of passing and failing controls."""

from __future__ import annotations

import csv
import fnmatch
import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from soc2_tools import cli, rawdb
from soc2_tools.generator import (
    TABLES,
    OrgSize,
    Service,
    assemble,
    compute,
    generate_organisation,
    logging,
    network,
    transport,
)
from soc2_tools.generator.organisation import Organisation

AS_OF = datetime(2026, 6, 30)
CUTOFF = AS_OF - timedelta(days=90)
REPOSITORY_SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def org() -> dict[str, list[dict]]:
    return generate_organisation(OrgSize())


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _statements(doc: object) -> list[dict]:
    if not isinstance(doc, dict):
        return []
    return [s for s in _as_list(doc.get("Statement")) if isinstance(s, dict)]


def _actions(doc: object) -> set[str]:
    return {a for s in _statements(doc) for a in _as_list(s.get("Action"))}


def _root_rows(org: dict) -> list[dict]:
    return [r for r in org["aws_iam_credential_reports"] if r["user"] == "<root_account>"]


def _user_rows(org: dict) -> list[dict]:
    return [r for r in org["aws_iam_credential_reports"] if r["user"] != "<root_account>"]


def _password_policy_strong(row: dict) -> bool:
    return bool(
        row["policy_exists"]
        and (row["minimum_password_length"] or 0) >= 14
        and (row["password_reuse_prevention"] or 0) >= 24
        and row["max_password_age"] is not None
        and row["max_password_age"] <= 90
        and row["require_lowercase_characters"]
        and row["require_uppercase_characters"]
        and row["require_numbers"]
        and row["require_symbols"]
    )


def _unused(row: dict) -> bool:
    """A credential-report line with an enabled credential unused for more than 90 days."""
    if row["password_enabled"] == "true":
        last = row["password_last_used"] or row["user_creation_time"]
        if last < CUTOFF:
            return True
    for slot in (1, 2):
        if row[f"access_key{slot}_active"]:
            last = (
                row[f"access_key_{slot}_last_used_date"] or row[f"access_key_{slot}_last_rotated"]
            )
            if last < CUTOFF:
                return True
    return False


def _tls_only(doc: object) -> bool:
    for s in _statements(doc):
        principal = s.get("Principal")
        everyone = principal == "*" or (isinstance(principal, dict) and principal.get("AWS") == "*")
        condition = (s.get("Condition") or {}).get("Bool", {})
        insecure = str(condition.get("aws:SecureTransport")).lower() == "false"
        all_s3 = set(_as_list(s.get("Action"))) & {"s3:*", "*"}
        if s.get("Effect") == "Deny" and everyone and insecure and all_s3:
            return True
    return False


def _by_bucket(org: dict, table: str) -> dict[str, dict]:
    return {r["bucket_arn"]: r for r in org[table]}


def control_outcomes(org: dict) -> dict[str, tuple[int, int]]:
    """(passing, failing) per control, computed straight from the generated rows."""
    results: dict[str, list[bool]] = {}
    roots = _root_rows(org)
    users = _user_rows(org)
    results["root_mfa"] = [r["mfa_active"] for r in roots]
    results["root_no_keys"] = [
        not (r["access_key1_active"] or r["access_key2_active"]) for r in roots
    ]
    results["console_mfa"] = [r["mfa_active"] for r in users if r["password_enabled"] == "true"]
    active_keys = [k for k in org["aws_iam_user_access_keys"] if k["status"] == "Active"]
    results["keys_rotated"] = [k["last_rotated"] >= CUTOFF for k in active_keys]
    results["no_unused_credentials"] = [not _unused(r) for r in users]
    results["password_policy"] = [
        _password_policy_strong(r) for r in org["aws_iam_password_policies"]
    ]
    per_user = Counter(k["user_arn"] for k in active_keys)
    results["single_active_key"] = [per_user[u["arn"]] <= 1 for u in org["aws_iam_users"]]
    direct = {r["user_arn"] for r in org["aws_iam_user_policies"]}
    direct |= {r["user_arn"] for r in org["aws_iam_user_attached_policies"]}
    results["no_direct_policies"] = [u["arn"] not in direct for u in org["aws_iam_users"]]
    flags = (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    )
    results["s3_account_block"] = [all(r[f] for f in flags) for r in org["aws_s3_accounts"]]
    buckets = [b["arn"] for b in org["aws_s3_buckets"]]
    blocks = _by_bucket(org, "aws_s3_bucket_public_access_blocks")
    results["bucket_block"] = [
        b in blocks and all(blocks[b]["public_access_block_configuration"].values())
        for b in buckets
    ]
    encryption = _by_bucket(org, "aws_s3_bucket_encryption_rules")
    results["bucket_encryption"] = [b in encryption for b in buckets]
    versioning = _by_bucket(org, "aws_s3_bucket_versionings")
    results["bucket_versioning"] = [
        versioning.get(b, {}).get("status") == "Enabled" for b in buckets
    ]
    results["bucket_mfa_delete"] = [
        versioning.get(b, {}).get("mfa_delete") == "Enabled" for b in buckets
    ]
    logging = _by_bucket(org, "aws_s3_bucket_loggings")
    results["bucket_logging"] = [
        logging.get(b, {}).get("logging_enabled") is not None for b in buckets
    ]
    policies = _by_bucket(org, "aws_s3_bucket_policies")
    results["bucket_tls_only"] = [
        _tls_only(policies.get(b, {}).get("policy_json")) for b in buckets
    ]
    results.update(_new_control_results(org))
    # a setting a row leaves unset (null) fails, as in the controls' SQL
    passing = {name: sum(map(bool, v)) for name, v in results.items()}
    return {name: (passing[name], len(v) - passing[name]) for name, v in results.items()}


# Controls whose data a random organisation of the default size cannot give both outcomes
# for, with the reason; they are left out of `control_outcomes`.
ONE_SIDED = {
    "aws_s3_object_lock": "needs the var soc2_object_lock_buckets; unset, unlocked buckets are "
    "not_evaluated",
    "aws_s3_bucket_no_public_read": "the three archetype accounts all ignore public ACLs at the "
    "account level and the core S3 module gives their public-read buckets a block",
    "aws_s3_bucket_no_public_write": "as aws_s3_bucket_no_public_read",
    "aws_s3_bucket_policy_not_public": "as aws_s3_bucket_no_public_read",
    "aws_iam_support_role_exists": "IAM core: no generated role has AWSSupportAccess (core "
    "tables must stay unchanged)",
    "aws_cloudwatch_cross_account_sharing_disabled": "IAM core: no CloudWatch-CrossAccountSharing"
    " role is generated",
    "aws_iam_admin_users_mfa": "IAM core: every generated admin user has MFA",
    "aws_iam_no_initial_access_key": "IAM core: no user got a key at creation",
    "aws_no_plaintext_secrets_in_config__ecs_task_definition": "the ECS task definitions come "
    "from services.py, whose containers have no environment variables",
    "aws_ec2_instance_in_vpc": "EC2-Classic was retired in 2023: every generated instance runs "
    "in a VPC",
    "aws_vpc_igw_authorized_vpc_only": "needs the var soc2_authorized_igw_vpc_ids; unset, every "
    "internet gateway is not_evaluated",
    "aws_vpc_no_unrestricted_route_to_igw": "needs the var soc2_public_subnet_ids; unset, route "
    "tables with an internet route are not_evaluated and the others pass",
    "aws_apigw_cache_encrypted": "no generated API Gateway stage has a cache (services module), so "
    "every stage is not_applicable",
    "aws_cloudfront_field_level_encryption": "needs the var "
    "soc2_field_level_encryption_distributions; unset, every distribution is not_evaluated",
}


def _trail_accounts(org: dict) -> dict[str, list[dict]]:
    trails: dict[str, list[dict]] = {}
    for trail in org["aws_cloudtrail_trails"]:
        if trail["region"] == trail["home_region"]:
            trails.setdefault(trail["account_id"], []).append(trail)
    return trails


def _selectors(org: dict) -> dict[str, list[dict]]:
    return {
        row["trail_arn"]: (row["event_selectors"] or []) + (row["advanced_event_selectors"] or [])
        for row in org["aws_cloudtrail_trail_event_selectors"]
    }


def _account_region_pairs(org: dict) -> list[tuple[str, str]]:
    return [(r["account_id"], r["region"]) for r in org["aws_regions"] if r["enabled"]]


def _alarmed_metrics(org: dict) -> set[tuple[str, str]]:
    confirmed = {
        s["topic_arn"] for s in org["aws_sns_subscriptions"] if not s["pending_confirmation"]
    }
    return {
        (a["account_id"], a["metric_name"])
        for a in org["aws_cloudwatch_alarms"]
        if a["actions_enabled"] and set(a["alarm_actions"] or []) & confirmed
    }


def _logging_results(org: dict) -> dict[str, list[bool]]:
    results: dict[str, list[bool]] = {}
    accounts = [a["account_id"] for a in org["aws_iam_accounts"]]
    trails = _trail_accounts(org)
    selectors = _selectors(org)
    home_trails = [t for rows in trails.values() for t in rows]
    results["aws_cloudtrail_kms_encrypted"] = [t["kms_key_id"] is not None for t in home_trails]
    results["aws_cloudtrail_log_file_validation"] = [
        t["log_file_validation_enabled"] for t in home_trails
    ]
    results["aws_cloudtrail_cloudwatch_integration"] = [
        t["cloud_watch_logs_log_group_arn"] is not None for t in home_trails
    ]
    results["aws_cloudtrail_insights"] = [t["has_insight_selectors"] for t in home_trails]

    def recorded(account: str, resource: str) -> bool:
        text = json.dumps([selectors.get(t["arn"]) for t in trails.get(account, [])])
        return resource in text

    results["aws_cloudtrail_s3_data_events"] = [recorded(a, "AWS::S3::Object") for a in accounts]
    results["aws_cloudtrail_other_data_events"] = [recorded(a, "AWS::Bedrock::") for a in accounts]
    multi = {t["account_id"] for t in home_trails if t["is_multi_region_trail"]}
    results["aws_cloudtrail_enabled_all_regions"] = [
        account in multi for account, _ in _account_region_pairs(org)
    ]
    alarmed = _alarmed_metrics(org)
    for name in logging.CIS_FILTERS:
        control = "aws_mf_alarm_" + name.replace("-", "_")
        results[control] = [(a, f"cis-{name}") in alarmed for a in accounts]
    groups = org["aws_cloudwatchlogs_log_groups"]
    results["aws_cloudwatch_log_group_encrypted"] = [g["kms_key_id"] is not None for g in groups]
    results["aws_log_group_retention"] = [
        g["retention_in_days"] is None or g["retention_in_days"] >= 365 for g in groups
    ]
    results["aws_cloudwatch_alarm_actions"] = [
        bool(a["actions_enabled"] and a["alarm_actions"]) for a in org["aws_cloudwatch_alarms"]
    ]
    escalating = {
        e["account_id"] for e in org["aws_cloudtrail_events"] if e["username"] == "svc-legacy"
    }
    results["aws_cloudtrail_threat_detection"] = [a not in escalating for a in accounts]
    return results


def _detection_results(org: dict) -> dict[str, list[bool]]:
    results: dict[str, list[bool]] = {}
    pairs = _account_region_pairs(org)
    recording = {
        (r["account_id"], r["region"])
        for r in org["aws_config_configuration_recorders"]
        if r["status_recording"]
    }
    results["aws_config_recorder_all_regions"] = [pair in recording for pair in pairs]
    detectors = org["aws_guardduty_detectors"]
    enabled = {
        (d["request_account_id"], d["request_region"])
        for d in detectors
        if d["status"] == "ENABLED"
    }
    results["aws_guardduty_enabled"] = [pair in enabled for pair in pairs]
    results["aws_guardduty_protection_plans"] = [
        all(f["Status"] == "ENABLED" for f in d["features"])
        for d in detectors
        if d["status"] == "ENABLED"
    ]
    open_high = {
        f["detector_arn"]
        for f in org["aws_guardduty_detector_findings"]
        if f["severity"] >= 7 and not f["service"]["Archived"]
    }
    results["aws_guardduty_findings_addressed"] = [d["arn"] not in open_high for d in detectors]
    analyzers = {(a["account_id"], a["region"]) for a in org["aws_accessanalyzer_analyzers"]}
    results["aws_iam_access_analyzer_enabled"] = [pair in analyzers for pair in pairs]
    standards = {(s["account_id"], s["region"]) for s in org["aws_securityhub_enabled_standards"]}
    results["aws_securityhub_enabled"] = [pair in standards for pair in pairs]
    flowing = {f["resource_id"] for f in org["aws_ec2_flow_logs"]}
    results["aws_vpc_flow_logs_enabled"] = [v["vpc_id"] in flowing for v in org["aws_ec2_vpcs"]]
    accounts = [a["account_id"] for a in org["aws_iam_accounts"]]
    security = {
        c["account_id"]
        for c in org["aws_account_alternate_contacts"]
        if c["alternate_contact_type"] == "SECURITY"
    }
    results["aws_security_contact_registered"] = [a in security for a in accounts]
    members = {o["request_account_id"] for o in org["aws_organizations"]}
    results["aws_account_in_organization"] = [a in members for a in accounts]
    flagged = {
        s["account_id"]
        for s in org["aws_support_trusted_advisor_check_summaries"]
        if s["has_flagged_resources"]
    }
    flagged |= {
        w["account_id"]
        for w in org["aws_wellarchitected_workloads"]
        if w["risk_counts"]["HIGH"] or w["risk_counts"]["MEDIUM"]
    }
    results["aws_trusted_advisor_wa_reviewed"] = [a not in flagged for a in accounts]
    return results


def _service_results(org: dict) -> dict[str, list[bool]]:
    results: dict[str, list[bool]] = {}
    results["aws_elb_access_logging__classic"] = [
        lb["attributes"]["AccessLog"]["Enabled"] for lb in org["aws_elbv1_load_balancers"]
    ]
    logged = {
        a["load_balancer_arn"]
        for a in org["aws_elbv2_load_balancer_attributes"]
        if a["key"] == "access_logs.s3.enabled" and a["value"] == "true"
    }
    results["aws_elb_access_logging__v2"] = [
        lb["arn"] in logged for lb in org["aws_elbv2_load_balancers"]
    ]
    results["aws_apigw_logging"] = [
        bool(s["method_settings"]) for s in org["aws_apigateway_rest_api_stages"]
    ] + [s["access_log_settings"] is not None for s in org["aws_apigatewayv2_api_stages"]]
    databases = org["aws_rds_instances"] + org["aws_rds_clusters"]
    results["aws_rds_log_exports"] = [bool(d["enabled_cloudwatch_logs_exports"]) for d in databases]
    results["aws_rds_iam_authentication"] = [
        d["iam_database_authentication_enabled"] for d in databases
    ]
    results["aws_redshift_audit_logging"] = [
        c["logging_status"]["LoggingEnabled"] for c in org["aws_redshift_clusters"]
    ]
    results["aws_waf_logging"] = [
        w["logging_configuration"] is not None
        for w in org["aws_waf_web_acls"] + org["aws_wafv2_web_acls"]
    ]
    results["aws_cloudfront_logging"] = [
        d["distribution_config"]["Logging"]["Enabled"] for d in org["aws_cloudfront_distributions"]
    ]
    results["aws_opensearch_logging"] = [
        d["log_publishing_options"]["AUDIT_LOGS"]["Enabled"]
        for d in org["aws_elasticsearch_domains"]
    ]
    results["aws_eks_control_plane_logging"] = [
        len({t for g in c["logging"]["ClusterLogging"] if g["Enabled"] for t in g["Types"]}) == 5
        for c in org["aws_eks_clusters"]
    ]
    queried = {q["hosted_zone_arn"] for q in org["aws_route53_hosted_zone_query_logging_configs"]}
    results["aws_route53_query_logging"] = [
        z["arn"] in queried for z in org["aws_route53_hosted_zones"]
    ]
    results["aws_container_task_logging"] = [
        all("LogConfiguration" in c for c in t["container_definitions"])
        for t in org["aws_ecs_task_definitions"]
    ]
    projects = org["aws_codebuild_projects"]
    appsync = org["aws_appsync_graphql_apis"]
    machines = org["aws_stepfunctions_state_machines"]
    workgroups = org["aws_athena_work_groups"]
    jobs = org["aws_glue_jobs"]
    results["aws_app_service_logging"] = (
        [p["logs_config"]["CloudWatchLogs"]["Status"] == "ENABLED" for p in projects]
        + [bool(a["log_config"]) and a["log_config"]["FieldLogLevel"] != "NONE" for a in appsync]
        + [w["configuration"]["PublishCloudWatchMetricsEnabled"] for w in workgroups]
        + [m["logging_configuration"]["Level"] != "OFF" for m in machines]
        + ["--enable-continuous-cloudwatch-log" in j["default_arguments"] for j in jobs]
        + [b["logs"]["Audit"] for b in org["aws_mq_brokers"]]
    )  # fmt: skip
    results["aws_codebuild_no_plaintext_aws_creds"] = [
        not any(
            v["Name"].startswith("AWS_") and v.get("Type", "PLAINTEXT") == "PLAINTEXT"
            for v in p["environment"]["EnvironmentVariables"]
        )
        for p in projects
    ]
    results["aws_codebuild_source_url_no_credentials"] = [
        "@" not in p["source"]["Location"] for p in projects
    ]
    results["aws_codebuild_no_privileged_mode"] = [
        not p["environment"]["PrivilegedMode"] for p in projects
    ]
    results["aws_emr_kerberos_enabled"] = [
        c["kerberos_attributes"] is not None for c in org["aws_emr_clusters"]
    ]
    return results


def _s3_and_iam_results(org: dict) -> dict[str, list[bool]]:
    results: dict[str, list[bool]] = {}
    buckets = org["aws_s3_buckets"]
    region = {b["arn"]: b["region"] for b in buckets}
    ownership = _by_bucket(org, "aws_s3_bucket_ownership_controls")
    results["aws_s3_bucket_acls_disabled"] = [
        ownership.get(b["arn"], {}).get("object_ownership") == "BucketOwnerEnforced"
        for b in buckets
    ]
    replicated = {
        r["bucket_arn"]
        for r in org["aws_s3_bucket_replications"]
        for rule in r["replication_configuration"]["Rules"]
        if region.get(rule["Destination"]["Bucket"], region[r["bucket_arn"]])
        != region[r["bucket_arn"]]
    }
    results["aws_s3_replication"] = [b["arn"] in replicated for b in buckets]
    expiring = {
        r["bucket_arn"] for r in org["aws_s3_bucket_lifecycles"] if r["status"] == "Enabled"
    }
    results["aws_s3_lifecycle_policy"] = [b["arn"] in expiring for b in buckets]
    notifying = {
        n["bucket_arn"]
        for n in org["aws_s3_bucket_notification_configurations"]
        if n["lambda_function_configurations"] or n["queue_configurations"]
        or n["topic_configurations"] or n["event_bridge_configuration"]
    }  # fmt: skip
    results["aws_s3_event_notifications"] = [b["arn"] in notifying for b in buckets]
    results["aws_iam_expired_server_certs_removed"] = [
        c["expiration"] >= AS_OF for c in org["aws_iam_server_certificates"]
    ]
    virtual = {d["account_id"] for d in org["aws_iam_virtual_mfa_devices"]}
    results["aws_iam_root_hardware_mfa_enabled"] = [
        r["mfa_active"] and r["arn"].split(":")[4] not in virtual for r in _root_rows(org)
    ]
    return results


def _open_to_anyone(document: object) -> bool:
    if isinstance(document, str):
        document = json.loads(document)
    return any(
        s.get("Effect") == "Allow"
        and s.get("Principal") in ("*", {"AWS": "*"})
        and not s.get("Condition")
        for s in _statements(document)
    )


def _exposure_results(org: dict) -> dict[str, list[bool]]:
    return {
        "aws_kms_key_policy_not_public": [
            not _open_to_anyone(k["policy"]) for k in org["aws_kms_key_policies"]
        ],
        "aws_resource_policies_not_public": [
            not _open_to_anyone(r["policy_text"]) for r in org["aws_ecr_repository_policies"]
        ]
        + [not _open_to_anyone(v["policy"]) for v in org["aws_glacier_vault_access_policies"]]
        + [
            not _open_to_anyone(p["policy_document"])
            for p in org["aws_cloudwatchlogs_resource_policies"]
        ],
    }


HIGH_RISK_PORTS = (20, 21, 23, 25, 88, 110, 135, 137, 138, 139, 143, 389, 445, 636, 1433, 1434)
HIGH_RISK_PORTS += (1521, 2483, 2484, 3000, 3306, 4333, 5000, 5432, 5500, 5601, 6379, 7199)
HIGH_RISK_PORTS += (8080, 8088, 8888, 9042, 9092, 9160, 9200, 9300, 11211, 27017, 27018)
WORLD = ("0.0.0.0/0", "::/0")


def _world_rules(group: dict) -> list[tuple[str, int, int]]:
    """(protocol, from, to) of each ingress rule open to the internet."""
    rules = []
    for permission in group["ip_permissions"]:
        sources = [r["CidrIp"] for r in permission["IpRanges"]]
        sources += [r["CidrIpv6"] for r in permission["Ipv6Ranges"]]
        if set(sources) & set(WORLD):
            protocol = permission["IpProtocol"]
            low, high = permission.get("FromPort", 0), permission.get("ToPort", 65535)
            rules.append(("all", 0, 65535) if protocol == "-1" else (protocol, low, high))
    return rules


def _opens(group: dict, ports: tuple[int, ...]) -> bool:
    return any(
        p in ("tcp", "all") and any(low <= port <= high for port in ports)
        for p, low, high in _world_rules(group)
    )


def _network_results(org: dict) -> dict[str, list[bool]]:
    """The network controls the demo decides without a user's allow-list."""
    results: dict[str, list[bool]] = {}
    groups = org["aws_ec2_security_groups"]
    results["aws_sg_no_ingress_ssh_from_internet"] = [not _opens(g, (22,)) for g in groups]
    results["aws_sg_no_ingress_rdp_from_internet"] = [not _opens(g, (3389,)) for g in groups]
    results["aws_sg_no_ingress_high_risk_ports_from_internet"] = [
        not _opens(g, HIGH_RISK_PORTS) for g in groups
    ]
    results["aws_sg_no_ingress_all_ports_from_internet__all_ports"] = [
        not any(low <= 1 and high >= 65535 for _, low, high in _world_rules(g)) for g in groups
    ]
    results["aws_sg_no_ingress_all_ports_from_internet__unauthorized_ports"] = [
        all(low == high and low in (80, 443) for _, low, high in _world_rules(g)) for g in groups
    ]
    results["aws_sg_no_wide_public_cidr"] = [
        not any(
            not r["CidrIp"].startswith(("10.", "172.", "192.168."))
            and 1 <= int(r["CidrIp"].split("/")[1]) <= 23
            for p in g["ip_permissions"]
            for r in p["IpRanges"]
        )
        for g in groups
    ]
    defaults = [g for g in groups if g["group_name"] == "default"]
    results["aws_vpc_default_sg_closed"] = [
        not g["ip_permissions"] and not g["ip_permissions_egress"] for g in defaults
    ]
    attached = {
        (i["account_id"], grp["GroupId"])
        for i in org["aws_ec2_network_interfaces"]
        for grp in i["groups"]
    }
    results["aws_vpc_sg_unused"] = [
        (g["account_id"], g["group_id"]) in attached for g in groups if g["group_name"] != "default"
    ]
    results["aws_nacl_no_ingress_admin_ports_from_internet"] = [
        not a["is_default"] for a in org["aws_ec2_network_acls"]
    ]
    results["aws_vpc_eip_attached"] = [e["association_id"] is not None for e in org["aws_ec2_eips"]]
    peered = [
        route["DestinationCidrBlock"] != "10.250.0.0/16"
        for table in org["aws_ec2_route_tables"]
        for route in table["routes"]
        if "VpcPeeringConnectionId" in route
    ]
    results["aws_vpc_peering_least_privilege_routes"] = peered
    results["aws_tgw_no_auto_accept_attachments"] = [
        t["options"]["AutoAcceptSharedAttachments"] == "disable"
        for t in org["aws_ec2_transit_gateways"]
    ]
    results["aws_vpc_subnet_no_auto_public_ip"] = [
        not s["map_public_ip_on_launch"] for s in org["aws_ec2_subnets"]
    ]
    defaults_vpcs = [v["is_default"] for v in org["aws_ec2_vpcs"]]
    results["aws_vpc_public_private_subnet_separation"] = [not d for d in defaults_vpcs]
    live = [i for i in org["aws_ec2_instances"] if i["state"]["Name"] != "terminated"]
    results["aws_ec2_instance_no_public_ip"] = [i["public_ip_address"] is None for i in live]
    by_id = {(g["account_id"], g["group_id"]): g for g in groups}
    results["aws_ec2_instance_sensitive_port_exposed"] = [
        i["public_ip_address"] is None
        or not any(
            _opens(by_id[(i["account_id"], grp["GroupId"])], (22, 3389, *HIGH_RISK_PORTS))
            for grp in i["security_groups"]
        )
        for i in live
    ]
    return results


SECRET_NAME_PARTS = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY")
RUNTIME_SEED = REPOSITORY_SEEDS / "soc2__aws_runtime_end_of_support.csv"


def _compute_results(org: dict) -> dict[str, list[bool]]:
    """The controls of generator/compute.py, with the pass conditions of their SQL."""
    results: dict[str, list[bool]] = {}
    versions = {
        (v["arn"], v["version_number"]): v["launch_template_data"]
        for v in org["aws_ec2_launch_template_versions"]
    }
    templates = [
        [versions[(t["arn"], n)] for n in {t["default_version_number"], t["latest_version_number"]}]
        for t in org["aws_ec2_launch_templates"]
    ]
    results["aws_ec2_launch_template_no_public_ip__launch_template"] = [
        not any(i["AssociatePublicIpAddress"] for d in read for i in d["NetworkInterfaces"])
        for read in templates
    ]
    results["aws_imdsv2_required__launch_template"] = [
        all(d["MetadataOptions"]["HttpTokens"] == "required" for d in read) for read in templates
    ]
    configurations = org["aws_autoscaling_launch_configurations"]
    results["aws_ec2_launch_template_no_public_ip__launch_configuration"] = [
        not c["associate_public_ip_address"] for c in configurations
    ]
    results["aws_imdsv2_required__launch_configuration"] = [
        c["metadata_options"]["HttpTokens"] == "required" for c in configurations
    ]
    live = [i for i in org["aws_ec2_instances"] if i["state"]["Name"] != "terminated"]
    results["aws_imdsv2_required__instance"] = [
        i["metadata_options"]["HttpTokens"] == "required" for i in live
    ]
    support = {
        (t["account_id"], t["region"], t["instance_type"]): t["ebs_info"]["EbsOptimizedSupport"]
        for t in org["aws_ec2_instance_types"]
    }
    results["aws_ec2_ebs_optimized"] = [
        i["ebs_optimized"]
        or support.get((i["account_id"], i["region"], i["instance_type"])) == "default"
        for i in live
        if support.get((i["account_id"], i["region"], i["instance_type"])) != "unsupported"
    ]
    results["aws_ec2_detailed_monitoring"] = [i["monitoring"]["State"] == "enabled" for i in live]
    public = {
        p["image_arn"] for p in org["aws_ec2_image_launch_permissions"] if p["group"] == "all"
    }
    results["aws_ami_not_public"] = [
        not (i["public"] or i["arn"] in public)
        for i in org["aws_ec2_images"]
        if i["owner_id"] == i["account_id"]
    ]
    results["aws_autoscaling_resilience"] = [
        len(set(g["availability_zones"])) >= 2
        and (
            not (g["target_group_arns"] or g["load_balancer_names"])
            or g["health_check_type"] == "ELB"
        )
        for g in org["aws_autoscaling_groups"]
    ]
    functions = org["aws_lambda_functions"]
    results["aws_no_plaintext_secrets_in_config__lambda"] = [
        not any(
            part in name.upper()
            for name in f["configuration"]["Environment"]["Variables"]
            for part in SECRET_NAME_PARTS
        )
        for f in functions
    ]
    ssm = {(m["account_id"], m["region"], m["instance_id"]): m for m in org["aws_ssm_instances"]}
    results["aws_ec2_ssm_managed"] = [
        ssm.get((i["account_id"], i["region"], i["instance_id"]), {}).get("ping_status") == "Online"
        for i in live
        if i["state"]["Name"] == "running"
    ]
    items: dict[tuple[str, str], list[str]] = {}
    for item in org["aws_ssm_instance_compliance_items"]:
        items.setdefault((item["instance_arn"], item["compliance_type"]), []).append(item["status"])
    results["aws_ssm_patch_compliant"] = [
        bool(items.get((m["arn"], "Patch"))) and "NON_COMPLIANT" not in items[(m["arn"], "Patch")]
        for m in org["aws_ssm_instances"]
    ]
    results["aws_ssm_association_compliant"] = [
        "NON_COMPLIANT" not in items[(m["arn"], "Association")]
        for m in org["aws_ssm_instances"]
        if (m["arn"], "Association") in items
    ]
    active = {
        (c["request_account_id"], c["request_region"])
        for c in org["aws_inspector2_covered_resources"]
        if c["scan_status"]["StatusCode"] == "ACTIVE"
    }
    stale = {
        (f["request_account_id"], f["request_region"])
        for f in org["aws_inspector2_findings"]
        if f["status"] == "ACTIVE"
        and f["severity"] == "CRITICAL"
        and (AS_OF - f["first_observed_at"]).days > 30
    }
    results["aws_inspector_enabled"] = [
        pair in active and pair not in stale for pair in _account_region_pairs(org)
    ]
    results["aws_ecr_image_scanning"] = [
        r["image_scanning_configuration"]["ScanOnPush"] and r["image_tag_mutability"] == "IMMUTABLE"
        for r in org["aws_ecr_repositories"]
    ]
    with RUNTIME_SEED.open(encoding="utf-8") as handle:
        deprecated = {
            row["runtime"]: datetime.fromisoformat(row["deprecation_date"])
            for row in csv.DictReader(handle)
        }
    results["aws_supported_runtimes_versions__lambda"] = [
        deprecated[f["configuration"]["Runtime"]] > AS_OF for f in functions
    ]
    results["aws_lambda_in_vpc"] = [bool(f["configuration"].get("VpcConfig")) for f in functions]
    results["aws_lambda_concurrency_limit"] = [f["concurrency"] is not None for f in functions]
    destinations = {
        c["function_arn"]
        for c in org["aws_lambda_function_event_invoke_configs"]
        if c["destination_config"]["OnFailure"].get("Destination")
    }
    results["aws_lambda_dlq"] = [
        "DeadLetterConfig" in f["configuration"] or f["arn"] in destinations for f in functions
    ]
    return results


def _encryption_results(org: dict) -> dict[str, list[bool]]:
    results: dict[str, list[bool]] = {}
    results["aws_ebs_volume_encrypted"] = [v["encrypted"] for v in org["aws_ec2_ebs_volumes"]]
    results["aws_ebs_default_encryption"] = [
        r["ebs_encryption_enabled_by_default"] for r in org["aws_ec2_regional_configs"]
    ]
    results["aws_ebs_snapshot_encrypted"] = [s["encrypted"] for s in org["aws_ec2_ebs_snapshots"]]
    databases = org["aws_rds_instances"] + org["aws_rds_clusters"]
    results["aws_rds_storage_encrypted"] = [d["storage_encrypted"] for d in databases]
    cluster_snapshots = (
        org["aws_rds_cluster_snapshots"]
        + org["aws_docdb_cluster_snapshots"]
        + org["aws_neptune_cluster_snapshots"]
    )
    results["aws_db_snapshot_encrypted"] = [s["encrypted"] for s in org["aws_rds_db_snapshots"]] + [
        s["storage_encrypted"] for s in cluster_snapshots
    ]
    results["aws_other_db_storage_encrypted"] = (
        [c["storage_encrypted"] for c in org["aws_docdb_clusters"] + org["aws_neptune_clusters"]]
        + [c["sse_description"]["Status"] == "ENABLED" for c in org["aws_dax_clusters"]]
        + [g["at_rest_encryption_enabled"] for g in org["aws_elasticache_replication_groups"]]
    )  # fmt: skip
    results["aws_dynamodb_kms_encryption"] = [
        t["sse_description"] is not None
        and t["sse_description"]["SSEType"] == "KMS"
        and t["sse_description"]["Status"] == "ENABLED"
        for t in org["aws_dynamodb_tables"]
    ]
    results["aws_efs_encrypted"] = [f["encrypted"] for f in org["aws_efs_filesystems"]]
    results["aws_opensearch_encrypted_at_rest"] = [
        d["encryption_at_rest_options"]["Enabled"] for d in org["aws_elasticsearch_domains"]
    ]
    results["aws_redshift_encrypted"] = [
        c["encrypted"] and c["kms_key_id"] is not None for c in org["aws_redshift_clusters"]
    ]
    results["aws_sns_sqs_encrypted"] = [
        bool(t["kms_master_key_id"]) for t in org["aws_sns_topics"]
    ] + [
        bool(q["kms_master_key_id"]) or q["sqs_managed_sse_enabled"] for q in org["aws_sqs_queues"]
    ]
    results["aws_kinesis_firehose_encrypted"] = [
        s["encryption_type"] == "KMS" for s in org["aws_kinesis_streams"]
    ] + [
        f["delivery_stream_encryption_configuration"]["Status"] == "ENABLED"
        for f in org["aws_firehose_delivery_streams"]
    ]
    results["aws_sagemaker_encrypted"] = (
        [n["kms_key_id"] is not None for n in org["aws_sagemaker_notebook_instances"]]
        + [e["kms_key_id"] is not None for e in org["aws_sagemaker_endpoint_configurations"]]
        + [
            "KmsKeyId" in j["output_data_config"] and "VolumeKmsKeyId" in j["resource_config"]
            for j in org["aws_sagemaker_training_jobs"]
        ]
    )  # fmt: skip
    complete = {
        (c["account_id"], c["region"], c["name"])
        for c in org["aws_glue_security_configurations"]
        if c["encryption_configuration"]["CloudWatchEncryption"]["CloudWatchEncryptionMode"]
        != "DISABLED"
        and c["encryption_configuration"]["JobBookmarksEncryption"]["JobBookmarksEncryptionMode"]
        != "DISABLED"
    }
    results["aws_glue_encryption"] = [
        (j["account_id"], j["region"], j["security_configuration"]) in complete
        for j in org["aws_glue_jobs"]
    ] + [
        c["encryption_at_rest"]["CatalogEncryptionMode"] != "DISABLED"
        for c in org["aws_glue_datacatalog_encryption_settings"]
    ]
    return results


def _backup_results(org: dict) -> dict[str, list[bool]]:
    """The backup, resilience and processing controls (generator/backup.py)."""
    results: dict[str, list[bool]] = {}
    protected = {r["resource_arn"] for r in org["aws_backup_protected_resources"]}
    selected = {
        arn for s in org["aws_backup_plan_selections"] for arn in s["backup_selection"]["Resources"]
    }
    covered = protected | selected
    efs = org["aws_efs_filesystems"]
    results["aws_efs_backup"] = [
        f["arn"] in covered or f["backup_policy_status"] == "ENABLED" for f in efs
    ]
    for control, table in (
        ("aws_dynamodb_backup_plan", "aws_dynamodb_tables"),
        ("aws_ebs_backup", "aws_ec2_ebs_volumes"),
        ("aws_ec2_backup", "aws_ec2_instances"),
        ("aws_fsx_backup_plan", "aws_fsx_file_systems"),
    ):
        results[control] = [r["arn"] in covered for r in org[table]]
    rds = org["aws_rds_instances"] + org["aws_rds_clusters"]
    patterns = {
        (s["region"], arn) for s in org["aws_backup_plan_selections"]
        for arn in s["backup_selection"]["Resources"] if "*" in arn
    }  # fmt: skip
    results["aws_rds_backup_plan"] = [
        any(d["region"] == region and fnmatch.fnmatchcase(d["arn"], p) for region, p in patterns)
        for d in rds
    ]
    results["aws_backup_plan_retention"] = [
        any(
            "? * * *" in rule["ScheduleExpression"] and rule["Lifecycle"]["DeleteAfterDays"] >= 35
            for rule in p["backup_plan"]["Rules"]
        )
        for p in org["aws_backup_plans"]
    ]
    points = org["aws_backup_vault_recovery_points"]
    results["aws_backup_recovery_point_retention"] = [
        p["lifecycle"]["DeleteAfterDays"] >= 35 for p in points
    ]
    results["aws_backup_vault_deletion_protected"] = [v["locked"] for v in org["aws_backup_vaults"]]
    results["aws_backup_recovery_points_encrypted"] = [p["is_encrypted"] for p in points] + [
        v["encryption_key_arn"] is not None for v in org["aws_backup_vaults"]
    ]
    accounts = [a["account_id"] for a in org["aws_iam_accounts"]]
    reporting = {r["account_id"] for r in org["aws_backup_report_plans"]}
    results["aws_backup_report_plans"] = [a in reporting for a in accounts]
    restored = {p["account_id"] for p in points if p["last_restore_time"] is not None}
    results["aws_disaster_recovery_drills"] = [a in restored for a in accounts]
    results["aws_rds_automated_backups"] = [d["backup_retention_period"] >= 7 for d in rds]
    results["aws_dynamodb_pitr"] = [
        c["point_in_time_recovery_description"]["PointInTimeRecoveryStatus"] == "ENABLED"
        for c in org["aws_dynamodb_table_continuous_backups"]
    ]
    redshift = org["aws_redshift_clusters"]
    results["aws_redshift_automated_snapshots"] = [
        c["automated_snapshot_retention_period"] >= 7 for c in redshift
    ]
    groups = org["aws_elasticache_replication_groups"]
    results["aws_elasticache_backups"] = [
        (g["snapshot_retention_limit"] or 0) >= 15 for g in groups
    ]
    other = org["aws_docdb_clusters"] + org["aws_neptune_clusters"]
    results["aws_other_db_backups"] = [c["backup_retention_period"] >= 7 for c in other]
    results["aws_copy_tags_to_snapshots"] = [
        d["copy_tags_to_snapshot"] for d in rds + org["aws_neptune_clusters"]
    ]
    results["aws_rds_multi_az"] = [d["multi_az"] for d in rds]
    results["aws_elb_multi_az_cross_zone__v2"] = [
        len(lb["availability_zones"]) >= 2 and lb["type"] == "application"
        for lb in org["aws_elbv2_load_balancers"]
    ]
    results["aws_elb_multi_az_cross_zone__classic"] = [
        len(lb["availability_zones"]) >= 2 and lb["attributes"]["CrossZoneLoadBalancing"]["Enabled"]
        for lb in org["aws_elbv1_load_balancers"]
    ]
    config = [d["elasticsearch_cluster_config"] for d in org["aws_elasticsearch_domains"]]
    results["aws_other_ha_multi_az"] = (
        [g["automatic_failover"] == g["multi_az"] == "enabled" for g in groups]
        + [d["multi_az"] for d in org["aws_dms_replication_instances"]]
        + [c["multi_az"] == "Enabled" for c in redshift]
        + [c["ZoneAwarenessEnabled"] and c["DedicatedMasterCount"] >= 3 for c in config]
        + [f["availability_zone_name"] is None for f in efs]
        + [
            f["windows_configuration"]["DeploymentType"].startswith("MULTI_AZ")
            for f in org["aws_fsx_file_systems"]
        ]
    )  # fmt: skip
    deletion = {
        a["load_balancer_arn"]: a["value"] == "true"
        for a in org["aws_elbv2_load_balancer_attributes"]
        if a["key"] == "deletion_protection.enabled"
    }
    results["aws_deletion_protection"] = (
        [d["deletion_protection"] for d in rds + other]
        + [t["deletion_protection_enabled"] for t in org["aws_dynamodb_tables"]]
        + list(deletion.values())
        + [f["delete_protection"] for f in org["aws_networkfirewall_firewalls"]]
        + [s["enable_termination_protection"] for s in org["aws_cloudformation_stacks"]]
    )  # fmt: skip
    scaled = {
        (p["account_id"], p["resource_id"], p["scalable_dimension"].split(":")[-1])
        for p in org["aws_applicationautoscaling_policies"]
    }
    results["aws_dynamodb_autoscaling"] = [
        (t["billing_mode_summary"] or {}).get("BillingMode") == "PAY_PER_REQUEST"
        or all(
            (t["account_id"], f"table/{t['table_name']}", f"{d}CapacityUnits") in scaled
            for d in ("Read", "Write")
        )
        for t in org["aws_dynamodb_tables"]
    ]
    upgrades = (
        org["aws_rds_instances"]
        + groups
        + org["aws_mq_brokers"]
        + org["aws_dms_replication_instances"]
    )
    results["aws_auto_minor_version_upgrade"] = [
        r["auto_minor_version_upgrade"] for r in upgrades
    ] + [c["allow_version_upgrade"] for c in redshift]
    targets = {
        q["redrive_policy"]["deadLetterTargetArn"]
        for q in org["aws_sqs_queues"]
        if q["redrive_policy"] is not None
    }
    results["aws_sqs_dlq"] = [
        q["redrive_policy"] is not None for q in org["aws_sqs_queues"] if q["arn"] not in targets
    ]
    results["aws_kinesis_retention"] = [
        s["retention_period_hours"] >= 168 for s in org["aws_kinesis_streams"]
    ]
    return results


def _new_control_results(org: dict) -> dict[str, list[bool]]:
    """The controls of the inventory services, from the rows of their own tables."""
    return {
        **_logging_results(org),
        **_detection_results(org),
        **_service_results(org),
        **_s3_and_iam_results(org),
        **_exposure_results(org),
        **_network_results(org),
        **_compute_results(org),
        **_encryption_results(org),
        **_backup_results(org),
    }


def test_scaled_one_is_the_default_size():
    assert OrgSize().scaled(1) == OrgSize()
    with pytest.raises(ValueError):
        OrgSize().scaled(0)


def test_same_seed_gives_identical_rows(org):
    assert generate_organisation(OrgSize(), seed=7) == org


def test_different_seed_gives_different_rows(org):
    other = generate_organisation(OrgSize(), seed=8)
    assert other != org
    assert other["aws_iam_accounts"][0]["account_id"] != org["aws_iam_accounts"][0]["account_id"]


def test_as_of_moves_timestamps(org):
    later = generate_organisation(OrgSize(), as_of=AS_OF + timedelta(days=10))
    assert later["aws_iam_users"][0]["create_date"] - org["aws_iam_users"][0]["create_date"] == (
        timedelta(days=10)
    )


def test_a_new_service_leaves_existing_tables_unchanged():
    """The extension point: a service on its own stream adds rows and changes no others."""

    def generate(org: Organisation) -> None:
        rng = org.stream("example")
        for account in org.accounts:
            org.add("example_things", {"account_id": account.account_id, "n": rng.randrange(9)})

    example = Service("example", ("example_things",), generate)
    base = assemble.build(OrgSize(), 7, AS_OF)
    extended = assemble.build(OrgSize(), 7, AS_OF, (*assemble.SERVICES, example))
    assert list(extended) == [*TABLES, "example_things"]
    assert {table: rows for table, rows in extended.items() if table in TABLES} == base
    accounts = [row["account_id"] for row in base["aws_iam_accounts"]]
    assert [row["account_id"] for row in extended["example_things"]] == accounts
    again = assemble.build(OrgSize(), 7, AS_OF, (*assemble.SERVICES, example))
    assert again["example_things"] == extended["example_things"]


@pytest.mark.parametrize(
    "name",
    [
        "s3_settings",
        "logging",
        "detection",
        "services",
        "exposure",
        "network",
        "compute",
        "data_stores",
    ],
)
def test_each_inventory_service_is_independent(name):
    """Leaving one inventory service out changes no other service's rows, except those of
    the services that build on its rows (the network lives in detection's VPCs; compute's
    Inspector coverage reads every instance; transport adds the listeners of the load
    balancers services makes) and the tables two services fill (EC2
    instances: network places some, compute runs others)."""
    full = assemble.build(OrgSize(), 7, AS_OF)
    others = tuple(service for service in assemble.SERVICES if service.name != name)
    without = assemble.build(OrgSize(), 7, AS_OF, others)
    own = next(s for s in assemble.SERVICES if s.name == name).tables
    shared = {table for service in others for table in service.tables} & set(own)
    dropped = tuple(table for table in own if table not in shared)
    builds_on = {
        "detection": (*network.TABLES, *compute.TABLES),
        "network": compute.TABLES,
        "services": transport.SERVICE_CHILD_TABLES,
    }
    readers = (*builds_on.get(name, ()), *shared)
    assert set(full) - set(without) == set(dropped)
    assert {table: rows for table, rows in without.items() if table not in readers} == {
        table: rows for table, rows in full.items() if table not in (*dropped, *readers)
    }


def test_every_table_and_column_is_declared(org):
    specs = rawdb.load_table_specs()
    assert set(org) == set(TABLES)
    for table, rows in org.items():
        declared = [name for name, _ in specs[table]]
        assert rows, table
        for row in rows:
            assert list(row) == declared, table


def test_ids_are_unique_and_children_point_at_parents(org):
    for table, rows in org.items():
        ids = [r["_cq_id"] for r in rows]
        assert len(ids) == len(set(ids)), table
    users = {u["_cq_id"] for u in org["aws_iam_users"]}
    policies = {p["_cq_id"] for p in org["aws_iam_policies"]}
    buckets = {b["_cq_id"] for b in org["aws_s3_buckets"]}
    assert {k["_cq_parent_id"] for k in org["aws_iam_user_access_keys"]} <= users
    assert {v["_cq_parent_id"] for v in org["aws_iam_policy_versions"]} == policies
    assert {e["_cq_parent_id"] for e in org["aws_s3_bucket_encryption_rules"]} <= buckets


def test_realistic_identifiers(org):
    accounts = [a["account_id"] for a in org["aws_iam_accounts"]]
    assert len(accounts) == 3
    assert all(isinstance(a, str) and len(a) == 12 and a.isdigit() for a in accounts)
    for user in org["aws_iam_users"]:
        assert user["arn"].startswith(f"arn:aws:iam::{user['account_id']}:user/")
        assert user["arn"].endswith(f"/{user['user_name']}")
    roots = _root_rows(org)
    assert sorted(r["arn"] for r in roots) == sorted(f"arn:aws:iam::{a}:root" for a in accounts)
    names = [u["user_name"] for u in org["aws_iam_users"]]
    assert any(not n.isascii() for n in names)
    assert any("'" in n for n in names)
    odd = [n for n in names if not n.isascii() or "'" in n]
    assert len(odd) <= 0.1 * len(names)


def test_credential_report_shapes(org):
    users = _user_rows(org)
    assert len(users) == len(org["aws_iam_users"])
    assert {r["password_enabled"] for r in users} == {"true", "false"}
    assert {r["password_enabled"] for r in _root_rows(org)} == {"not_supported"}
    assert all(isinstance(r["mfa_active"], bool) for r in org["aws_iam_credential_reports"])
    assert len(org["aws_iam_password_policies"]) == 3
    assert {r["policy_exists"] for r in org["aws_iam_password_policies"]} == {True, False}
    assert {k["status"] for k in org["aws_iam_user_access_keys"]} == {"Active", "Inactive"}
    mfa_users = {d["user_name"] for d in org["aws_iam_mfa_devices"]}
    assert mfa_users == {r["user"] for r in users if r["mfa_active"]}


@pytest.mark.parametrize("seed", [7, 8, 1234])
def test_every_control_has_passing_and_failing_resources(seed):
    outcomes = control_outcomes(generate_organisation(OrgSize(), seed=seed))
    assert len(outcomes) == 15 + 59 + 2 + 16 + 19 + 14 + 27
    assert not set(ONE_SIDED) & set(outcomes)
    for control, (passing, failing) in outcomes.items():
        assert passing > 0 and failing > 0, (control, passing, failing)


@pytest.mark.parametrize("factor", [1, 10])
def test_overall_pass_rate_is_between_sixty_and_eighty_percent(factor):
    outcomes = control_outcomes(generate_organisation(OrgSize().scaled(factor)))
    passing = sum(p for p, _ in outcomes.values())
    total = sum(p + f for p, f in outcomes.values())
    assert 0.6 <= passing / total <= 0.8


def test_users_with_zero_one_and_two_active_keys(org):
    active = Counter(
        k["user_arn"] for k in org["aws_iam_user_access_keys"] if k["status"] == "Active"
    )
    counts = Counter(active[u["arn"]] for u in org["aws_iam_users"])
    assert counts[0] and counts[1] and counts[2]


def test_bucket_configuration_variety(org):
    versions = {r["status"] for r in org["aws_s3_bucket_versionings"]}
    assert versions == {"Enabled", "Suspended", None}
    assert {r["mfa_delete"] for r in org["aws_s3_bucket_versionings"]} >= {"Enabled", "Disabled"}
    algorithms = {
        r["apply_server_side_encryption_by_default"]["SSEAlgorithm"]
        for r in org["aws_s3_bucket_encryption_rules"]
    }
    assert algorithms == {"aws:kms", "AES256"}
    buckets = {b["arn"] for b in org["aws_s3_buckets"]}
    assert buckets - set(_by_bucket(org, "aws_s3_bucket_public_access_blocks"))
    partial = [
        r
        for r in org["aws_s3_bucket_public_access_blocks"]
        if not all(r["public_access_block_configuration"].values())
    ]
    assert partial
    logging = [r["logging_enabled"] for r in org["aws_s3_bucket_loggings"] if r["logging_enabled"]]
    assert all(set(c) == {"TargetBucket", "TargetPrefix"} for c in logging)
    assert all(b["region"] for b in org["aws_s3_buckets"])
    for row in org["aws_s3_bucket_policies"]:
        assert json.loads(row["policy"]) == row["policy_json"]


def test_trust_policies(org):
    documents = [r["assume_role_policy_document"] for r in org["aws_iam_roles"]]
    principals = [s.get("Principal") for d in documents for s in _statements(d)]
    services = {
        p["Service"]
        for p in principals
        if isinstance(p, dict) and isinstance(p.get("Service"), str)
    }
    assert {"ec2.amazonaws.com", "lambda.amazonaws.com"} <= services
    accounts = {a["account_id"] for a in org["aws_iam_accounts"]}
    aws = [a for p in principals if isinstance(p, dict) for a in _as_list(p.get("AWS"))]
    foreign = [a for a in aws if a != "*" and a.split(":")[4] not in accounts]
    assert foreign
    public = [
        s
        for d in documents
        for s in _statements(d)
        if s.get("Principal") == "*" or s.get("Principal") == {"AWS": "*"}
    ]
    conditions = [json.dumps(s.get("Condition")) for s in public]
    assert any(c == "null" for c in conditions)
    assert any("sts:ExternalId" in c for c in conditions)
    assert any("aws:PrincipalOrgID" in c for c in conditions)
    assert len(public) <= 0.15 * len(documents)
    assert any(isinstance(d["Statement"], dict) for d in documents)


def test_aws_managed_policies_repeat_per_account(org):
    admin = [
        p
        for p in org["aws_iam_policies"]
        if p["arn"] == "arn:aws:iam::aws:policy/AdministratorAccess"
    ]
    assert len(admin) == 3
    assert len({p["account_id"] for p in admin}) == 3
    assert any(
        p["arn"] == "arn:aws:iam::aws:policy/ReadOnlyAccess" for p in org["aws_iam_policies"]
    )
    customer = [p for p in org["aws_iam_policies"] if not p["arn"].startswith("arn:aws:iam::aws:")]
    assert len(customer) == 24
    assert all(p["arn"].startswith(f"arn:aws:iam::{p['account_id']}:policy/") for p in customer)


def test_policy_versions(org):
    versions = org["aws_iam_policy_versions"]
    per_policy = Counter(v["_cq_parent_id"] for v in versions)
    defaults = Counter(v["_cq_parent_id"] for v in versions if v["is_default_version"])
    assert set(per_policy.values()) == {1, 2, 3}
    assert all(defaults[p["_cq_id"]] == 1 for p in org["aws_iam_policies"])
    default_ids = {
        (v["_cq_parent_id"], v["version_id"]) for v in versions if v["is_default_version"]
    }
    assert default_ids == {(p["_cq_id"], p["default_version_id"]) for p in org["aws_iam_policies"]}
    for v in versions:
        if v["document_json"] is not None and v["document_json"].get("Statement") != 42:
            assert json.loads(v["document"]) == v["document_json"]


def test_policy_document_shapes(org):
    documents = [v["document_json"] for v in org["aws_iam_policy_versions"] if v["document_json"]]
    documents += [r["policy_document"] for r in org["aws_iam_role_policies"]]
    statements = [s for d in documents for s in _statements(d)]
    assert any(isinstance(d["Statement"], dict) for d in documents)
    assert any(isinstance(d["Statement"], list) for d in documents)
    assert any(isinstance(s.get("Action"), str) for s in statements)
    assert any(isinstance(s.get("Action"), list) for s in statements)
    for key in ("NotAction", "NotResource", "Condition"):
        assert any(key in s for s in statements), key
    assert any(s["Effect"] == "Deny" for s in statements)
    actions = set().union(*(_actions(d) for d in documents))
    assert any("?" in a for a in actions)
    assert {
        "iam:PassRole",
        "ec2:RunInstances",
        "iam:CreatePolicyVersion",
        "iam:AttachUserPolicy",
    } <= actions
    admin = [
        s
        for s in statements
        if s["Effect"] == "Allow"
        and _as_list(s.get("Action")) == ["*"]
        and _as_list(s.get("Resource")) == ["*"]
    ]
    assert admin


def test_bad_policy_documents(org):
    versions = org["aws_iam_policy_versions"]
    broken = [v for v in versions if v["document_json"] is None]
    assert 1 <= len(broken) <= 2
    for v in broken:
        with pytest.raises(json.JSONDecodeError):
            json.loads(v["document"])
    numeric = [
        v for v in versions if v["document_json"] and v["document_json"].get("Statement") == 42
    ]
    assert len(numeric) == 1
    assert json.loads(numeric[0]["document"]) == numeric[0]["document_json"]


def test_bad_document_rate_at_scale():
    versions = generate_organisation(OrgSize().scaled(20))["aws_iam_policy_versions"]
    broken = sum(1 for v in versions if v["document_json"] is None)
    assert 1 <= broken <= max(2, len(versions) // 250)


def test_scale_100_size():
    size = OrgSize().scaled(100)
    users_and_roles = size.accounts * (size.users_per_account + size.roles_per_account)
    assert users_and_roles >= 10_000
    assert size.accounts * size.policies_per_account >= 2_000


def test_generate_subcommand_writes_duckdb(tmp_path, capsys):
    path = tmp_path / "raw.duckdb"
    assert (
        cli.main(["generate", "--duckdb", str(path), "--schema", "raw", "--as-of", "2026-06-30"])
        == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert lines[-1].startswith("done: ")
    expected = generate_organisation(OrgSize())
    with duckdb.connect(str(path)) as con:
        for table, rows in expected.items():
            count = con.execute(f"select count(*) from raw.raw.{table}").fetchone()[0]
            assert count == len(rows), table
        sync = con.execute("select distinct _cq_sync_time from raw.raw.aws_iam_users").fetchall()
    assert sync == [(AS_OF,)]
