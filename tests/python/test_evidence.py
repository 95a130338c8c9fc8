"""`soc2 evidence` on a hand-made set of history marts (the columns of the Type II history
contract), in DuckDB and in PostgreSQL: the CSVs it writes, the report rendered in headless
Chromium showing exactly the marts' values, and its errors.

Set SOC2_EVIDENCE_SCREENSHOT=docs/evidence-pack.png to refresh the README's screenshot.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from evidence_checks import assert_report_matches_marts, screenshot
from soc2_tools import cli
from soc2_tools.warehouse import drop_schemas, postgres_settings, quote_identifier

D = dt.date
PERIOD = (D(2024, 3, 1), D(2024, 3, 5))
P = PERIOD


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 0))


# table -> "column:type ..." (types: date, ts, int, float, bool, text), in the contract's order
COLUMNS = {
    "soc2__criteria_effectiveness": "period_start:date period_end:date criterion_id:text "
    "trust_category:text criterion_group:text criterion_title:text automation:text "
    "sort_order:int scope_start:date scope_end:date days_in_scope:int days_recorded:int "
    "days_evaluated:int days_passed:int days_failed:int days_not_evaluated:int days_manual:int "
    "pass_share:float gap_days:int operating_status:text",
    "soc2__control_effectiveness": "period_start:date period_end:date control_id:text "
    "control_title:text control_type:text trust_category:text criteria:text severity:text "
    "first_evaluated_on:date scope_start:date scope_end:date days_in_scope:int "
    "days_recorded:int days_evaluated:int days_passed:int days_failed:int days_excepted:int "
    "days_not_applicable:int days_not_evaluated:int days_manual:int pass_share:float "
    "gap_days:int days_with_exceptions:int operating_status:text",
    "soc2__evaluation_gaps": "period_start:date period_end:date gap_date:date",
    "soc2__trust_category_daily": "evaluation_date:date trust_category:text "
    "controls_evaluated:int controls_passing:int control_pass_rate:float "
    "criteria_evaluated:int criteria_passing:int criteria_pass_rate:float",
    "soc2__control_failure_episodes": "episode_id:text control_id:text control_title:text "
    "trust_category:text severity:text account_id:text region:text resource_type:text "
    "resource_id:text episode_number:int is_reopened:bool opened_on:date last_failed_on:date "
    "closed_on:date close_reason:text is_open:bool days_open:int failing_days:int",
    "soc2__remediation_times_by_severity": "severity:text episode_count:int "
    "closed_episode_count:int mean_days_to_remediate:float p90_days_to_remediate:float "
    "open_episode_count:int oldest_open_days:int",
    "soc2__exception_history": "evaluation_date:date control_id:text account_id:text "
    "region:text resource_pattern:text justification:text approved_by:text approved_on:date "
    "expires_on:date is_in_force:bool recorded_at:ts",
    "soc2__attestation_history": "evaluation_date:date control_id:text attested_by:text "
    "attested_on:date expires_on:date evidence_url:text notes:text is_current:bool "
    "is_latest:bool recorded_at:ts",
}
TYPES = {
    "duckdb": {"date": "date", "ts": "timestamp", "int": "integer", "float": "double"},
    "postgres": {"date": "date", "ts": "timestamp", "int": "integer", "float": "float8"},
}
S, A, C = "security", "availability", "confidentiality"
TITLE_ENC = 'Buckets use <SSE> & "KMS"'
MFA, ROOT, RDS, S3B, MAN = (
    "aws_iam_user_mfa",
    "aws_iam_root_mfa_enabled",
    "aws_rds_multi_az",
    "aws_s3_bucket_encrypted",
    "manual_cc1_1",
)
BOB = "arn:aws:iam::111111111111:user/bob"
ALICE = "arn:aws:iam::111111111111:user/alice"
A1, A2 = "https://wiki.example.com/coc-2023", "https://wiki.example.com/coc-2024"
G = "global"
EXC = (MFA, "111111111111", G, BOB, "Hardware key on order", "cso@example.com")
EXC_Y = (RDS, None, None, "*", "Dev databases only", "cto@example.com")
EXC_Z = (ROOT, "222222222222", G, "*", "Old", "cso@example.com")
ATT_A = (MAN, "hr@example.com", D(2023, 3, 10), D(2024, 3, 2), A1, "Code of conduct signed")
ATT_B = (MAN, "hr@example.com", D(2024, 3, 5), D(2025, 3, 5), A2, None)
ATT_C = (MAN, "old@example.com", D(2022, 3, 1), D(2023, 3, 1), A1, "superseded")

ROWS: dict[str, list[tuple[Any, ...]]] = {
    "soc2__criteria_effectiveness": [
        (*P, "CC1.1", S, "CC1 Control environment", "Honest and ethical behaviour", "manual",
         1, *P, 5, 4, 0, 0, 0, 0, 4, None, 1, "incomplete"),
        (*P, "CC6.1", S, "CC6 Logical and physical access", "Logical access security",
         "automated", 20, *P, 5, 4, 4, 3, 1, 0, 0, 0.75, 1, "deviations"),
        (*P, "CC6.6", S, "CC6 Logical and physical access", "Boundary protection",
         "automated", 25, *P, 5, 4, 4, 4, 0, 0, 0, 1.0, 1, "effective"),
        (*P, "A1.2", A, "A1 Availability", "Recovery infrastructure", "partial",
         40, *P, 5, 4, 3, 2, 1, 1, 0, 0.6666666666666666, 1, "deviations"),
        (*P, "C1.1", C, "C1 Confidentiality", "Confidential information is identified",
         "automated", 50, *P, 5, 4, 0, 0, 0, 4, 0, None, 1, "not_evaluated"),
    ],
    "soc2__control_effectiveness": [
        (*P, ROOT, "Root user signs in with MFA", "automated", S, "CC6.1;CC6.6", "critical",
         D(2024, 3, 1), *P, 5, 4, 4, 4, 0, 0, 0, 0, 0, 1.0, 1, 0, "effective"),
        (*P, MFA, "Console users have MFA", "automated", S, "CC6.1", "high",
         D(2024, 3, 1), *P, 5, 4, 4, 2, 1, 1, 0, 0, 0, 0.6666666666666666, 1, 1, "deviations"),
        (*P, MAN, "Code of conduct", "manual", S, "CC1.1", "medium",
         None, *P, 5, 4, 0, 0, 0, 0, 0, 0, 4, None, 1, 0, "incomplete"),
        (*P, RDS, "RDS instances are Multi-AZ", "automated", A, "A1.2", "medium",
         D(2024, 3, 2), D(2024, 3, 2), P[1], 4, 3, 3, 2, 1, 0, 0, 0, 0, 0.6666666666666666,
         1, 2, "deviations"),
        (*P, S3B, TITLE_ENC, "automated", C, "C1.1", "high",
         None, *P, 5, 4, 0, 0, 0, 0, 0, 4, 0, None, 1, 0, "not_evaluated"),
    ],
    "soc2__evaluation_gaps": [(*P, D(2024, 3, 3))],
    "soc2__trust_category_daily": [
        (D(2024, 2, 29), S, 1, 0, 0.0, 1, 0, 0.0),
        (D(2024, 3, 1), S, 3, 3, 1.0, 3, 3, 1.0),
        (D(2024, 3, 2), S, 3, 2, 0.6666666666666666, 3, 2, 0.6666666666666666),
        (D(2024, 3, 4), S, 3, 3, 1.0, 3, 2, 0.6666666666666666),
        (D(2024, 3, 5), S, 3, 2, 0.6666666666666666, 3, 2, 0.6666666666666666),
        (D(2024, 3, 6), S, 3, 3, 1.0, 3, 3, 1.0),
        (D(2024, 3, 1), A, 0, 0, None, 0, 0, None),
        (D(2024, 3, 2), A, 1, 1, 1.0, 1, 1, 1.0),
        (D(2024, 3, 4), A, 1, 0, 0.0, 1, 0, 0.0),
        (D(2024, 3, 5), A, 1, 1, 1.0, 1, 1, 1.0),
        (D(2024, 3, 1), C, 0, 0, None, 1, 0, 0.0),
    ],
    "soc2__control_failure_episodes": [
        ("ep-alice-1", MFA, "Console users have MFA", S, "high", "111111111111", G,
         "aws_iam_user", ALICE, 1, False, D(2024, 3, 2), D(2024, 3, 2), D(2024, 3, 4),
         "passed", False, 2, 1),
        ("ep-bob-1", MFA, "Console users have MFA", S, "high", "111111111111", G,
         "aws_iam_user", BOB, 1, False, D(2024, 2, 20), D(2024, 3, 6), None, None, True,
         16, 15),
        ("ep-alice-2", MFA, "Console users have MFA", S, "high", "111111111111", G,
         "aws_iam_user", ALICE, 2, True, D(2024, 3, 5), D(2024, 3, 5), D(2024, 3, 6),
         "resource_disappeared", False, 1, 1),
        ("ep-rds-1", RDS, "RDS instances are Multi-AZ", A, "medium", "222222222222",
         "eu-west-1", "aws_rds_instance", "db-1", 1, False, D(2024, 3, 4), D(2024, 3, 4),
         D(2024, 3, 5), "passed", False, 1, 1),
        # outside the period: closed before it, closed on its first day, opened after it
        ("ep-root-1", ROOT, "Root user signs in with MFA", S, "critical", "111111111111", G,
         "aws_account", "111111111111", 1, False, D(2024, 2, 1), D(2024, 2, 10),
         D(2024, 2, 11), "passed", False, 10, 10),
        ("ep-carol-1", MFA, "Console users have MFA", S, "high", "111111111111", G,
         "aws_iam_user", "carol", 1, False, D(2024, 2, 27), D(2024, 2, 29), D(2024, 3, 1),
         "passed", False, 3, 3),
        ("ep-dave-1", MFA, "Console users have MFA", S, "high", "111111111111", G,
         "aws_iam_user", "dave", 1, False, D(2024, 3, 6), D(2024, 3, 6), None, None, True,
         0, 1),
    ],
    "soc2__remediation_times_by_severity": [
        ("high", 5, 3, 2.3333333333333335, 3.0, 2, 16),
        ("medium", 1, 1, 1.0, 1.0, 0, None),
        ("critical", 1, 1, 10.0, 10.0, 0, None),
    ],
    "soc2__exception_history": [
        *[(D(2024, 2, day), *EXC, D(2024, 2, 15), D(2024, 3, 4), True, at(D(2024, 2, day)))
          for day in (28, 29)],
        *[(D(2024, 3, day), *EXC, D(2024, 2, 15), D(2024, 3, 4), day < 5, at(D(2024, 3, day)))
          for day in (1, 2, 4, 5)],
        *[(D(2024, 3, day), *EXC_Y, D(2024, 3, 4), D(2024, 6, 30), True, at(D(2024, 3, day)))
          for day in (4, 5, 6)],
        (D(2024, 2, 28), *EXC_Z, D(2023, 2, 1), D(2024, 2, 29), True, at(D(2024, 2, 28))),
        (D(2024, 3, 1), *EXC_Z, D(2023, 2, 1), D(2024, 2, 29), False, at(D(2024, 3, 1))),
    ],
    "soc2__attestation_history": [
        *[(D(2024, 3, day), *ATT_A, day <= 2, day < 5, at(D(2024, 3, day)))
          for day in (1, 2, 4, 5)],
        (D(2024, 3, 5), *ATT_B, True, True, at(D(2024, 3, 5))),
        (D(2024, 3, 6), *ATT_B, True, True, at(D(2024, 3, 6))),
        (D(2024, 2, 29), *ATT_C, False, False, at(D(2024, 2, 29))),
    ],
}  # fmt: skip


def create_marts(connection: Any, engine: str, schema: str, placeholder: str) -> None:
    """The contract's tables in `schema`, filled with ROWS."""
    cursor = connection.cursor()
    cursor.execute(f"create schema if not exists {quote_identifier(schema)}")
    for table, spec in COLUMNS.items():
        columns = [item.split(":") for item in spec.split()]
        types = {"text": "text", "bool": "boolean", **TYPES[engine]}
        definition = ", ".join(f"{name} {types[kind]}" for name, kind in columns)
        relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
        cursor.execute(f"create table {relation} ({definition})")
        for row in ROWS[table]:
            assert len(row) == len(columns), (table, row)
            values = ", ".join([placeholder] * len(columns))
            cursor.execute(f"insert into {relation} values ({values})", row)
    cursor.close()


