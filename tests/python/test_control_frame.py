"""The frame that makes adding a control cheap and safe, checked from the files:
the one list of control families, the catalog (check ids, criteria, trust
category, severity, naming, required tables) and the generated files."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import yaml

from soc2_tools import controls

REPOSITORY = Path(__file__).resolve().parents[2]
FAMILY_DIR = REPOSITORY / "models" / "intermediate" / "controls"
FAMILY_LIST = REPOSITORY / "macros" / "controls" / "control_families.sql"
SOURCES = REPOSITORY / "models" / "staging" / "aws" / "_soc2_aws__sources.yml"
CHECKS = REPOSITORY / "seeds" / "soc2__aws_reference_checks.csv"
EXPECTED = REPOSITORY / "integration_tests" / "seeds" / "expected"

# Released before the naming rule; their ids never change (CONTRIBUTING.md).
LEGACY_AUTOMATED_IDS = {
    "aws_iam_root_mfa_enabled",
    "aws_iam_root_no_access_keys",
    "aws_iam_console_users_mfa",
    "aws_iam_access_keys_rotated",
    "aws_iam_unused_credentials_disabled",
    "aws_iam_password_policy_strong",
    "aws_iam_user_single_active_key",
    "aws_iam_user_no_direct_policies",
    "aws_s3_account_public_access_block",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_policy_not_public",
    "aws_s3_bucket_tls_only",
    "aws_s3_bucket_access_logging",
    "aws_s3_bucket_default_encryption",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_mfa_delete",
    "aws_iam_no_admin_outside_break_glass",
    "aws_iam_no_privilege_escalation",
    "aws_iam_least_privilege",
    "aws_iam_no_public_trust",
}
# Automated controls that no check of the reference list describes (DECISIONS.md).
WITHOUT_REFERENCE_CHECK = {"aws_iam_no_public_trust"}
CATEGORY_OF_PREFIX = {
    "CC": "security",
    "A": "availability",
    "PI": "processing_integrity",
    "C": "confidentiality",
    "P": "privacy",
}
MAX_LIST_ITEMS = 8  # int_soc2__control_results_automated reads at most this many


@functools.cache
def catalog() -> list[controls.Control]:
    return controls.read_catalog(REPOSITORY)


def automated() -> list[controls.Control]:
    return [c for c in catalog() if c.control_type == "automated"]


@functools.cache
def reference_checks() -> dict[str, dict[str, str]]:
    with CHECKS.open(encoding="utf-8", newline="") as handle:
        return {row["check_id"]: row for row in csv.DictReader(handle)}


def listed_families() -> list[str]:
    text = FAMILY_LIST.read_text(encoding="utf-8")
    body = text[text.index("macro control_families()") : text.index("endmacro")]
    return re.findall(r"'(int_soc2__controls_\w+)'", body)


def family_files() -> dict[str, str]:
    return {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted(FAMILY_DIR.glob("int_soc2__controls_*.sql"))
    }


def declared_tables() -> set[str]:
    document = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))
    return {table["name"] for source in document["sources"] for table in source["tables"]}


def test_every_family_model_is_tagged_and_listed_once():
    files = family_files()
    assert files, "no control-family model found"
    # soc2.control_family() tags the model soc2_control_family and handles switching it off
    untagged = [name for name, text in files.items() if "soc2.control_family()" not in text]
    assert untagged == []
    listed = listed_families()
    assert len(listed) == len(set(listed)), listed
    assert sorted(listed) == sorted(files), "control_families() must list every family model"


def test_catalog_families_are_listed_and_used():
    listed = set(listed_families())
    named = {f"int_soc2__controls_{c.family}" for c in automated()}
    assert all(c.family for c in automated())
    assert named == listed
    assert all(c.family == "" for c in catalog() if c.control_type == "manual")


def test_every_decidable_reference_check_has_a_control():
    """Every check of the reference list that CloudQuery's data decides, wholly
    or partly, is implemented by at least one automated control; the checks it
    cannot decide are exactly those marked `no`, each with what is missing."""
    implemented = {c.check_id for c in automated()}
    checks = reference_checks()
    missing = sorted(
        check_id
        for check_id, row in checks.items()
        if row["decidable"] in ("yes", "partly") and check_id not in implemented
    )
    assert missing == []
    undecidable = {check_id for check_id, row in checks.items() if row["decidable"] == "no"}
    assert undecidable.isdisjoint(implemented)
    assert all(checks[check_id]["cloudquery_gap"] for check_id in undecidable)


def test_the_reference_list_names_each_peer_check_once():
    """The crosswalk's key: each Prowler SOC 2 check and Steampipe SOC 2 control
    belongs to one reference check (171 and 126 of them)."""
    for column, count in (("prowler_checks", 171), ("steampipe_controls", 126)):
        names = [
            name for row in reference_checks().values() for name in row[column].split(";") if name
        ]
        assert len(names) == len(set(names)) == count, column


def test_check_ids_and_criteria_come_from_the_reference_list():
    checks = reference_checks()
    for control in automated():
        if control.control_id in WITHOUT_REFERENCE_CHECK:
            assert control.check_id == "", control
            continue
        assert control.check_id in checks, control
        assert control.criteria == checks[control.check_id]["tsc_proposed"], control
    assert all(c.check_id == "" for c in catalog() if c.control_type == "manual")


def test_trust_category_is_the_first_criterion_outside_the_common_criteria():
    for control in catalog():
        criteria = control.criteria.split(";")
        prefixes = [re.match(r"[A-Z]+", criterion).group(0) for criterion in criteria]
        outside = [p for p in prefixes if p != "CC"]
        expected = CATEGORY_OF_PREFIX[outside[0]] if outside else "security"
        assert control.trust_category == expected, control


def test_severities_follow_the_rubric_vocabulary():
    assert {c.severity for c in catalog()} <= {"critical", "high", "medium", "low"}


def test_control_ids_follow_the_naming_rule():
    ids = [c.control_id for c in catalog()]
    assert len(ids) == len(set(ids))
    for control in automated():
        if control.control_id in LEGACY_AUTOMATED_IDS:
            continue
        assert re.fullmatch(rf"aws_{control.check_id}(__[a-z0-9_]+)?", control.control_id), control
    for control in catalog():
        if control.control_type == "manual":
            criterion = control.criteria.split(";")[0].lower().replace(".", "_")
            assert control.control_id == f"manual_{criterion}", control


def test_required_tables_are_declared_sources_in_the_syntax():
    tables = declared_tables()
    for control in automated():
        groups = controls.requirement_groups(control.required_tables)
        assert groups, control
        assert len(control.required_tables.split(";")) <= MAX_LIST_ITEMS, control
        for group in groups:
            assert 1 <= len(group) <= MAX_LIST_ITEMS, control
            assert set(group) <= tables, (control.control_id, set(group) - tables)
    assert controls.requirement_groups("a|b;c") == [["a", "b"], ["c"]]


def test_every_automated_control_passes_and_fails_in_the_fixtures():
    with (EXPECTED / "expected_control_results_full.csv").open(encoding="utf-8") as handle:
        seen = {(row["control_id"], row["status"]) for row in csv.DictReader(handle)}
    for control in automated():
        assert (control.control_id, "pass") in seen, control.control_id
        assert (control.control_id, "fail") in seen, control.control_id


def test_generated_files_are_fresh():
    assert controls.stale_files(REPOSITORY) == [], "run `soc2 controls`"
