"""Helpers of `soc2 benchmark`: the two input shapes (a generated organisation and the
sample export replicated in one account), the two input forms (per-entity tables and
the authorization-details export) made from either shape, the conversion of CloudQuery
rows to `get-account-authorization-details` exports for Cloudsplaining, the check that
both forms give the same mart row counts, and the table."""

from __future__ import annotations

import argparse
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


# --- the two input forms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "form", "expected"),
    [
        ("multi", "tables", ""),
        ("multi", "export", "tables->export"),
        ("single", "tables", "export->tables"),
        ("single", "export", ""),
    ],
)
def test_conversion_is_needed_only_away_from_the_shapes_own_form(shape, form, expected):
    assert benchmark.conversion(shape, form) == expected


def test_conversion_rejects_unknown_shapes_and_forms():
    with pytest.raises(ValueError, match="unknown shape 'huge'"):
        benchmark.conversion("huge", "tables")
    with pytest.raises(ValueError, match="unknown form 'csv'"):
        benchmark.conversion("multi", "csv")
    with pytest.raises(ValueError, match="unknown form 'csv'"):
        benchmark.in_form({}, "csv")


def test_entity_tables_are_the_export_tables_but_the_details_and_credential_report():
    assert set(benchmark.ENTITY_TABLES) == set(authz_export.IMPORTED_TABLES) - {
        "aws_iam_account_authorization_details",
        "aws_iam_credential_reports",
    }
    assert "aws_iam_users" in benchmark.ENTITY_TABLES
    assert "aws_iam_instance_profiles" in benchmark.ENTITY_TABLES


def test_in_form_keeps_one_form_of_iam_and_every_other_table():
    tables = {
        "aws_iam_account_authorization_details": [{"account_id": "1"}],
        "aws_iam_users": [{"arn": "u"}],
        "aws_iam_policy_versions": [{"policy_arn": "p"}],
        "aws_iam_accounts": [{"account_id": "1"}],
        "aws_iam_credential_reports": [{"arn": "u"}],
        "aws_s3_buckets": [{"arn": "b"}],
    }
    others = ["aws_iam_accounts", "aws_iam_credential_reports", "aws_s3_buckets"]
    assert sorted(benchmark.in_form(tables, "tables")) == sorted(
        ["aws_iam_users", "aws_iam_policy_versions", *others]
    )
    assert sorted(benchmark.in_form(tables, "export")) == sorted(
        ["aws_iam_account_authorization_details", *others]
    )
    assert benchmark.in_form(tables, "export")["aws_s3_buckets"] is tables["aws_s3_buckets"]


def _multi_workload(organisation) -> benchmark.Workload:
    accounts = len(organisation["aws_iam_accounts"])
    principals = len(organisation["aws_iam_users"]) + len(organisation["aws_iam_roles"])
    return benchmark.Workload("multi", 300, accounts, principals, 0, 0.0, 0.0, tables=organisation)


def test_multi_in_its_own_form_is_the_generated_tables(organisation):
    tables = benchmark.form_tables(_multi_workload(organisation), "tables")
    assert tables == organisation


def test_multi_as_exports_has_one_details_row_per_account_and_no_entity_rows(organisation):
    workload = _multi_workload(organisation)
    tables = benchmark.form_tables(workload, "export")
    assert not set(benchmark.ENTITY_TABLES) & set(tables)
    details = tables["aws_iam_account_authorization_details"]
    accounts = sorted(row["account_id"] for row in organisation["aws_iam_accounts"])
    assert sorted(row["account_id"] for row in details) == accounts
    for table in ("aws_iam_accounts", "aws_iam_credential_reports", "aws_s3_buckets"):
        assert tables[table] is organisation[table]
    users = sum(len(row["user_detail_list"]) for row in details)
    roles = sum(len(row["role_detail_list"]) for row in details)
    assert (users, roles) == (
        len(organisation["aws_iam_users"]),
        len(organisation["aws_iam_roles"]),
    )


