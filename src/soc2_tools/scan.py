"""`soc2 scan`: load an AWS CLI authorization-details export into DuckDB, build the
package on it and print the entitlement (CIEM) findings, worst first."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from soc2_tools import authz_export, dbt_project, rawdb

RAW_SCHEMA = "cloudquery"
TARGET_SCHEMA = "main"
MARTS_SCHEMA = f"{TARGET_SCHEMA}_soc2"
FINDINGS_MART = "soc2__ciem_findings"
DATABASE_NAME = "soc2_scan.duckdb"
SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK_SQL = (
    "case severity when 'critical' then 1 when 'high' then 2 when 'medium' then 3 "
    "when 'low' then 4 when 'info' then 5 else 6 end"
)
STAGES = 4


class ScanError(RuntimeError):
    """A stage of the scan failed; the message says what to fix."""


@dataclass(frozen=True)
class Finding:
    """One row of the findings mart, as printed."""

    severity: str
    finding_type: str
    account_id: str
    principal_arn: str
    method: str
    reason: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `soc2 scan`."""
    parser.add_argument(
        "--aws-authorization-details",
        type=Path,
        required=True,
        metavar="FILE",
        help="JSON of `aws iam get-account-authorization-details`",
    )
    parser.add_argument(
        "--credential-report",
        type=Path,
        metavar="FILE",
        help="CSV of `aws iam get-credential-report` (decoded), optional",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("soc2-scan"),
        metavar="DIR",
        help="where the DuckDB file and the dbt project go (default: ./soc2-scan)",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="DATE",
        help="evaluation date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--top", type=int, default=25, metavar="N", help="findings to list (default: 25)"
    )


def run(args: argparse.Namespace) -> int:
    """Convert, load, build and report; 1 with a message on any failure."""
    started = time.monotonic()
    try:
        database = scan(args)
    except ScanError as error:
        print(f"soc2 scan: {error}")
        return 1
    print(f"\nThe DuckDB file: {database}")
    print(
        f'  query the findings: duckdb {database} -c "select * from '
        f'{MARTS_SCHEMA}.{FINDINGS_MART} order by account_id, principal_arn"'
    )
    print(f"Done in {time.monotonic() - started:.0f} s.")
    return 0


def scan(args: argparse.Namespace) -> Path:
    """All four stages; returns the DuckDB file."""
    output: Path = args.output.resolve()
    as_of: date | None = args.as_of
    _stage(1, f"converting {args.aws_authorization_details}")
    tables = convert(args.aws_authorization_details, args.credential_report)
    database = output / DATABASE_NAME
    _stage(2, f"writing {_row_count(tables):,} rows into {database} (schema {RAW_SCHEMA})")
    load(tables, database, as_of)
    _stage(3, "building the soc2 package on DuckDB (dbt deps, dbt build)")
    build(output / "project", database, as_of)
    _stage(4, f"reading the findings from {MARTS_SCHEMA}.{FINDINGS_MART}")
    print("\n" + render_findings(database, args.top))
    return database


def _stage(number: int, text: str) -> None:
    print(f"[{number}/{STAGES}] {text} ...", flush=True)


def _row_count(tables: dict[str, list[dict[str, object]]]) -> int:
    return sum(len(rows) for rows in tables.values())


def convert(
    export_path: Path, credential_report_path: Path | None
) -> dict[str, list[dict[str, object]]]:
    """CloudQuery rows from the export files, with errors that name the file."""
    for path in (export_path, credential_report_path):
        if path is not None and not path.is_file():
            raise ScanError(f"{path}: no such file")
    try:
        json.loads(export_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ScanError(
            f"{export_path}: not valid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}"
        ) from error
    except UnicodeDecodeError as error:
        raise ScanError(f"{export_path}: not UTF-8 text ({error.reason})") from error
    try:
        return authz_export.convert_files(export_path, credential_report_path)
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise ScanError(f"cannot read {export_path}: {error}") from error


def load(tables: dict[str, list[dict[str, object]]], database: Path, as_of: date | None) -> None:
    """Write the rows into a fresh DuckDB file."""
    for stale in (database, database.with_name(database.name + ".wal")):
        stale.unlink(missing_ok=True)
    sync_time = None if as_of is None else datetime.combine(as_of, datetime.min.time())
    target = rawdb.RawTarget(kind="duckdb", path=database, schema=RAW_SCHEMA)
    counts = rawdb.write_tables(tables, target, sync_time=sync_time)
    print(f"      {len(counts)} tables: " + _largest_tables(counts))


def _largest_tables(counts: dict[str, int], shown: int = 4) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:shown]
    return ", ".join(f"{name} {count}" for name, count in ranked) + (
        ", ..." if len(counts) > shown else ""
    )


def project_for(directory: Path, database: Path, as_of: date | None) -> dbt_project.UserProject:
    """The throwaway dbt project that builds the package on the scan's DuckDB file."""
    variables: dict[str, object] = {"soc2_aws_schema": RAW_SCHEMA}
    if as_of is not None:
        variables["soc2_as_of"] = as_of.isoformat()
    return dbt_project.UserProject(
        directory=directory,
        profile={"type": "duckdb", "path": str(database), "schema": TARGET_SCHEMA, "threads": 4},
        vars=variables,
    )


