"""`soc2 scan` end to end on Cloudsplaining's example export: convert, load into
DuckDB, build the package from its compiled plan, print the findings.

The first scan compiles the plan with dbt (into a temporary cache); every model it
then builds equals, row for row, what a full `dbt build` of the package makes on the
same raw tables. Later scans reuse the cached plan, several exports make one scan."""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from soc2_tools import cli, scan, scan_plan, warehouse

EXAMPLE = Path(__file__).parent / "data" / "cloudsplaining-example-authz-details.json"
ACCOUNT = "012345678901"
OTHER_ACCOUNT = "210987654321"
AS_OF = "2026-06-30"
MARTS = scan.MARTS_SCHEMA
PACKAGE_SCHEMAS = [warehouse.package_schema(scan.TARGET_SCHEMA), MARTS]
OBAMA = f"arn:aws:iam::{ACCOUNT}:user/obama"  # has AdministratorAccess attached
RAW_ROW_COUNTS = {
    "aws_iam_users": 3,
    "aws_iam_groups": 2,
    "aws_iam_roles": 3,
    "aws_iam_user_groups": 3,
    "aws_iam_policies": 32,
    "aws_iam_account_authorization_details": 1,
}
# What the example export gives, per account: principals, entitlement rows, findings.
PER_ACCOUNT = (6, 846, 19)
FINDING_COLUMNS = "account_id, principal_arn, finding_type, method, severity, reason, evidence"
ENTITLEMENT_COLUMNS = (
    "account_id, principal_arn, action_key, decision, decision_reason, resource_scope, "
    "granted_by, denied_by"
)


@dataclass(frozen=True)
class Scan:
    exit_code: int
    output: str
    database: Path


def run_cli(arguments: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(arguments)
    return code, buffer.getvalue()


@pytest.fixture(scope="module")
def plan_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("plan-cache")


def run_scan(exports: list[Path], output: Path, cache: Path) -> Scan:
    code, text = run_cli(
        [
            "scan",
            "--aws-authorization-details",
            *map(str, exports),
            "--output",
            str(output),
            "--as-of",
            AS_OF,
            "--cache-dir",
            str(cache),
        ]
    )
    return Scan(code, text, output / "soc2_scan.duckdb")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory, plan_cache) -> Scan:
    return run_scan([EXAMPLE], tmp_path_factory.mktemp("scan"), plan_cache)


@pytest.fixture(scope="module")
def reference(scanned: Scan, tmp_path_factory) -> Path:
    """A full `dbt build` of the package (seeds, models, tests) on the scan's raw tables."""
    workdir = tmp_path_factory.mktemp("reference")
    database = workdir / "reference.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"attach '{scanned.database}' as scanned (read_only)")
        connection.execute("create schema cloudquery")
        for table in raw_tables(connection):
            connection.execute(
                f'create table cloudquery."{table}" as select * from scanned.cloudquery."{table}"'
            )
    project = warehouse.UserProject(
        directory=workdir / "project",
        profile={"type": "duckdb", "path": str(database), "schema": "main", "threads": 2},
        vars={"soc2_aws_schema": "cloudquery", "soc2_as_of": AS_OF},
    )
    project.install()
    # the scan leaves out the Type II history layer (one evaluation, not a schedule)
    result = project.dbt(["build", "--exclude", *warehouse.history_layer_selection()], check=False)
    statuses = {str(r["unique_id"]): str(r["status"]) for r in project.run_results()}
    # the package's exposure is a no-op node of dbt build (dbt >= 1.10)
    broken = {
        uid: s
        for uid, s in statuses.items()
        if s not in ("success", "pass", "warn")
        and not (uid.startswith("exposure.") and s == "no-op")
    }
    assert not broken, (broken, result.stdout[-3000:])
    return database


def raw_tables(connection) -> list[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'scanned' and table_schema = 'cloudquery' order by 1"
    ).fetchall()
    return [str(row[0]) for row in rows]


