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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dbt_runs import (
    INTEGRATION_PROJECT,
    REPOSITORY,
    IntegrationProject,
    drop_postgres_schemas,
    require_postgres,
)
from evidence_checks import assert_report_matches_marts
from soc2_tools import cli, warehouse
from soc2_tools.warehouse import postgres_settings

SERIES = Path(__file__).resolve().parent / "history_series.py"
MODES = {"duckdb": "inventory", "postgres": "results", "spark": "results"}
SERIES_TIMEOUT_SECONDS = 1800
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


@dataclass
class SeriesRun:
    """One engine's series, running in a process of its own."""

    engine: str
    schema: str
    workdir: Path
    log: Path
    process: subprocess.Popen[bytes]

    def wait(self) -> tuple[int, str]:
        """Its exit code and output, once it has finished."""
        code = self.process.wait(timeout=SERIES_TIMEOUT_SECONDS)
        return code, self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def series_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, SeriesRun]]:
    """The three engines' series, started side by side (DECISIONS 117): DuckDB's dbt is
    mostly one Python thread and Spark's work mostly the JVM, so on two cores the three
    finish in little more than DuckDB's time alone. The integration project's packages
    are installed once, before they start. Only the engines whose test is selected run
    (`make quick` selects DuckDB's alone)."""
    selected = {
        item.callspec.params["engine"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_history_series_matches_expected"
    }
    schemas = {engine: f"soc2_hist_{engine}_{os.getpid()}" for engine in MODES}
    if "postgres" in selected:
        require_postgres()
        drop_postgres_schemas(schemas["postgres"])
    first = IntegrationProject("duckdb", tmp_path_factory.mktemp("history_deps"), "soc2_deps")
    deps = subprocess.run(
        [warehouse.dbt_executable(), "deps", "--project-dir", str(INTEGRATION_PROJECT)],
        env=first.env(),
        cwd=first.workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert deps.returncode == 0, deps.stdout[-3000:] + deps.stderr[-3000:]
    runs: dict[str, SeriesRun] = {}
    try:
        for engine, mode in MODES.items():
            if engine not in selected:
                continue
            workdir = tmp_path_factory.mktemp(f"history_{engine}")
            log = workdir / "series.log"
            command = [sys.executable, str(SERIES), "--engine", engine, "--mode", mode]
            command += ["--workdir", str(workdir), "--schema", schemas[engine], "--no-deps"]
            print(f"\n[{engine}] {' '.join(command)}", flush=True)
            with log.open("wb") as output:
                process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
            runs[engine] = SeriesRun(engine, schemas[engine], workdir, log, process)
        yield runs
    finally:
        for run in runs.values():
            if run.process.poll() is None:
                run.process.kill()
                run.process.wait()
        if "postgres" in selected:
            drop_postgres_schemas(schemas["postgres"])


@pytest.mark.parametrize("engine", list(MODES))
def test_history_series_matches_expected(engine: str, series_runs: dict[str, SeriesRun]) -> None:
    run = series_runs[engine]
    code, output = run.wait()
    progress = [line for line in output.splitlines() if line.startswith("[history]")]
    print("\n".join(progress), flush=True)
    tail = "\n".join(output.splitlines()[-80:])
    assert code == 0, f"the history series failed on {engine}:\n{tail}"
    if engine != "spark":
        check_evidence_pack(engine, run.workdir, warehouse.marts_schema(run.schema))


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