def build(directory: Path, database: Path, as_of: date | None) -> None:
    """dbt deps and dbt build; a failed model or seed is an error, a failed test a note."""
    project = project_for(directory, database, as_of)
    dbt_project.write_project(project)
    _warn_only_tests(project)
    try:
        dbt_project.run_dbt(project, ["deps"])
    except dbt_project.DbtError as error:
        raise ScanError(str(error)) from error
    (project.directory / "target" / "run_results.json").unlink(missing_ok=True)
    result = dbt_project.run_dbt(project, ["build"], check=False)
    results = _results_or_none(project)
    broken = [r for r in results or [] if _is_broken_node(r)]
    if results is None or broken or (result.returncode != 0 and not results):
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise ScanError(
            f"`dbt build` failed (exit {result.returncode}, {len(broken)} models or seeds "
            f"failed); the end of dbt's output:\n{tail}"
        )
    _report_build(results)


def _warn_only_tests(project: dbt_project.UserProject) -> None:
    """A failing data test on an odd export must not skip the marts below it."""
    path = project.directory / "dbt_project.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["data_tests"] = {"soc2": {"+severity": "warn"}}
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _results_or_none(project: dbt_project.UserProject) -> list[dict[str, object]] | None:
    try:
        return dbt_project.run_results(project)
    except (OSError, ValueError, KeyError):
        return None


def _is_broken_node(result: dict[str, object]) -> bool:
    unique_id = str(result.get("unique_id", ""))
    is_node = unique_id.startswith(("model.", "seed.", "snapshot."))
    return is_node and str(result.get("status")) in ("error", "skipped")


def _report_build(results: Sequence[dict[str, object]]) -> None:
    statuses = [str(r.get("status")) for r in results]
    failing = statuses.count("fail") + statuses.count("error")
    print(
        f"      {len(statuses)} models, seeds and tests ran; {statuses.count('warn')} tests "
        f"warn, {failing} fail (failing data tests are warnings here: they do not stop the scan)"
    )


# --- the report --------------------------------------------------------------------------------


def render_findings(database: Path, top: int) -> str:
    """Counts per finding type and severity, then the `top` worst findings."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as connection:
        require_mart(connection, database, FINDINGS_MART)
        counts = finding_counts(connection)
        worst = top_findings(connection, top)
        principals = _scalar(connection, "count(distinct principal_arn)")
    total = sum(sum(by_severity.values()) for by_severity in counts.values())
    lines = [f"{total} findings on {principals} principals", ""]
    lines += _count_table(counts) if counts else ["  (no findings)"]
    if worst:
        lines += ["", f"Top {len(worst)} findings (by severity, then type):"]
        lines += _finding_lines(worst)
    return "\n".join(lines)


def require_mart(connection: Any, database: Path, name: str) -> None:
    """Raise ScanError unless MARTS_SCHEMA.name exists in the file."""
    found = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [MARTS_SCHEMA, name],
    ).fetchone()
    if not found or not found[0]:
        raise ScanError(
            f"the mart {MARTS_SCHEMA}.{name} is not in {database}: this version of the "
            "soc2 package does not build it, or the build skipped it"
        )


def _scalar(connection: Any, expression: str) -> int:
    row = connection.execute(f"select {expression} from {MARTS_SCHEMA}.{FINDINGS_MART}").fetchone()
    return int(row[0]) if row else 0


def finding_counts(connection: Any) -> dict[str, dict[str, int]]:
    """finding_type -> severity -> count."""
    rows = connection.execute(
        f"select finding_type, severity, count(*) from {MARTS_SCHEMA}.{FINDINGS_MART} "
        "group by finding_type, severity"
    ).fetchall()
    counts: dict[str, dict[str, int]] = {}
    for finding_type, severity, count in rows:
        counts.setdefault(str(finding_type), {})[str(severity)] = int(count)
    return counts


def top_findings(connection: Any, limit: int) -> list[Finding]:
    """The worst findings: severity, then finding type, then principal."""
    rows = connection.execute(
        f"""
        select severity, finding_type, account_id, principal_arn, method, reason
        from {MARTS_SCHEMA}.{FINDINGS_MART}
        order by {SEVERITY_RANK_SQL}, finding_type, account_id, principal_arn, method
        limit {max(0, int(limit))}
        """
    ).fetchall()
    return [Finding(*("" if value is None else str(value) for value in row)) for row in rows]


def _severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _count_table(counts: dict[str, dict[str, int]]) -> list[str]:
    def order(item: tuple[str, dict[str, int]]) -> tuple[int, int, str]:
        worst = min(_severity_rank(severity) for severity in item[1])
        return worst, -sum(item[1].values()), item[0]

    width = max(len("finding type"), *(len(name) for name in counts)) + 2
    header = f"  {'finding type':<{width}}" + "".join(f"{s:>10}" for s in SEVERITIES)
    lines = [header + f"{'total':>10}"]
    for finding_type, by_severity in sorted(counts.items(), key=order):
        cells = "".join(f"{by_severity.get(s, 0) or '-':>10}" for s in SEVERITIES)
        lines.append(f"  {finding_type:<{width}}{cells}{sum(by_severity.values()):>10}")
    return lines


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    lines: list[str] = []
    for number, finding in enumerate(findings, start=1):
        lines.append(
            f"  {number:>3}. [{finding.severity}] {finding.finding_type}  {finding.principal_arn}"
        )
        if finding.method:
            lines.append(f"       method: {finding.method}")
        if finding.reason:
            lines.append(f"       {finding.reason}")
    return lines