def test_details_rows_are_read_back_from_json(exports, account_id):
    (row,) = benchmark.authorization_details_rows({account_id: exports[account_id]})
    assert row["account_id"] == account_id
    assert row["user_detail_list"] == json.loads(json.dumps(exports[account_id]["UserDetailList"]))


def test_single_in_either_form(sample):
    export = benchmark.single_account_export(12, sample)
    workload = benchmark.Workload("single", 12, 1, 12, 2, 0.0, 0.0, export=export)
    as_tables = benchmark.form_tables(workload, "tables")
    assert "aws_iam_account_authorization_details" not in as_tables
    assert len(as_tables["aws_iam_users"]) == len(export["UserDetailList"])
    assert len(as_tables["aws_iam_roles"]) == len(export["RoleDetailList"])
    as_export = benchmark.form_tables(workload, "export")
    assert list(as_export) == ["aws_iam_account_authorization_details"]
    (row,) = as_export["aws_iam_account_authorization_details"]
    assert row["account_id"] == benchmark.SINGLE_ACCOUNT
    assert len(row["user_detail_list"]) == len(export["UserDetailList"])
    assert workload.exports() == {benchmark.SINGLE_ACCOUNT: export}
    workload.release()
    assert workload.export is None


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    benchmark.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_forms_option_defaults_to_both_and_takes_one():
    assert _parse().forms == ["tables", "export"]
    assert _parse("--forms", "export").forms == ["export"]
    with pytest.raises(SystemExit):
        _parse("--forms", "tables,csv")


# --- the check that both forms agree, and the table ---------------------------------------------

MARTS = benchmark.CIEM_MARTS


def _engine(name: str, seconds: float, counts: Sequence[int]) -> benchmark.EngineResult:
    rows = dict(zip(MARTS, counts, strict=True))
    return benchmark.EngineResult(name, 1.0, 1.0, seconds, 500.0, None, 3, rows)


def _result(
    tables: dict[str, Sequence[int]], export: dict[str, Sequence[int]]
) -> benchmark.SizeResult:
    result = benchmark.SizeResult("single", 1_000, 1_002, 334, 1, 0.5, 90.0)
    for form, engines, seconds, change in (
        ("tables", tables, 10.0, "export->tables"),
        ("export", export, 12.0, ""),
    ):
        result.forms[form] = benchmark.FormResult(form, change, 0.25, 100)
        for name, counts in engines.items():
            result.forms[form].engines[name] = _engine(name, seconds * len(name) / 6, counts)
    return result


def test_forms_that_agree_give_no_mismatch():
    same = {"duckdb": (5, 70, 1_002), "postgres": (5, 70, 1_002)}
    assert benchmark.form_mismatches(_result(same, same)) == []


def test_a_mart_count_that_differs_between_forms_is_named():
    result = _result(
        {"duckdb": (5, 70, 1_002), "postgres": (5, 70, 1_002)},
        {"duckdb": (5, 71, 1_002), "postgres": (5, 70, 1_002)},
    )
    assert benchmark.form_mismatches(result) == [
        "single 1,000 on duckdb: soc2__ciem_entitlements rows differ between input forms "
        "(tables 70, export 71)"
    ]
    block = benchmark.render_mismatches(benchmark.form_mismatches(result)).splitlines()
    assert block[1] == (
        "INPUT FORMS DISAGREE: the same workload gave different CIEM mart row counts"
    )
    assert block[2].strip().startswith("single 1,000 on duckdb")


def test_an_engine_measured_in_one_form_only_is_not_compared():
    result = _result({"duckdb": (5, 70, 1_002), "postgres": (1, 1, 1)}, {"duckdb": (5, 70, 1_002)})
    assert benchmark.form_mismatches(result) == []


def test_a_missing_mart_count_is_a_mismatch():
    result = _result({"duckdb": (5, 70, 1_002)}, {"duckdb": (5, 70, 1_002)})
    del result.forms["export"].engines["duckdb"].rows["soc2__ciem_findings"]
    assert benchmark.form_mismatches(result) == [
        "single 1,000 on duckdb: soc2__ciem_findings rows differ between input forms "
        "(tables 5, export missing)"
    ]


