"""Helpers of `soc2 benchmark`: the two input shapes (a generated organisation and the
sample export replicated in one account), the conversion of CloudQuery rows to
`get-account-authorization-details` exports for Cloudsplaining, and the table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import pytest

from soc2_tools import authz_export, benchmark, generator

EXAMPLE = Path(__file__).parent / "data" / "cloudsplaining-example-authz-details.json"

AS_OF = datetime(2026, 6, 30)


@pytest.fixture(scope="module")
def organisation() -> dict[str, list[dict[str, object]]]:
    return generator.generate_organisation(benchmark.org_size_for(300), seed=3, as_of=AS_OF)


@pytest.fixture(scope="module")
def account_id(organisation) -> str:
    """An account holding a policy version that is not JSON, if the generator made one."""
    broken = [
        row["account_id"]
        for row in organisation["aws_iam_policy_versions"]
        if row["document_json"] is None
    ]
    return str(broken[0] if broken else organisation["aws_iam_users"][0]["account_id"])


@pytest.fixture(scope="module")
def exports(organisation) -> dict[str, dict[str, object]]:
    return authz_export.to_authorization_details(organisation)


@pytest.fixture(scope="module")
def round_trip(exports, account_id) -> dict[str, list[dict[str, object]]]:
    text = json.dumps(exports[account_id])  # as the file Cloudsplaining reads
    return authz_export.convert_export(json.loads(text))


def canonical(
    rows: Iterable[dict[str, object]], columns: Sequence[str], account_id: str
) -> list[str]:
    return sorted(
        json.dumps([row[c] for c in columns], sort_keys=True, default=str)
        for row in rows
        if row["account_id"] == account_id
    )


SAME_COLUMNS = {
    "aws_iam_users": (
        "arn", "user_name", "user_id", "path", "create_date", "tags",
        "password_last_used", "permissions_boundary",
    ),
    "aws_iam_groups": ("arn", "group_name", "group_id", "path", "create_date"),
    "aws_iam_roles": (
        "arn", "role_name", "role_id", "path", "create_date", "description",
        "max_session_duration", "assume_role_policy_document", "permissions_boundary",
        "role_last_used", "tags",
    ),
    "aws_iam_policies": (
        "arn", "policy_id", "policy_name", "path", "default_version_id", "attachment_count",
        "permissions_boundary_usage_count", "is_attachable", "description", "create_date",
        "update_date",
    ),
    "aws_iam_policy_versions": (
        "policy_arn", "version_id", "is_default_version", "create_date", "document_json",
    ),
    "aws_iam_user_groups": ("user_arn", "arn", "group_name", "group_id"),
    "aws_iam_user_policies": ("user_arn", "policy_name", "policy_document"),
    "aws_iam_group_policies": ("group_arn", "policy_name", "policy_document"),
    "aws_iam_role_policies": ("role_arn", "policy_name", "policy_document"),
    "aws_iam_user_attached_policies": ("user_arn", "policy_arn", "policy_name"),
    "aws_iam_group_attached_policies": ("group_arn", "policy_arn", "policy_name"),
    "aws_iam_role_attached_policies": ("role_arn", "policy_arn", "policy_name"),
}  # fmt: skip


def test_one_export_per_account(organisation, exports):
    accounts = {row["account_id"] for row in organisation["aws_iam_accounts"]}
    assert set(exports) == accounts
    for export in exports.values():
        assert set(export) == {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"}


@pytest.mark.parametrize("table", sorted(SAME_COLUMNS))
def test_round_trip_through_the_export_converter(organisation, round_trip, account_id, table):
    columns = SAME_COLUMNS[table]
    expected = canonical(organisation[table], columns, account_id)
    assert expected, f"the generator made no {table} rows in {account_id}"
    assert canonical(round_trip[table], columns, account_id) == expected


def test_default_documents_survive_including_broken_ones(organisation, round_trip, account_id):
    def defaults(rows: Iterable[dict[str, object]]) -> dict[object, object]:
        return {
            row["policy_arn"]: row["document_json"]
            for row in rows
            if row["account_id"] == account_id and row["is_default_version"]
        }

    expected = defaults(organisation["aws_iam_policy_versions"])
    assert defaults(round_trip["aws_iam_policy_versions"]) == expected
    broken = [
        row
        for row in organisation["aws_iam_policy_versions"]
        if row["account_id"] == account_id and row["document_json"] is None
    ]
    converted = {
        (row["policy_arn"], row["version_id"]): row["document"]
        for row in round_trip["aws_iam_policy_versions"]
    }
    for row in broken:  # kept as the original text, so that it is quarantined downstream
        assert converted[(row["policy_arn"], row["version_id"])] == row["document"]


def test_cloudsplaining_input_has_only_parsable_documents(exports, account_id):
    cleaned, replaced = benchmark.for_cloudsplaining(exports[account_id])
    assert replaced >= 1  # the chosen account holds a broken version
    documents = [
        version["Document"]
        for policy in cleaned["Policies"]
        for version in policy["PolicyVersionList"]
    ]
    assert all(isinstance(d, dict) and isinstance(d["Statement"], dict | list) for d in documents)
    assert any(
        not isinstance(v["Document"], dict)
        for p in exports[account_id]["Policies"]
        for v in p["PolicyVersionList"]
    )  # the original is left unchanged


def test_timestamps_are_written_as_the_aws_cli_does(exports, account_id):
    user = exports[account_id]["UserDetailList"][0]
    assert isinstance(user, dict)
    assert datetime.fromisoformat(user["CreateDate"]).utcoffset().total_seconds() == 0
    assert str(user["CreateDate"]).endswith("+00:00")


@pytest.mark.parametrize("principals", [100, 500, 1_000, 5_000, 10_000])
def test_org_size_gives_about_the_requested_principals(principals):
    size = benchmark.org_size_for(principals)
    assert abs(benchmark.principal_count(size) - principals) <= max(3, principals * 0.02)
    assert principals / 5 <= benchmark.policy_count(size) <= principals / 5 + size.accounts


def test_org_size_at_ten_thousand_has_two_thousand_policies():
    size = benchmark.org_size_for(10_000)
    assert benchmark.policy_count(size) >= 2_000
    assert size.accounts > benchmark.org_size_for(100).accounts


def test_org_size_rejects_tiny_sizes():
    with pytest.raises(ValueError, match="at least 10"):
        benchmark.org_size_for(5)


def test_generated_organisation_has_the_counted_principals():
    size = benchmark.org_size_for(100)
    tables = generator.generate_organisation(size, seed=1, as_of=AS_OF)
    principals = len(tables["aws_iam_users"]) + len(tables["aws_iam_roles"])
    assert principals == benchmark.principal_count(size)
    customer = [p for p in tables["aws_iam_policies"] if ":aws:policy" not in str(p["arn"])]
    assert len(customer) == benchmark.policy_count(size)


def test_selector_names_the_three_ciem_marts():
    assert benchmark.selected_marts(benchmark.CIEM_SELECTOR) == list(benchmark.CIEM_MARTS)


# --- the single-account shape -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> dict[str, object]:
    return benchmark.sample_export(EXAMPLE)


def test_single_account_at_the_quota_has_five_thousand_users_and_roles(sample):
    export = benchmark.single_account_export(10_000, sample)
    assert len(export["UserDetailList"]) == 5_001
    assert len(export["RoleDetailList"]) == 5_001
    assert len(export["GroupDetailList"]) == 2 * 1_667
    tables = authz_export.convert_export(export)
    assert authz_export.export_accounts(export) == [benchmark.SINGLE_ACCOUNT]
    assert len(tables["aws_iam_users"]) == 5_001
    assert len(tables["aws_iam_roles"]) == 5_001
    assert len(tables["aws_iam_instance_profiles"]) == 1_667
    assert len(tables["aws_iam_user_groups"]) == 3 * 1_667
    customer = [p for p in tables["aws_iam_policies"] if ":aws:policy/" not in str(p["arn"])]
    assert len(customer) == 2 * 1_667
    for table in ("aws_iam_users", "aws_iam_roles", "aws_iam_groups", "aws_iam_policies"):
        arns = [row["arn"] for row in tables[table]]
        assert len(set(arns)) == len(arns), table
    memberships = {row["arn"] for row in tables["aws_iam_user_groups"]}
    assert memberships == {row["arn"] for row in tables["aws_iam_groups"]}  # none dangling


def test_single_account_copies_are_renamed_consistently(sample):
    export = benchmark.single_account_export(12, sample)
    users = {u["UserName"]: u for u in export["UserDetailList"]}
    names = ["obama", "userwithlotsofpermissions", "biden"]
    assert sorted(users) == sorted([*names, *(f"{name}-1" for name in names)])
    copy_ = users["obama-1"]
    assert copy_["Arn"] == "arn:aws:iam::012345678901:user/obama-1"
    assert copy_["UserId"] == "obamaX1"
    assert copy_["GroupList"] == ["admin-1"]
    assert users["obama"]["GroupList"] == ["admin"]
    roles = {r["RoleName"]: r for r in export["RoleDetailList"]}
    ec2 = roles["OverprivilegedEC2-1"]
    assert [a["PolicyArn"] for a in ec2["AttachedManagedPolicies"]] == [
        "arn:aws:iam::012345678901:policy/InsecurePolicy-1"
    ]
    (profile,) = ec2["InstanceProfileList"]
    assert [r["Arn"] for r in profile["Roles"]] == [ec2["Arn"]]
    assert (
        profile["InstanceProfileId"]
        != roles["OverprivilegedEC2"]["InstanceProfileList"][0]["InstanceProfileId"]
    )
    policies = [p["Arn"] for p in export["Policies"]]
    assert len(policies) == len(set(policies)) == len(sample["Policies"]) + 2
    assert roles["MyRole"] == next(r for r in sample["RoleDetailList"] if r["RoleName"] == "MyRole")


def test_single_account_rejects_an_empty_sample():
    with pytest.raises(ValueError, match="no users or roles"):
        benchmark.single_account_export(10, {"Policies": []})


def test_table_prints_time_per_thousand_principals_and_skips_cloudsplaining():
    result = benchmark.SizeResult("multi", 100_000, 99_750, 19_950, 95, 1, 10.0, 900.0)
    result.engines["duckdb"] = benchmark.EngineResult("duckdb", 1.0, 1.0, 250.0, 6_000.0, None, 3)
    result.cloudsplaining_note = "skipped above 10,000 principals"
    table = benchmark.render_table([result], ["duckdb"])
    header, line = table.splitlines()[:2]
    assert header.split()[:9] == [
        "shape", "size", "accts", "principals", "policies", "gen", "s", "duckdb", "s",
    ]  # fmt: skip
    assert line.split() == [
        "multi", "100,000", "95", "99,750", "19,950", "10.0", "250.0", "6,000", "2.51",
        "skipped", "-", "-",
    ]  # fmt: skip