@pytest.fixture(scope="module")
def duckdb_marts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evidence") / "marts.duckdb"
    connection = duckdb.connect(str(path))
    create_marts(connection, "duckdb", "main_soc2", "?")
    connection.close()
    return path


@pytest.fixture(scope="module")
def postgres_schema() -> Iterator[str]:
    schema = f"soc2_evidence_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    connection = postgres_settings().connect()
    try:
        with connection:
            create_marts(connection, "postgres", schema, "%s")
        yield schema
    finally:
        connection.close()
        drop_schemas(schema)


def run_evidence(*arguments: str) -> int:
    return cli.main(["evidence", *arguments])


def period_arguments(start: dt.date = PERIOD[0], end: dt.date = PERIOD[1]) -> list[str]:
    return ["--from", start.isoformat(), "--to", end.isoformat()]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check_csvs(out: Path) -> None:
    """The files of the pack and the rows of the section and criterion CSVs."""
    criteria = ["A1.2", "C1.1", "CC1.1", "CC6.1", "CC6.6"]
    assert sorted(p.name for p in (out / "criteria").iterdir()) == [f"{c}.csv" for c in criteria]
    sections = ["attestations", "controls", "criteria", "episodes", "exceptions", "gaps"]
    sections += ["remediation", "trend"]
    assert sorted(p.name for p in out.glob("*.csv")) == [f"{name}.csv" for name in sections]

    cc61 = read_csv(out / "criteria" / "CC6.1.csv")
    assert [(r["record"], r["criterion_id"], r["control_id"]) for r in cc61] == [
        ("criterion", "CC6.1", ""),
        ("control", "CC6.1", ROOT),
        ("control", "CC6.1", MFA),
    ]
    assert (cc61[0]["pass_share"], cc61[0]["operating_status"], cc61[0]["days_failed"]) == (
        "0.75", "deviations", "1",
    )  # fmt: skip
    assert (cc61[2]["pass_share"], cc61[2]["days_excepted"], cc61[2]["severity"]) == (
        "0.6666666666666666", "1", "high",
    )  # fmt: skip
    assert [r["control_id"] for r in read_csv(out / "criteria" / "CC6.6.csv")] == ["", ROOT]
    assert [r["control_title"] for r in read_csv(out / "criteria" / "C1.1.csv")] == [
        "", TITLE_ENC,
    ]  # fmt: skip

    episodes = read_csv(out / "episodes.csv")
    assert [r["episode_id"] for r in episodes] == ["ep-bob-1", "ep-alice-1", "ep-rds-1",
                                                   "ep-alice-2"]  # fmt: skip
    assert (episodes[0]["closed_on"], episodes[0]["is_open"], episodes[0]["days_open"]) == (
        "", "true", "16",
    )  # fmt: skip
    exceptions = read_csv(out / "exceptions.csv")
    assert [
        (r["control_id"], r["account_id"], r["first_in_force_on"], r["last_in_force_on"])
        for r in exceptions
    ] == [(MFA, "111111111111", "2024-03-01", "2024-03-04"), (RDS, "", "2024-03-04", "2024-03-05")]
    attestations = read_csv(out / "attestations.csv")
    assert [
        (r["attested_on"], r["first_recorded_on"], r["last_recorded_on"], r["last_current_on"])
        for r in attestations
    ] == [
        ("2023-03-10", "2024-03-01", "2024-03-05", "2024-03-02"),
        ("2024-03-05", "2024-03-05", "2024-03-05", "2024-03-05"),
    ]
    trend = read_csv(out / "trend.csv")
    assert len(trend) == 9
    assert {r["evaluation_date"] for r in trend} == {"2024-03-01", "2024-03-02", "2024-03-04",
                                                     "2024-03-05"}  # fmt: skip
    assert [r["severity"] for r in read_csv(out / "remediation.csv")] == [
        "critical", "high", "medium",
    ]  # fmt: skip
    assert [r["gap_date"] for r in read_csv(out / "gaps.csv")] == ["2024-03-03"]