def query(
    database: Path, sql: str, parameters: list[object] | None = None
) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, parameters).fetchall()


def relations(connection, catalog: str) -> dict[str, list[tuple[str, str]]]:
    """Every relation of the package's two schemas (`schema.table`): its columns and types."""
    rows = connection.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema in (?, ?) "
        "order by table_schema, table_name, ordinal_position",
        [catalog, *PACKAGE_SCHEMAS],
    ).fetchall()
    found: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        found.setdefault(f'{schema}."{table}"', []).append((str(column), str(data_type)))
    return found


def test_scan_loads_the_raw_tables(scanned: Scan):
    assert scanned.database.is_file(), scanned.output
    for table, expected in RAW_ROW_COUNTS.items():
        [(count,)] = query(scanned.database, f"select count(*) from cloudquery.{table}")
        assert count == expected, (table, scanned.output)


def test_first_scan_compiles_the_plan_with_dbt(scanned: Scan):
    assert scanned.exit_code == 0, scanned.output
    assert "compiling the package with dbt" in scanned.output
    built = re.search(r"(\d+) seeds and (\d+) models in", scanned.output)
    assert built, scanned.output
    [(relations_built,)] = query(
        scanned.database,
        "select count(*) from information_schema.tables where table_schema in (?, ?)",
        PACKAGE_SCHEMAS,
    )
    assert int(built[1]) + int(built[2]) == relations_built


def test_scan_builds_the_ciem_marts_as_a_full_dbt_build_does(scanned: Scan, reference: Path):
    """Every seed, model and mart the scan builds (the CIEM marts, the policy quarantine
    and what they read) equals the full build's: same columns, same types, same rows (as
    multisets). The control marts are the full build's alone."""
    with duckdb.connect(str(scanned.database), read_only=True) as connection:
        connection.execute(f"attach '{reference}' as reference (read_only)")
        ours, theirs = relations(connection, "soc2_scan"), relations(connection, "reference")
        marts = {name for name in ours if name.startswith(f"{MARTS}.")}
        assert marts == {f'{MARTS}."{mart}"' for mart in scan_plan.SCAN_MARTS}
        assert f'{MARTS}."soc2__control_results"' in theirs
        assert {name: theirs.get(name) for name in ours} == ours
        differing = {}
        for table in sorted(ours):
            counts = connection.execute(
                f"select (select count(*) from {table}), "
                f"(select count(*) from reference.{table}), "
                f"(select count(*) from (select * from {table} except all "
                f"select * from reference.{table})), "
                f"(select count(*) from (select * from reference.{table} except all "
                f"select * from {table}))"
            ).fetchone()
            if counts[0] != counts[1] or counts[2] or counts[3]:
                differing[table] = counts
        assert not differing, differing
        [(findings,)] = connection.execute(
            f"select count(*) from {MARTS}.soc2__ciem_findings"
        ).fetchall()
        assert findings == PER_ACCOUNT[2]


def test_scan_reports_a_missing_file(tmp_path):
    code, text = run_cli(["scan", "--aws-authorization-details", str(tmp_path / "absent.json")])
    assert code == 1
    assert "absent.json: no such file" in text


def test_scan_says_where_the_json_is_invalid(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"UserDetailList": [\n  {"UserName": "a",}\n]}', encoding="utf-8")
    code, text = run_cli(
        ["scan", "--aws-authorization-details", str(broken), "--output", str(tmp_path / "out")]
    )
    assert code == 1
    assert f"{broken}: not valid JSON at line 2, column 20" in text