def test_table_has_a_line_per_shape_form_size_and_engine():
    same = {"duckdb": (5, 70, 1_002), "postgres": (5, 70, 1_002)}
    table = benchmark.render_table([_result(same, same)], ["duckdb", "postgres"])
    header, *lines = table.splitlines()[:5]
    assert header.split() == [
        "shape", "size", "form", "engine", "conversion", "accts", "principals", "policies",
        "input", "s", "seconds", "MB", "s/1k", "x", "duck", "findings", "entitlements",
        "principals",
    ]  # fmt: skip
    assert [line.split() for line in lines] == [
        ["single", "1,000", "tables", "duckdb", "export->tables", "1", "1,002", "334", "0.8",
         "10.0", "500", "9.98", "1.00", "5", "70", "1,002"],
        ["single", "1,000", "tables", "postgres", "export->tables", "1", "1,002", "334", "0.8",
         "13.3", "500", "13.31", "1.33", "5", "70", "1,002"],
        ["single", "1,000", "export", "duckdb", "-", "1", "1,002", "334", "0.8",
         "12.0", "500", "11.98", "1.00", "5", "70", "1,002"],
        ["single", "1,000", "export", "postgres", "-", "1", "1,002", "334", "0.8",
         "16.0", "500", "15.97", "1.33", "5", "70", "1,002"],
    ]  # fmt: skip


def test_table_prints_time_per_thousand_principals_and_skips_cloudsplaining():
    result = benchmark.SizeResult("multi", 100_000, 99_750, 19_950, 95, 10.0, 900.0)
    result.forms["tables"] = benchmark.FormResult("tables", "", 0.0, 1)
    result.forms["tables"].engines["duckdb"] = benchmark.EngineResult(
        "duckdb", 1.0, 1.0, 250.0, 6_000.0, None, 3
    )
    result.cloudsplaining_note = "skipped above 10,000 principals"
    table = benchmark.render_table([result], ["duckdb"])
    line, skipped = table.splitlines()[1:3]
    assert line.split() == [
        "multi", "100,000", "tables", "duckdb", "-", "95", "99,750", "19,950", "10.0", "250.0",
        "6,000", "2.51", "1.00",
    ]  # fmt: skip
    assert skipped.split() == [
        "multi", "100,000", "export", "cloudsplaining", "-", "95", "99,750", "19,950", "10.0",
        "skipped", "-", "-", "-",
    ]  # fmt: skip


def test_table_gives_cloudsplaining_against_duckdb_on_the_export_form():
    same = {"duckdb": (5, 70, 1_002)}
    result = _result(same, same)
    result.cloudsplaining = benchmark.CloudsplainingResult(1, 30.0, 150.0)
    last = benchmark.render_table([result], ["duckdb"]).splitlines()[3]
    assert last.split() == [
        "single", "1,000", "export", "cloudsplaining", "-", "1", "1,002", "334", "0.5", "30.0",
        "150", "29.94", "2.50",
    ]  # fmt: skip


def test_postgres_prefixes_of_two_runs_never_overlap(tmp_path):
    first = benchmark.postgres_prefix(tmp_path / "a", "multi-10000-tables")
    second = benchmark.postgres_prefix(tmp_path / "b", "multi-10000-tables")
    assert first.startswith("soc2_bench_") and first.endswith("_multi_10000_tables")
    assert first != second
    assert not second.startswith(first) and not first.startswith(second)
    assert benchmark.postgres_prefix(tmp_path / "a", "multi-10000-tables") == first
    other_form = benchmark.postgres_prefix(tmp_path / "a", "multi-10000-export")
    assert not other_form.startswith(first + "_")  # dropping one form keeps the other
    assert len(benchmark.postgres_prefix(tmp_path, "single-100000-export") + "_cloudquery") <= 63