EXPECTED_CHECKED = {
    "period": 2,
    "criteria": 5 * 12,
    "controls": 5 * 15,
    "gaps": 1,
    # 9 recorded category-days in the period; null rates draw no point (2 control, 1 criteria)
    "trend": 9 * 2 - 3,
    "episodes": 4 * 12,
    "remediation": 3 * 7,
    "exceptions": 2 * 10,
    "attestations": 2 * 9,
}


def test_duckdb_pack_shows_the_marts(duckdb_marts, tmp_path, capsys):
    out = tmp_path / "pack"
    assert run_evidence(*period_arguments(), "--out", str(out), "--duckdb", str(duckdb_marts)) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 8 + 5 + 1 + 1  # a line per file, then the summary
    assert printed[-2] == f"wrote {out / 'index.html'}"
    assert printed[-1] == f"evidence pack for 2024-03-01 to 2024-03-05: 14 files in {out}"
    check_csvs(out)
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in text and "http://" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    connection = duckdb.connect(str(duckdb_marts), read_only=True)
    try:
        checked = assert_report_matches_marts(out / "index.html", connection, "main_soc2", PERIOD)
    finally:
        connection.close()
    assert checked == EXPECTED_CHECKED
    png = tmp_path / "evidence-pack.png"
    screenshot(out / "index.html", png)
    assert png.stat().st_size > 20_000
    if target := os.environ.get("SOC2_EVIDENCE_SCREENSHOT"):
        shutil.copyfile(png, target)


