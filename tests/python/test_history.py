"""Type II history on the three engines: the history scenario of the
integration project (tests/python/history_series.py) built run by run, and
its marts compared exactly with the expected seeds of
integration_tests/seeds/history.

DuckDB builds the whole package for every run from that run's raw tables
(the full day-by-day build). PostgreSQL and Spark build the history models
over the seeded daily control results of the same runs, so that the same
expectations hold on every engine at a fraction of the cost (DECISIONS 106)."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dbt_runs import INTEGRATION_PROJECT, REPOSITORY, drop_postgres_schemas, require_postgres
from evidence_checks import assert_report_matches_marts
from soc2_tools import cli, warehouse
from soc2_tools.warehouse import postgres_settings

SERIES = Path(__file__).resolve().parent / "history_series.py"
MODES = {"duckdb": "inventory", "postgres": "results", "spark": "results"}
PERIOD = (dt.date(2026, 7, 1), dt.date(2026, 7, 11))


def _catalog_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["control_id"]: row for row in csv.DictReader(handle)}


def test_history_catalog_rows_are_the_packages() -> None:
    scenario = _catalog_rows(
        INTEGRATION_PROJECT / "seeds" / "history" / "soc2__control_catalog.csv"
    )
    package = _catalog_rows(REPOSITORY / "seeds" / "soc2__control_catalog.csv")
    assert len(scenario) == 4
    for control_id, row in scenario.items():
        assert row == package[control_id], control_id


def test_history_runs_cover_ten_dates_a_rerun_and_a_gap() -> None:
    with (INTEGRATION_PROJECT / "seeds" / "history" / "history_runs.csv").open() as handle:
        dates = [row["evaluation_date"] for row in csv.DictReader(handle)]
    assert len(set(dates)) >= 10
    assert len(dates) > len(set(dates)), "a date is re-run"
    assert dates != sorted(dates), "the re-run comes after a later date"
    assert "2026-07-06" not in dates, "a day is skipped"


@pytest.mark.parametrize("engine", list(MODES))
def test_history_series_matches_expected(engine: str, tmp_path: Path) -> None:
    schema = f"soc2_hist_{engine}_{os.getpid()}"
    if engine == "postgres":
        require_postgres()
        drop_postgres_schemas(schema)
    command = [
        sys.executable,
        str(SERIES),
        "--engine",
        engine,
        "--mode",
        MODES[engine],
        "--workdir",
        str(tmp_path),
        "--schema",
        schema,
    ]
    print(f"\n[{engine}] {' '.join(command)}", flush=True)
    try:
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        progress = [line for line in completed.stdout.splitlines() if line.startswith("[history]")]
        print("\n".join(progress), flush=True)
        tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-80:])
        assert completed.returncode == 0, f"the history series failed on {engine}:\n{tail}"
        if engine != "spark":
            check_evidence_pack(engine, tmp_path, warehouse.marts_schema(schema))
    finally:
        if engine == "postgres":
            drop_postgres_schemas(schema)


def check_evidence_pack(engine: str, workdir: Path, marts_schema: str) -> None:
    """`soc2 evidence` on the marts the series built: every figure the HTML
    report shows, rendered in headless Chromium, equals the marts'."""
    out = workdir / "evidence"
    arguments = ["evidence", "--from", PERIOD[0].isoformat(), "--to", PERIOD[1].isoformat()]
    arguments += ["--out", str(out), "--schema", marts_schema]
    connection: Any
    if engine == "duckdb":
        database = workdir / "integration.duckdb"
        assert cli.main([*arguments, "--duckdb", str(database)]) == 0
        connection = duckdb.connect(str(database), read_only=True)
    else:
        settings = postgres_settings()
        dsn = f"host={settings.host} port={settings.port} dbname={settings.dbname}"
        dsn += f" user={settings.user}" if settings.user else ""
        assert cli.main([*arguments, "--postgres", dsn]) == 0
        connection = settings.connect()
    try:
        checked = assert_report_matches_marts(out / "index.html", connection, marts_schema, PERIOD)
    finally:
        connection.close()
    # the scenario's episodes, exceptions, attestations, gap and ten days
    assert checked["episodes"] > 0 and checked["exceptions"] > 0 and checked["attestations"] > 0
    assert checked["gaps"] > 0 and checked["trend"] > 0
