"""Read the built marts (a DuckDB file, or PostgreSQL through `render(session, ...)`) and
print what an auditor wants first: per trust category, how many controls pass, fail or
could not be evaluated, and the failing resources of the worst controls."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soc2_tools import warehouse
from soc2_tools.sql_session import Session, duckdb_session

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
    parser.add_argument(
        "--schema",
        default=warehouse.marts_schema("main"),
        help=f"schema of the marts (default {warehouse.marts_schema('main')})",
    )
    parser.add_argument("--worst", type=int, default=5, help="how many failing controls to list")
    parser.add_argument("--resources", type=int, default=5, help="failing resources per control")
    parser.add_argument(
        "--history",
        action="store_true",
        help="also the Type II marts: trend, operating effectiveness, failure episodes",
    )


def category_lines(session: Session, schema: str) -> list[CategoryLine]:
    rows = session.query(
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
    )
    by_category = {row[0]: CategoryLine(*row) for row in rows}
    return [by_category.get(name, CategoryLine(name, 0, 0, 0, 0, 0, 0, 0)) for name in CATEGORIES]


def worst_controls(session: Session, schema: str, limit: int) -> list[tuple[Any, ...]]:
    return session.query(
        f"""
        select control_id, control_title, severity, fail_count, pass_count
        from {schema}.soc2__control_summary
        where fail_count > 0
        order by {SEVERITY_ORDER} desc, fail_count desc, control_id
        limit {int(limit)}
        """
    )


def failing_resources(
    session: Session, schema: str, control_id: str, limit: int
) -> list[tuple[Any, ...]]:
    return session.query(
        f"""
        select coalesce(account_id, '-'), resource_id, reason
        from {schema}.soc2__control_results
        where control_id = ? and status = 'fail'
        order by account_id, resource_id
        limit {int(limit)}
        """,
        [control_id],
    )


def render(session: Session, schema: str, worst: int = 5, resources: int = 5) -> str:
    """The control status per trust category and the worst failing controls."""
    lines = [
        "SOC 2 control status per trust services category",
        "(controls by overall status; a control fails when any resource fails)",
        "",
        f"  {'category':<22}{'pass':>6}{'fail':>6}{'not evaluated':>15}{'manual':>8}"
        f"{'other':>7}   resources passing",
    ]
    for line in category_lines(session, schema):
        checked = line.resources_passed + line.resources_failed
        share = f"{line.resources_passed}/{checked}" if checked else "-"
        lines.append(
            f"  {line.category:<22}{line.passed:>6}{line.failed:>6}"
            f"{line.not_evaluated:>15}{line.manual:>8}{line.other:>7}   {share}"
        )
    lines += ["", "Worst failing controls (by severity, then failing resources):"]
    for control_id, title, severity, fails, passes in worst_controls(session, schema, worst):
        lines.append(f"  [{severity}] {control_id}: {title} ({fails} failing, {passes} passing)")
        for account_id, resource_id, reason in failing_resources(
            session, schema, control_id, resources
        ):
            lines.append(f"      {account_id}  {resource_id}")
            lines.append(f"          {reason}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if not args.duckdb.exists():
        print(f"soc2 summary: {args.duckdb} does not exist")
        return 2
    with duckdb_session(args.duckdb, read_only=True) as session:
        print(render(session, args.schema, args.worst, args.resources))
        if args.history:
            print()
            print(render_history(session, args.schema))
    return 0


# --- Type II history ---------------------------------------------------------------------------

# operating_status of the effectiveness marts -> how the summary says it
OPERATING_STATUSES = {
    "effective": "effective",
    "deviations": "with deviations",
    "incomplete": "incomplete",
    "not_evaluated": "not evaluated",
    "no_control": "without a control",
}


@dataclass(frozen=True)
class CategoryTrend:
    category: str
    first_rate: float | None
    last_rate: float | None
    first_controls: str
    last_controls: str


def history_dates(session: Session, schema: str) -> tuple[int, Any, Any, int]:
    """Evaluation dates recorded, the first and the last, and the days without one."""
    count, first, last = session.query(
        f"""
        select count(distinct evaluation_date), min(evaluation_date), max(evaluation_date)
        from {schema}.soc2__control_daily_status
        """
    )[0]
    gaps = session.query(f"select count(*) from {schema}.soc2__evaluation_gaps")[0]
    return int(count), first, last, int(gaps[0])


def category_trends(session: Session, schema: str) -> list[CategoryTrend]:
    """Per trust category: the share of passing and failing resources that pass, and the
    controls passing of those decided, on the first and the last evaluation date."""
    rows = session.query(
        f"""
        with bounds as (
            select min(evaluation_date) as first_date, max(evaluation_date) as last_date
            from {schema}.soc2__control_daily_status
        ),
        resources as (
            select
                daily.trust_category,
                daily.evaluation_date = bounds.last_date as is_last,
                sum(daily.pass_count) as passed,
                sum(daily.pass_count + daily.fail_count) as decided
            from {schema}.soc2__control_daily_status as daily
            cross join bounds
            where daily.evaluation_date in (bounds.first_date, bounds.last_date)
            group by daily.trust_category, daily.evaluation_date = bounds.last_date
        ),
        controls as (
            select
                category_days.trust_category,
                category_days.evaluation_date = bounds.last_date as is_last,
                category_days.controls_passing,
                category_days.controls_evaluated
            from {schema}.soc2__trust_category_daily as category_days
            cross join bounds
            where category_days.evaluation_date in (bounds.first_date, bounds.last_date)
        )
        select
            controls.trust_category, controls.is_last,
            resources.passed, resources.decided,
            controls.controls_passing, controls.controls_evaluated
        from controls
        left join resources
            on controls.trust_category = resources.trust_category
            and controls.is_last = resources.is_last
        """
    )
    by_key = {(row[0], bool(row[1])): row[2:] for row in rows}
    trends = []
    for category in CATEGORIES:
        last = by_key.get((category, True))
        if last is None:
            continue
        first = by_key.get((category, False), last)
        trends.append(
            CategoryTrend(
                category,
                _share(first[0], first[1]),
                _share(last[0], last[1]),
                f"{first[2]}/{first[3]}" if first[3] else "-",
                f"{last[2]}/{last[3]}" if last[3] else "-",
            )
        )
    return trends


def _share(part: Any, whole: Any) -> float | None:
    return float(part) / float(whole) if whole else None


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def operating_counts(session: Session, schema: str, mart: str) -> dict[str, int]:
    """How many rows of an effectiveness mart have each operating_status."""
    rows = session.query(
        f"select operating_status, count(*) from {schema}.{mart} group by operating_status"
    )
    return {str(status): int(count) for status, count in rows}


def episode_lines(session: Session, schema: str) -> list[str]:
    """Failure episodes overall and per severity, from the package's remediation marts."""
    total = session.query(
        f"""
        select
            count(*),
            count(*) filter (where is_open),
            count(*) filter (where not is_open),
            count(*) filter (where is_reopened),
            avg(days_open) filter (where not is_open)
        from {schema}.soc2__control_failure_episodes
        """
    )[0]
    episodes, open_count, closed, reopened, mean_days = total
    mean = "-" if mean_days is None else f"{mean_days:.1f}"
    lines = [
        f"  failure episodes: {episodes} ({open_count} open, {closed} closed, {reopened} reopened);"
        f" mean days to remediate {mean}"
    ]
    rows = session.query(
        f"""
        select severity, episode_count, open_episode_count, closed_episode_count,
            mean_days_to_remediate, p90_days_to_remediate, oldest_open_days
        from {schema}.soc2__remediation_times_by_severity
        order by {SEVERITY_ORDER} desc
        """
    )
    for severity, count, open_now, closed_now, mean_row, p90, oldest in rows:
        mean_text = "-" if mean_row is None else f"{mean_row:.1f}"
        lines.append(
            f"    {severity:<9}{count:>6} episodes, {open_now:>4} open (oldest {oldest or 0} days),"
            f" {closed_now:>5} closed: mean {mean_text} days, p90 {p90 if p90 is not None else '-'}"
        )
    return lines