def test_postgres_pack_shows_the_marts(postgres_schema, tmp_path):
    out = tmp_path / "pack"
    arguments = [*period_arguments(), "--out", str(out), "--schema", postgres_schema]
    settings = postgres_settings()
    dsn = f"host={settings.host} port={settings.port} dbname={settings.dbname}"
    assert run_evidence(*arguments, "--postgres", dsn) == 0
    check_csvs(out)
    connection = settings.connect()
    try:
        checked = assert_report_matches_marts(out / "index.html", connection, postgres_schema,
                                              PERIOD)  # fmt: skip
    finally:
        connection.close()
    assert checked == EXPECTED_CHECKED


# --- errors -----------------------------------------------------------------------------------


def test_a_bad_date_is_refused(duckdb_marts, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_evidence("--from", "2024-02-30", "--to", "2024-03-05", "--out", str(tmp_path),
                     "--duckdb", str(duckdb_marts))  # fmt: skip
    assert exit_info.value.code == 2
    assert "argument --from: not an ISO date (YYYY-MM-DD): '2024-02-30'" in capsys.readouterr().err


def test_from_after_to_is_refused(duckdb_marts, tmp_path, capsys):
    arguments = period_arguments(D(2024, 3, 5), D(2024, 3, 1))
    assert run_evidence(*arguments, "--out", str(tmp_path), "--duckdb", str(duckdb_marts)) == 1
    assert capsys.readouterr().err == (
        "soc2 evidence: error: --from 2024-03-05 is after --to 2024-03-01; "
        "the period's first day comes first\n"
    )


def test_another_period_names_the_rebuild_command(duckdb_marts, tmp_path, capsys):
    arguments = period_arguments(D(2024, 1, 1), D(2024, 3, 31))
    out = tmp_path / "pack"
    assert run_evidence(*arguments, "--out", str(out), "--duckdb", str(duckdb_marts)) == 1
    assert capsys.readouterr().err == (
        "soc2 evidence: error: the effectiveness marts in main_soc2 were built for "
        "2024-03-01 to 2024-03-05, not 2024-01-01 to 2024-03-31. Rebuild them for this "
        "period:\n  dbt build --select soc2__audit_period+ "
        "--vars '{soc2_period_start: 2024-01-01, soc2_period_end: 2024-03-31}'\n"
    )
    assert not out.exists()


def small_warehouse(path: Path, schemas: list[str], tables: list[str]) -> None:
    connection = duckdb.connect(str(path))
    for schema in schemas:
        connection.execute(f"create schema {schema}")
        for table in tables:
            connection.execute(f"create table {schema}.{table} (period_start date)")
    connection.close()


def test_missing_marts_are_named(tmp_path, capsys):
    path = tmp_path / "partial.duckdb"
    small_warehouse(path, ["main_soc2"], ["soc2__criteria_effectiveness"])
    assert run_evidence(*period_arguments(), "--out", str(tmp_path), "--duckdb", str(path)) == 1
    assert capsys.readouterr().err == (
        "soc2 evidence: error: schema main_soc2 has no soc2__control_effectiveness, "
        "soc2__evaluation_gaps, soc2__trust_category_daily, soc2__control_failure_episodes, "
        "soc2__remediation_times_by_severity, soc2__exception_history, "
        "soc2__attestation_history: run `dbt build` (the package's history models) into it "
        "first\n"
    )


def test_the_marts_schema_must_be_one(tmp_path, capsys):
    none, several = tmp_path / "none.duckdb", tmp_path / "several.duckdb"
    small_warehouse(none, ["main_soc2"], ["soc2__control_results"])
    small_warehouse(several, ["a_soc2", "b_soc2"], ["soc2__criteria_effectiveness"])
    assert run_evidence(*period_arguments(), "--out", str(tmp_path), "--duckdb", str(none)) == 1
    assert capsys.readouterr().err == (
        "soc2 evidence: error: no schema holds soc2__criteria_effectiveness: build the history "
        "marts with `dbt build` (or name the schema with --schema)\n"
    )
    assert run_evidence(*period_arguments(), "--out", str(tmp_path), "--duckdb", str(several)) == 1
    assert capsys.readouterr().err == (
        "soc2 evidence: error: several schemas hold soc2__criteria_effectiveness (a_soc2, "
        "b_soc2); choose one with --schema\n"
    )


def test_empty_marts_say_they_were_built_for_no_period(tmp_path, capsys):
    path = tmp_path / "empty.duckdb"
    connection = duckdb.connect(str(path))
    create_marts(connection, "duckdb", "main_soc2", "?")
    connection.execute("delete from main_soc2.soc2__criteria_effectiveness")
    connection.execute("delete from main_soc2.soc2__control_effectiveness")
    connection.execute("delete from main_soc2.soc2__evaluation_gaps")
    connection.close()
    assert run_evidence(*period_arguments(), "--out", str(tmp_path), "--duckdb", str(path)) == 1
    assert "were built for no period (they are empty), not 2024-03-01 to 2024-03-05" in (
        capsys.readouterr().err
    )
