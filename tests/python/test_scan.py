"""`soc2 scan` end to end on Cloudsplaining's example export: convert, load into
DuckDB, build the package, print the findings.

The raw-table test passes on any version of the package. The tests named
`test_ciem_*` need the CIEM marts (`soc2__ciem_findings`) and fail until the
package builds them; they are not skipped on purpose."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from soc2_tools import cli

EXAMPLE = Path(__file__).parent / "data" / "cloudsplaining-example-authz-details.json"
OBAMA = "arn:aws:iam::012345678901:user/obama"  # has AdministratorAccess attached
RAW_ROW_COUNTS = {
    "aws_iam_users": 3,
    "aws_iam_groups": 2,
    "aws_iam_roles": 3,
    "aws_iam_user_groups": 3,
    "aws_iam_policies": 32,
    "aws_iam_account_authorization_details": 1,
}


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
def scanned(tmp_path_factory) -> Scan:
    output = tmp_path_factory.mktemp("scan")
    code, text = run_cli(
        [
            "scan",
            "--aws-authorization-details",
            str(EXAMPLE),
            "--output",
            str(output),
            "--as-of",
            "2026-06-30",
        ]
    )
    return Scan(code, text, output / "soc2_scan.duckdb")


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_scan_loads_the_raw_tables(scanned: Scan):
    assert scanned.database.is_file(), scanned.output
    for table, expected in RAW_ROW_COUNTS.items():
        [(count,)] = query(scanned.database, f"select count(*) from cloudquery.{table}")
        assert count == expected, (table, scanned.output)


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


# --- these need the CIEM marts --------------------------------------------------------------


def test_ciem_scan_exits_0_and_prints_the_findings(scanned: Scan):
    assert scanned.exit_code == 0, scanned.output
    assert "findings on" in scanned.output
    assert "main_soc2.soc2__ciem_findings" in scanned.output


def test_ciem_findings_mart_exists(scanned: Scan):
    tables = query(
        scanned.database,
        "select table_name from information_schema.tables "
        "where table_schema = 'main_soc2' and table_name = 'soc2__ciem_findings'",
    )
    assert tables == [("soc2__ciem_findings",)], scanned.output


def test_ciem_administrator_access_user_is_admin_equivalent(scanned: Scan):
    rows = query(
        scanned.database,
        "select count(*) from main_soc2.soc2__ciem_findings "
        f"where principal_arn = '{OBAMA}' and finding_type = 'admin_equivalent'",
    )
    assert rows[0][0] >= 1