def test_scan_refuses_an_account_in_two_exports(tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code, text = run_cli(["scan", "--aws-authorization-details", str(EXAMPLE), str(copy)])
    assert code == 1
    assert f"account {ACCOUNT} is in both {EXAMPLE} and {copy}" in text


def test_scan_needs_the_account_of_an_export_of_managed_policies_only(tmp_path):
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    managed = {"Policies": [p for p in example["Policies"] if ":aws:policy/" in p["Arn"]]}
    unnamed = tmp_path / "managed.json"
    unnamed.write_text(json.dumps(managed), encoding="utf-8")
    code, text = run_cli(["scan", "--aws-authorization-details", str(tmp_path)])
    assert code == 1
    assert f"{unnamed}: its ARNs name no account" in text
    named = tmp_path / f"{OTHER_ACCOUNT}.json"
    unnamed.rename(named)
    tables = scan.convert(scan.export_files([tmp_path]))
    (details,) = tables["aws_iam_account_authorization_details"]
    assert details["account_id"] == OTHER_ACCOUNT
    assert {row["account_id"] for row in tables["aws_iam_policies"]} == {OTHER_ACCOUNT}
    assert len(tables["aws_iam_policies"]) == len(managed["Policies"])


# --- several exports, one scan ---------------------------------------------------------------


@pytest.fixture(scope="module")
def two_accounts(scanned: Scan, tmp_path_factory, plan_cache) -> Scan:
    """A directory of two exports: the example, and the example renamed into another account.
    Runs after the first scan, so it reuses the cached plan."""
    assert scanned.exit_code == 0, scanned.output
    directory = tmp_path_factory.mktemp("exports")
    text = EXAMPLE.read_text(encoding="utf-8")
    assert OTHER_ACCOUNT not in text
    (directory / "a.json").write_text(text, encoding="utf-8")
    (directory / "b.json").write_text(text.replace(ACCOUNT, OTHER_ACCOUNT), encoding="utf-8")
    return run_scan([directory], tmp_path_factory.mktemp("scan-two"), plan_cache)


def test_later_scans_use_the_cached_plan(two_accounts: Scan):
    assert two_accounts.exit_code == 0, two_accounts.output
    assert "from the cached compiled plan" in two_accounts.output
    assert "compiling the package with dbt" not in two_accounts.output
    assert "converting 2 exports (a.json, ..., b.json)" in two_accounts.output


def test_two_exports_give_one_set_of_marts_with_each_account(two_accounts: Scan):
    per_mart = [
        f"(select count(*) from {MARTS}.{mart} m where m.account_id = a.account_id)"
        for mart in ("soc2__ciem_principals", "soc2__ciem_entitlements", "soc2__ciem_findings")
    ]
    counts = query(
        two_accounts.database,
        f"select account_id, {', '.join(per_mart)} "
        f"from (select distinct account_id from {MARTS}.soc2__ciem_principals) a order by 1",
    )
    assert counts == [(ACCOUNT, *PER_ACCOUNT), (OTHER_ACCOUNT, *PER_ACCOUNT)]


@pytest.mark.parametrize(
    ("mart", "columns"),
    [("soc2__ciem_findings", FINDING_COLUMNS), ("soc2__ciem_entitlements", ENTITLEMENT_COLUMNS)],
)
def test_each_account_of_two_exports_gets_the_single_scan_rows(
    scanned: Scan, two_accounts: Scan, mart: str, columns: str
):
    """The renamed account's rows are the one-export scan's rows, account renamed back."""
    single = query(scanned.database, f"select {columns} from {MARTS}.{mart}")
    both = query(two_accounts.database, f"select {columns} from {MARTS}.{mart}")

    def renamed(row: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(v.replace(OTHER_ACCOUNT, ACCOUNT) if isinstance(v, str) else v for v in row)

    first = sorted(row for row in both if row[0] == ACCOUNT)
    second = sorted(renamed(row) for row in both if row[0] == OTHER_ACCOUNT)
    assert first == sorted(single)
    assert second == sorted(single)
    assert len(both) == 2 * len(single)


def test_scan_prints_the_findings(scanned: Scan):
    assert f"{PER_ACCOUNT[2]} findings on {PER_ACCOUNT[0]} principals" in scanned.output
    assert f"{MARTS}.soc2__ciem_findings" in scanned.output
    assert f"[critical] admin_equivalent  {OBAMA}" in scanned.output