def render_history(session: Session, schema: str) -> str:
    """The Type II marts in a few lines: the dates, the trend per trust category, the
    operating effectiveness of criteria and controls, and the failure episodes."""
    count, first, last, gaps = history_dates(session, schema)
    lines = [
        f"Type II history: {count} evaluation dates from {first} to {last},"
        f" {gaps} days without an evaluation (soc2__evaluation_gaps)",
        "",
        f"  {'category':<22}{'resources passing':>26}{'controls passing':>26}",
        f"  {'':<22}{'first -> last date':>26}{'first -> last date':>26}",
    ]
    for trend in category_trends(session, schema):
        resources = f"{_percent(trend.first_rate)} -> {_percent(trend.last_rate)}"
        controls = f"{trend.first_controls} -> {trend.last_controls}"
        lines.append(f"  {trend.category:<22}{resources:>26}{controls:>26}")
    lines += ["", "Operating effectiveness over the period:"]
    for label, mart in (
        ("criteria", "soc2__criteria_effectiveness"),
        ("controls", "soc2__control_effectiveness"),
    ):
        counts = operating_counts(session, schema, mart)
        described = ", ".join(
            f"{counts.get(status, 0)} {words}"
            for status, words in OPERATING_STATUSES.items()
            if counts.get(status, 0) or status in ("effective", "deviations")
        )
        lines.append(f"  {label}: {described}")
    lines += episode_lines(session, schema)
    return "\n".join(lines)
