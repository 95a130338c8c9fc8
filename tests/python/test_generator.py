"""The demo organisation generator: determinism, layout, a mix of passing and failing controls."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

import duckdb
import pytest

from soc2_tools import cli, rawdb
from soc2_tools.generator import (
    TABLES,
    OrgSize,
    Service,
    assemble,
    generate_organisation,
    logging,
    transport,
)
from soc2_tools.generator.organisation import Organisation

AS_OF = datetime(2026, 6, 30)
CUTOFF = AS_OF - timedelta(days=90)


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
    return {name: (sum(v), len(v) - sum(v)) for name, v in results.items()}


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


def _new_control_results(org: dict) -> dict[str, list[bool]]:
    """The controls of the inventory services, from the rows of their own tables."""
    return {
        **_logging_results(org),
        **_detection_results(org),
        **_service_results(org),
        **_s3_and_iam_results(org),
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


# Tables one module derives from another's resources (the listeners of the load
# balancers `services` makes): leaving that service out empties them.
DERIVED_TABLES = {"services": transport.SERVICE_CHILD_TABLES}


@pytest.mark.parametrize("name", ["s3_settings", "logging", "detection", "services"])
def test_each_inventory_service_is_independent(name):
    """Leaving one inventory service out changes no other service's rows."""
    full = assemble.build(OrgSize(), 7, AS_OF)
    others = tuple(service for service in assemble.SERVICES if service.name != name)
    without = assemble.build(OrgSize(), 7, AS_OF, others)
    dropped = next(s for s in assemble.SERVICES if s.name == name).tables
    assert set(full) - set(without) == set(dropped)
    # tables another module makes of the dropped service's resources: empty
    derived = DERIVED_TABLES.get(name, ())
    assert all(not without[table] for table in derived)
    assert {table: rows for table, rows in without.items() if table not in derived} == {
        table: rows for table, rows in full.items() if table not in dropped and table not in derived
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
    assert len(outcomes) == 15 + 59
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
