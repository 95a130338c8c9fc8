"""`soc2 scan`: load AWS CLI authorization-details exports (one per account) into DuckDB,
build the package on them and print the entitlement (CIEM) findings, worst first.

The package is built from its compiled plan (soc2_tools.scan_plan): dbt compiles it
once per package version, vars and raw columns, and later scans run the compiled SQL
on DuckDB directly. The package's data tests are not run by a scan.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from soc2_tools import authz_export, rawdb, scan_plan, warehouse

RAW_SCHEMA = "cloudquery"
TARGET_SCHEMA = "main"
MARTS_SCHEMA = warehouse.marts_schema(TARGET_SCHEMA)
FINDINGS_MART = "soc2__ciem_findings"
DATABASE_NAME = "soc2_scan.duckdb"
ACCOUNT_FILE_NAME = re.compile(r"^\d{12}$")
SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK_SQL = (
    "case severity when 'critical' then 1 when 'high' then 2 when 'medium' then 3 "
    "when 'low' then 4 when 'info' then 5 else 6 end"
)
STAGES = 4

Tables = dict[str, list[dict[str, object]]]


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
        nargs="+",
        metavar="PATH",
        help="JSON of `aws iam get-account-authorization-details`: one or more files, or "
        "directories of *.json files; one export per account",
    )
    parser.add_argument(
        "--credential-report",
        type=Path,
        nargs="+",
        default=[],
        metavar="FILE",
        help="CSV of `aws iam get-credential-report` (decoded), optional; one per account",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("soc2-scan"),
        metavar="DIR",
        help="where the DuckDB file goes (default: ./soc2-scan)",
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
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where compiled plans are kept (default: $SOC2_CACHE_DIR/scan-plans, else "
        "~/.cache/soc2/scan-plans)",
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
    print(f"Done in {time.monotonic() - started:.1f} s.")
    return 0


def scan(args: argparse.Namespace) -> Path:
    """All four stages; returns the DuckDB file."""
    output: Path = args.output.resolve()
    as_of: date | None = args.as_of
    exports = export_files(args.aws_authorization_details)
    _stage(1, f"converting {_describe_files(exports)}")
    tables = convert(exports, args.credential_report)
    database = output / DATABASE_NAME
    _stage(2, f"writing {_row_count(tables):,} rows into {database} (schema {RAW_SCHEMA})")
    load(tables, database, as_of)
    cache_dir = args.cache_dir.resolve() if args.cache_dir else scan_plan.default_cache_dir()
    build(database, as_of, cache_dir)
    _stage(4, f"reading the findings from {MARTS_SCHEMA}.{FINDINGS_MART}")
    print("\n" + render_findings(database, args.top))
    return database


def _stage(number: int, text: str) -> None:
    print(f"[{number}/{STAGES}] {text} ...", flush=True)


def _row_count(tables: Tables) -> int:
    return sum(len(rows) for rows in tables.values())


def _describe_files(paths: Sequence[Path]) -> str:
    if len(paths) == 1:
        return str(paths[0])
    return f"{len(paths)} exports ({paths[0].name}, ..., {paths[-1].name})"


def export_files(paths: Sequence[Path]) -> list[Path]:
    """The export files named: files as given, directories as their *.json files (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.json") if p.is_file())
            if not found:
                raise ScanError(f"{path}: a directory with no *.json file")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise ScanError(f"{path}: no such file")
    return files


def convert(exports: Sequence[Path], credential_reports: Sequence[Path] = ()) -> Tables:
    """CloudQuery rows of every export (each its own accounts) and credential report.

    An export's account is read from its ARNs; one whose ARNs name none (only AWS-managed
    policies) takes it from a file name that is an account id, e.g. 123456789012.json.
    An account in two exports is an error: its rows would be counted twice.
    """
    tables: Tables = {}
    owners: dict[str, Path] = {}
    for path in exports:
        converted, accounts = _convert_export(path)
        for account in accounts:
            if account in owners:
                raise ScanError(f"account {account} is in both {owners[account]} and {path}")
            owners[account] = path
        for table, rows in converted.items():
            tables.setdefault(table, []).extend(rows)
    for path in credential_reports:
        if not path.is_file():
            raise ScanError(f"{path}: no such file")
        try:
            rows = authz_export.convert_credential_report(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise ScanError(f"cannot read {path}: {error}") from error
        tables.setdefault("aws_iam_credential_reports", []).extend(rows)
    return tables


def _convert_export(path: Path) -> tuple[Tables, list[str]]:
    try:
        export = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ScanError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error
    except UnicodeDecodeError as error:
        raise ScanError(f"{path}: not UTF-8 text ({error.reason})") from error
    try:
        accounts = authz_export.export_accounts(export)
        account_id = None
        if not accounts and ACCOUNT_FILE_NAME.match(path.stem):
            account_id = path.stem
            accounts = [account_id]
        if not accounts:
            raise ScanError(
                f"{path}: its ARNs name no account (only AWS-managed policies); name the file "
                "after the account, e.g. 123456789012.json"
            )
        return authz_export.convert_export(export, account_id=account_id), accounts
    except (ValueError, KeyError) as error:
        raise ScanError(f"cannot read {path}: {error}") from error


def load(tables: Tables, database: Path, as_of: date | None) -> None:
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


def dbt_target(database: Path, as_of: date | None) -> tuple[dict[str, object], dict[str, object]]:
    """The profile output and the vars the package is compiled with for the scan's file."""
    variables: dict[str, object] = {"soc2_aws_schema": RAW_SCHEMA}
    if as_of is not None:
        variables["soc2_as_of"] = as_of.isoformat()
    profile: dict[str, object] = {
        "type": "duckdb",
        "path": str(database),
        "schema": TARGET_SCHEMA,
        "threads": 4,
    }
    return profile, variables


def build(database: Path, as_of: date | None, cache_dir: Path) -> scan_plan.Plan:
    """Build the package's models on the loaded raw tables, from the cached compiled plan
    (compiled first with dbt when there is none for this package, vars and raw columns)."""
    import duckdb

    profile, variables = dbt_target(database, as_of)
    package_dir = warehouse.repository_root()
    with duckdb.connect(str(database), read_only=True) as connection:
        columns = scan_plan.raw_columns(connection, RAW_SCHEMA)
    key = scan_plan.plan_key(package_dir, columns, variables, profile)
    plan = scan_plan.load(cache_dir, key)
    if plan is None:
        _stage(3, f"compiling the package with dbt (once; the plan is cached in {cache_dir})")
        try:
            plan = scan_plan.compile_plan(
                cache_dir, key, database, RAW_SCHEMA, package_dir, profile, variables
            )
        except (warehouse.WarehouseError, scan_plan.PlanError) as error:
            raise ScanError(str(error)) from error
        print(f"[3/{STAGES}] building the package from the compiled plan {key[:12]} ...")
    else:
        _stage(3, f"building the package from the cached compiled plan {key[:12]}")
    started = time.perf_counter()
    try:
        models = scan_plan.execute(plan, database)
    except scan_plan.PlanError as error:
        raise ScanError(str(error)) from error
    print(
        f"      {len(plan.seeds)} seeds and {models} models in "
        f"{time.perf_counter() - started:.1f} s (the package's data tests are not run by a scan)"
    )
    return plan


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
