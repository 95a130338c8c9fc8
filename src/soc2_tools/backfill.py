"""`soc2 backfill`: record past evaluation dates in the Type II history from
CloudQuery's append-mode tables.

In append mode CloudQuery keeps every sync's rows, so the inventory of a
past day is still in the warehouse. For each date from --from to --to this
builds the package as of that date (var soc2_as_of) reading only the rows
synced by the end of that day (var soc2_sync_cutoff_at_as_of), which writes
that date's rows of the three history tables and replaces nothing else.
Then it rebuilds the package's other models at the evaluation date the
project normally uses, so the current-state marts and the Type II marts
(episodes, effectiveness) read the filled history.

Run it in your dbt project, where `dbt build` runs:

    soc2 backfill --from 2026-01-01 --to 2026-03-31

dbt runs in this process with the project parsed once, so each date costs
one build of the package, not a parse as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from soc2_tools.warehouse import HISTORY_MODELS

MAX_DATES = 3660


class BackfillError(RuntimeError):
    """A backfill that cannot start or a dbt command that failed."""


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {text!r}") from error


def dates_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    if first > last:
        raise BackfillError(f"--from {first} is after --to {last}")
    if (last - first).days + 1 > MAX_DATES:
        raise BackfillError(f"{first} to {last} is more than {MAX_DATES} dates; split it")
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def user_vars(text: str | None) -> dict[str, object]:
    if not text:
        return {}
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise BackfillError(f"--vars must be a YAML mapping, got {text!r}")
    reserved = {"soc2_as_of", "soc2_sync_cutoff_at_as_of"} & set(loaded)
    if reserved:
        raise BackfillError(f"--vars must not set {', '.join(sorted(reserved))}: backfill sets it")
    return dict(loaded)


class Dbt:
    """dbt in this process, the project parsed once for every date."""

    def __init__(self, common: Sequence[str]) -> None:
        from dbt.cli.main import dbtRunner

        self.common = list(common)
        self.runner: Any = dbtRunner()
        self._runner_type = dbtRunner

    def invoke(self, arguments: Sequence[str], variables: Mapping[str, object]) -> Any:
        full = [*arguments, *self.common]
        if variables:
            full += ["--vars", yaml.safe_dump(dict(variables), default_flow_style=True)]
        result = self.runner.invoke(full)
        if not result.success:
            raise BackfillError(
                f"`dbt {' '.join(arguments)}` failed: {result.exception or 'see above'}"
            )
        return result

    def parse_once(self, variables: Mapping[str, object]) -> None:
        manifest = self.invoke(["parse"], variables).result
        self.runner = self._runner_type(manifest=manifest)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=iso_date, required=True, help="first date")
    parser.add_argument("--to", dest="last", type=iso_date, required=True, help="last date")
    parser.add_argument("--project-dir", type=Path, default=Path("."), help="your dbt project")
    parser.add_argument("--profiles-dir", type=Path, help="as for dbt (default: dbt's own)")
    parser.add_argument("--target", help="as for dbt")
    parser.add_argument("--vars", help="other vars, as for dbt (YAML)")


def run(args: argparse.Namespace) -> int:
    try:
        dates = list(dates_between(args.first, args.last))
        variables = user_vars(args.vars)
        if not (args.project_dir / "dbt_project.yml").exists():
            raise BackfillError(f"{args.project_dir} has no dbt_project.yml; pass --project-dir")
        common = ["--project-dir", str(args.project_dir)]
        if args.profiles_dir:
            common += ["--profiles-dir", str(args.profiles_dir)]
        if args.target:
            common += ["--target", args.target]
        dbt = Dbt(common)
        dbt.parse_once(variables)
        selection = [f"+{model}" for model in HISTORY_MODELS]
        started = time.monotonic()
        for index, day in enumerate(dates, start=1):
            day_started = time.monotonic()
            dbt.invoke(
                ["run", "--select", *selection, "--quiet"],
                {**variables, "soc2_as_of": day.isoformat(), "soc2_sync_cutoff_at_as_of": True},
            )
            print(
                f"[{index}/{len(dates)}] {day} recorded in {time.monotonic() - day_started:.0f} s",
                flush=True,
            )
        dbt.invoke(
            ["run", "--select", "package:soc2", "--exclude", *HISTORY_MODELS, "--quiet"], variables
        )
        print(
            f"backfilled {len(dates)} date(s) in {time.monotonic() - started:.0f} s; "
            "the other models were rebuilt at your usual evaluation date",
            flush=True,
        )
    except BackfillError as error:
        print(f"soc2 backfill: {error}", file=sys.stderr)
        return 1
    return 0
