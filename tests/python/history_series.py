"""The history scenario of the integration project, run as a scheduled build
would: one dbt build per run of `seeds/history/history_runs.csv` (ten
evaluation dates over eleven days, one date re-run after a later one, one
day skipped), then the Type II marts, then their exact expectations.

Two modes, one series:
  inventory  the run's raw CloudQuery tables are loaded and the whole package
             is built on them (DuckDB: the full day-by-day build);
  results    the run's control results are loaded from the seeded daily
             results and only the history models are built (PostgreSQL,
             Spark), so that the same expectations are checked cheaply.

dbt runs in this process through dbtRunner with the manifest parsed once:
only soc2_as_of changes between runs, and it is read when each model is
compiled, so nothing needs parsing again. Run by tests/python/test_history.py
in a subprocess of its own:

    python tests/python/history_series.py --engine duckdb --mode inventory \\
        --workdir DIR --schema NAME
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbt_runs import INTEGRATION_PROJECT, IntegrationProject
from soc2_tools.warehouse import HISTORY_MODELS

RUNS_FILE = INTEGRATION_PROJECT / "seeds" / "history" / "history_runs.csv"
PERIOD = {"soc2_period_start": "2026-07-01", "soc2_period_end": "2026-07-11"}
RETENTION_DAYS = 7
# the raw tables of the scenario (integration_tests/macros/history_runs.sql)
RAW_TABLES = ("aws_s3_buckets", "aws_s3_bucket_versionings", "aws_iam_password_policies")
# the dates `soc2 backfill` records again from the append-mode tables
BACKFILL = ("2026-07-10", "2026-07-11")
DERIVED_MODELS = [
    "soc2__audit_period",
    "soc2__control_daily_status",
    "soc2__criteria_daily_status",
    "soc2__trust_category_daily",
    "soc2__control_failure_episodes",
    "soc2__remediation_times",
    "soc2__remediation_times_by_severity",
    "soc2__control_effectiveness",
    "soc2__criteria_effectiveness",
    "soc2__evaluation_gaps",
]
EXPECTATION_TESTS = [
    "history_control_history_equals_expected",
    "history_exception_history_equals_expected",
    "history_attestation_history_equals_expected",
    "history_control_daily_status_equals_expected",
    "history_criteria_daily_status_equals_expected",
    "history_trust_category_daily_equals_expected",
    "history_failure_episodes_equal_expected",
    "history_remediation_times_equal_expected",
    "history_remediation_times_by_severity_equal_expected",
    "history_control_effectiveness_equals_expected",
    "history_criteria_effectiveness_equals_expected",
    "history_evaluation_gaps_equal_expected",
]


@dataclass(frozen=True)
class Run:
    number: int
    evaluation_date: str
    # raw tables not synced for this run (var soc2_disabled_source_tables)
    disabled_tables: tuple[str, ...]
    note: str
    # a later run records the same date again (its results replace this run's)
    replaced_later: bool = False


def read_runs(path: Path = RUNS_FILE) -> list[Run]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Run(
            int(row["run_number"]),
            row["evaluation_date"],
            tuple(name for name in row["disabled_tables"].split(";") if name),
            row["note"],
            any(later["evaluation_date"] == row["evaluation_date"] for later in rows[index + 1 :]),
        )
        for index, row in enumerate(rows)
    ]


class Series:
    """dbt on the integration project, in this process, one manifest for all runs."""

    def __init__(self, project: IntegrationProject, mode: str) -> None:
        from dbt.cli.main import dbtRunner

        self.project = project
        self.mode = mode
        self.base_vars: dict[str, object] = {"soc2_it_scenario": "history", **PERIOD}
        if mode == "inventory":
            self.base_vars["soc2_aws_schema"] = f"{project.schema}_history_raw"
        os.environ.update(project.env())
        os.chdir(project.workdir)
        self._runner_type = dbtRunner
        self.runner = dbtRunner()

    def invoke(self, arguments: Sequence[str], **variables: object) -> Any:
        merged = {**self.base_vars, **variables}
        full = [
            *arguments,
            "--project-dir",
            str(INTEGRATION_PROJECT),
            "--vars",
            yaml.safe_dump(merged, default_flow_style=True),
        ]
        started = time.monotonic()
        result = self.runner.invoke(full)
        elapsed = time.monotonic() - started
        print(
            f"[history] dbt {' '.join(arguments)} -> {result.success} ({elapsed:.1f} s)", flush=True
        )
        if not result.success:
            raise SystemExit(f"dbt {' '.join(arguments)} failed: {result.exception or ''}")
        return result

    def prepare(self, deps: bool = True) -> None:
        if deps:
            self.invoke(["deps"])
        seeds = [
            "tag:history",
            "soc2__trust_services_criteria",
            "soc2__risk_exceptions",
            "soc2__manual_attestations",
        ]
        if self.mode == "inventory":
            # the whole package is built: every package seed it reads
            seeds = [*seeds, "package:soc2,resource_type:seed"]
            excluded = ["history_runs"]
        else:
            # only the history models are built: no raw tables
            excluded = [
                "history_fixture_aws_s3_buckets",
                "history_fixture_aws_s3_bucket_versionings",
            ]
            excluded += ["history_fixture_aws_iam_password_policies", "history_runs"]
        self.invoke(["seed", "--select", *seeds, "--exclude", *excluded])
        manifest = self.invoke(["parse"]).result
        self.runner = self._runner_type(manifest=manifest)

    checks = True

    def build_run(self, run: Run) -> None:
        as_of = {"soc2_as_of": run.evaluation_date}
        load_args = {
            "run_number": run.number,
            "with_inventory": self.mode == "inventory",
            "with_results": self.mode == "results",
        }
        self.invoke(
            ["run-operation", "load_history_run", "--args", yaml.safe_dump(load_args)], **as_of
        )
        if self.mode == "inventory":
            # history_run_control_results (a view of the seeded results of
            # this run) is built with the rest
            self.invoke(
                ["run", "--exclude", "tag:raw", *DERIVED_MODELS],
                **as_of,
                soc2_it_history_run=run.number,
                soc2_disabled_source_tables=list(run.disabled_tables),
            )
            if not self.checks or not run.replaced_later:
                return
            # the day's results are the seeded daily results of that run: checked
            # here for a run whose date is re-run later, and for the last run of
            # every date in the history at the end (history_recorded_results_equal_seeded)
            self.invoke(
                ["test", "--select", "history_run_control_results_equal_seeded"],
                **as_of,
                soc2_it_history_run=run.number,
            )
        else:
            self.invoke(["run", "--select", *HISTORY_MODELS], **as_of)

    def backfill(self, last: Run) -> None:
        """CloudQuery's append mode: every run's rows in the raw tables at
        once, and two dates' history deleted as if their builds never ran.
        `soc2 backfill` records them from the append-mode rows, where b-gamma
        (deleted after 2026-07-08) still has its old rows and must be left
        out, and the history must come out exactly as the scheduled runs had
        recorded it."""
        from soc2_tools import backfill

        load_args = {"last_run_number": last.number, "forget_dates": list(BACKFILL)}
        self.invoke(
            ["run-operation", "load_history_append_mode", "--args", yaml.safe_dump(load_args)]
        )
        parser = argparse.ArgumentParser(prog="soc2 backfill")
        backfill.add_arguments(parser)
        arguments = parser.parse_args(
            [
                "--from",
                BACKFILL[0],
                "--to",
                BACKFILL[1],
                "--project-dir",
                str(INTEGRATION_PROJECT),
                "--vars",
                yaml.safe_dump(self.base_vars, default_flow_style=True),
            ]
        )
        started = time.monotonic()
        if backfill.run(arguments) != 0:
            raise SystemExit("soc2 backfill failed")
        elapsed = time.monotonic() - started
        print(f"[history] soc2 backfill {BACKFILL[0]}..{BACKFILL[1]} ({elapsed:.1f} s)", flush=True)
        as_of = {"soc2_as_of": last.evaluation_date}
        self.invoke(["run", "--select", *DERIVED_MODELS], **as_of)
        self.invoke(["test", "--select", *self.expectation_tests()], **as_of)

    def expectation_tests(self) -> list[str]:
        """The expected seeds; in the full build also the recorded results against the
        seeded ones (the seeded builds load exactly those)."""
        if self.mode == "inventory":
            return [*EXPECTATION_TESTS, "history_recorded_results_equal_seeded"]
        return EXPECTATION_TESTS

    def finish(self, last: Run) -> None:
        as_of = {"soc2_as_of": last.evaluation_date}
        # --full-refresh must leave the history alone (the expectations below
        # still see every date)
        self.invoke(["run", "--full-refresh", "--select", *HISTORY_MODELS], **as_of)
        self.invoke(["run", "--select", *DERIVED_MODELS], **as_of)
        if not self.checks:
            return
        self.invoke(["test", "--select", *self.expectation_tests()], **as_of)
        if self.mode == "inventory":
            self.backfill(last)
        # retention: the last date re-run with seven days kept
        self.invoke(
            ["run", "--select", *HISTORY_MODELS],
            **as_of,
            soc2_history_retention_days=RETENTION_DAYS,
        )
        self.invoke(
            ["test", "--select", "history_retention_keeps_the_last_days"],
            **as_of,
            soc2_history_retention_days=RETENTION_DAYS,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("duckdb", "postgres", "spark"), required=True)
    parser.add_argument("--mode", choices=("inventory", "results"), required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument(
        "--no-checks",
        action="store_true",
        help="build the series without checking it (to read the rows when the scenario changes)",
    )
    parser.add_argument(
        "--no-deps",
        action="store_true",
        help="the integration project's packages are installed already (series running side"
        " by side must not install them at the same time)",
    )
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    series = Series(IntegrationProject(args.engine, args.workdir, args.schema), args.mode)
    series.checks = not args.no_checks
    started = time.monotonic()
    series.prepare(deps=not args.no_deps)
    runs = read_runs()
    for run in runs:
        print(f"[history] run {run.number}: {run.evaluation_date} {run.note}".rstrip(), flush=True)
        series.build_run(run)
    series.finish(runs[-1])
    print(f"[history] {args.engine} {args.mode}: {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
