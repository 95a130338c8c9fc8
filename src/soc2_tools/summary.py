"""Read a built DuckDB file and print what an auditor wants first: per trust
category, how many controls pass, fail or could not be evaluated, and the
failing resources of the worst controls."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CATEGORIES = (
    "security",
    "availability",
    "processing_integrity",
    "confidentiality",
    "privacy",
)
SEVERITY_ORDER = (
    "case severity when 'critical' then 5 when 'high' then 4"
    " when 'medium' then 3 when 'low' then 2 else 1 end"
)


@dataclass(frozen=True)
class CategoryLine:
    category: str
    passed: int
    failed: int
    not_evaluated: int
    manual: int
    other: int
    resources_passed: int
    resources_failed: int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("duckdb", type=Path, help="the DuckDB file the package was built in")
    parser.add_argument("--schema", default="main_soc2", help="schema of the marts")
    parser.add_argument("--worst", type=int, default=5, help="how many failing controls to list")
    parser.add_argument("--resources", type=int, default=5, help="failing resources per control")


def category_lines(connection: Any, schema: str) -> list[CategoryLine]:
    rows = connection.execute(
        f"""
        select
            trust_category,
            count(*) filter (where overall_status = 'pass'),
            count(*) filter (where overall_status = 'fail'),
            count(*) filter (where overall_status = 'not_evaluated'),
            count(*) filter (where overall_status = 'manual'),
            count(*) filter (
                where overall_status not in ('pass', 'fail', 'not_evaluated', 'manual')
            ),
            coalesce(sum(pass_count), 0),
            coalesce(sum(fail_count), 0)
        from {schema}.soc2__control_summary
        group by trust_category
        """
    ).fetchall()
    by_category = {row[0]: CategoryLine(*row) for row in rows}
    return [by_category.get(name, CategoryLine(name, 0, 0, 0, 0, 0, 0, 0)) for name in CATEGORIES]


def worst_controls(connection: Any, schema: str, limit: int) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = connection.execute(
        f"""
        select control_id, control_title, severity, fail_count, pass_count
        from {schema}.soc2__control_summary
        where fail_count > 0
        order by {SEVERITY_ORDER} desc, fail_count desc, control_id
        limit {int(limit)}
        """
    ).fetchall()
    return rows


def failing_resources(
    connection: Any, schema: str, control_id: str, limit: int
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = connection.execute(
        f"""
        select coalesce(account_id, '-'), resource_id, reason
        from {schema}.soc2__control_results
        where control_id = ? and status = 'fail'
        order by account_id, resource_id
        limit {int(limit)}
        """,
        [control_id],
    ).fetchall()
    return rows


def render(path: Path, schema: str, worst: int = 5, resources: int = 5) -> str:
    import duckdb

    connection = duckdb.connect(str(path), read_only=True)
    try:
        lines = [
            "SOC 2 control status per trust services category",
            "(controls by overall status; a control fails when any resource fails)",
            "",
            f"  {'category':<22}{'pass':>6}{'fail':>6}{'not evaluated':>15}{'manual':>8}"
            f"{'other':>7}   resources passing",
        ]
        for line in category_lines(connection, schema):
            checked = line.resources_passed + line.resources_failed
            share = f"{line.resources_passed}/{checked}" if checked else "-"
            lines.append(
                f"  {line.category:<22}{line.passed:>6}{line.failed:>6}"
                f"{line.not_evaluated:>15}{line.manual:>8}{line.other:>7}   {share}"
            )
        lines += ["", "Worst failing controls (by severity, then failing resources):"]
        for control_id, title, severity, fails, passes in worst_controls(connection, schema, worst):
            lines.append(
                f"  [{severity}] {control_id}: {title} ({fails} failing, {passes} passing)"
            )
            for account_id, resource_id, reason in failing_resources(
                connection, schema, control_id, resources
            ):
                lines.append(f"      {account_id}  {resource_id}")
                lines.append(f"          {reason}")
        return "\n".join(lines)
    finally:
        connection.close()


def run(args: argparse.Namespace) -> int:
    if not args.duckdb.exists():
        print(f"soc2 summary: {args.duckdb} does not exist")
        return 2
    print(render(args.duckdb, args.schema, args.worst, args.resources))
    return 0
