"""`soc2 evidence`: the auditor's Type II evidence pack, read from the history marts.

For one period it writes a CSV per Trust Services Criterion (`criteria/<id>.csv`:
the criterion's operating-effectiveness row, then the rows of the controls mapped
to it), a CSV per section and `index.html`, a self-contained report (inline CSS,
inline SVG drawn here, no JavaScript, nothing fetched). Every value the report
shows is an element carrying `data-section`, `data-key`, `data-metric` and
`data-value` (absent when the mart's value is null), so that a test can read it
back from the rendered page and compare it with the marts.

Aggregates come from the marts as they are; this module only filters the
history marts to the period with where clauses on dates, and formats.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from soc2_tools.summary import CATEGORIES
from soc2_tools.warehouse import PostgresSettings, quote_identifier

ANCHOR_MART = "soc2__criteria_effectiveness"
PERIOD_MARTS = (
    "soc2__control_effectiveness",
    "soc2__criteria_effectiveness",
    "soc2__evaluation_gaps",
)
HISTORY_MARTS = (
    "soc2__trust_category_daily",
    "soc2__control_failure_episodes",
    "soc2__remediation_times_by_severity",
    "soc2__exception_history",
    "soc2__attestation_history",
)
REQUIRED_MARTS = PERIOD_MARTS + HISTORY_MARTS
SEVERITIES = ("critical", "high", "medium", "low")

# The row key of each section: the columns joined with "|" (null as "").
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "period": (),
    "criteria": ("criterion_id",),
    "controls": ("control_id",),
    "gaps": ("gap_date",),
    "trend": ("trust_category", "evaluation_date"),
    "episodes": ("episode_id",),
    "remediation": ("severity",),
    "exceptions": (
        "control_id",
        "account_id",
        "region",
        "resource_pattern",
        "justification",
        "approved_by",
        "approved_on",
        "expires_on",
    ),
    "attestations": (
        "control_id",
        "attested_by",
        "attested_on",
        "expires_on",
        "evidence_url",
        "notes",
    ),
}

# The columns each section shows in the report (the CSVs hold every column).
SHOWN: dict[str, tuple[str, ...]] = {
    "criteria": (
        "criterion_id",
        "criterion_title",
        "automation",
        "operating_status",
        "days_in_scope",
        "days_evaluated",
        "days_passed",
        "days_failed",
        "days_not_evaluated",
        "days_manual",
        "gap_days",
        "pass_share",
    ),
    "controls": (
        "control_id",
        "control_title",
        "severity",
        "control_type",
        "operating_status",
        "first_evaluated_on",
        "days_in_scope",
        "days_evaluated",
        "days_passed",
        "days_failed",
        "days_excepted",
        "days_not_evaluated",
        "days_with_exceptions",
        "gap_days",
        "pass_share",
    ),
    "episodes": (
        "control_id",
        "severity",
        "account_id",
        "region",
        "resource_id",
        "episode_number",
        "opened_on",
        "last_failed_on",
        "closed_on",
        "close_reason",
        "failing_days",
        "days_open",
    ),
    "remediation": (
        "severity",
        "episode_count",
        "closed_episode_count",
        "mean_days_to_remediate",
        "p90_days_to_remediate",
        "open_episode_count",
        "oldest_open_days",
    ),
    "exceptions": SECTION_KEYS["exceptions"] + ("first_in_force_on", "last_in_force_on"),
    "attestations": SECTION_KEYS["attestations"]
    + ("first_recorded_on", "last_recorded_on", "last_current_on"),
}
TREND_METRICS = ("control_pass_rate", "criteria_pass_rate")


class EvidenceError(RuntimeError):
    """The pack cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def label(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Table:
    """Rows of a query, with their column names."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


# --- arguments --------------------------------------------------------------------------------


def iso_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="start",
        type=iso_date,
        required=True,
        metavar="DATE",
        help="first day of the period (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=iso_date,
        required=True,
        metavar="DATE",
        help="last day of the period (YYYY-MM-DD), included",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--duckdb", type=Path, metavar="PATH", help="a built DuckDB file")
    source.add_argument(
        "--postgres",
        metavar="DSN",
        help="a libpq connection string; what it leaves out comes from SOC2_PG_*",
    )
    parser.add_argument(
        "--schema",
        help=f"schema of the marts (default: the one schema holding {ANCHOR_MART})",
    )


def run(args: argparse.Namespace) -> int:
    try:
        period = check_period_arguments(args.start, args.end)
        connection, source = connect(args.duckdb, args.postgres)
        try:
            written = write_pack(connection, args.schema, period, args.out, source)
        finally:
            connection.close()
    except EvidenceError as error:
        print(f"soc2 evidence: error: {error}", file=sys.stderr)
        return 1
    print(f"evidence pack for {period.label()}: {len(written)} files in {args.out}")
    return 0


def check_period_arguments(start: dt.date, end: dt.date) -> Period:
    if start > end:
        raise EvidenceError(
            f"--from {start.isoformat()} is after --to {end.isoformat()}; "
            "the period's first day comes first"
        )
    return Period(start, end)


# --- the warehouse ----------------------------------------------------------------------------


def connect(duckdb_path: Path | None, dsn: str | None) -> tuple[Any, str]:
    """A DB-API connection (DuckDB read-only, or PostgreSQL) and a description of it."""
    if duckdb_path is not None:
        if not duckdb_path.is_file():
            raise EvidenceError(f"no DuckDB file at {duckdb_path}")
        import duckdb

        return duckdb.connect(str(duckdb_path), read_only=True), f"DuckDB {duckdb_path}"
    assert dsn is not None
    import psycopg2

    settings = PostgresSettings.from_dsn(dsn)
    try:
        return settings.connect(connect_timeout=10), f"PostgreSQL {settings.describe()}"
    except psycopg2.OperationalError as error:
        raise EvidenceError(f"PostgreSQL at {settings.describe()}: {error}") from error


def query(connection: Any, sql: str) -> Table:
    """Run one select on a DuckDB or psycopg2 connection."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        columns = tuple(str(item[0]) for item in cursor.description)
        return Table(columns, tuple(tuple(row) for row in cursor.fetchall()))
    finally:
        cursor.close()


def date_literal(day: dt.date) -> str:
    return f"cast('{day.isoformat()}' as date)"


def find_schema(connection: Any, schema: str | None) -> str:
    """The marts schema: the given one, or the only schema holding the anchor mart."""
    if schema is not None:
        return schema
    found = query(
        connection,
        "select distinct table_schema from information_schema.tables "
        f"where table_name = '{ANCHOR_MART}' order by table_schema",
    )
    schemas = [str(row[0]) for row in found.rows]
    if not schemas:
        raise EvidenceError(
            f"no schema holds {ANCHOR_MART}: build the history marts with `dbt build` "
            "(or name the schema with --schema)"
        )
    if len(schemas) > 1:
        raise EvidenceError(
            f"several schemas hold {ANCHOR_MART} ({', '.join(schemas)}); choose one with --schema"
        )
    return schemas[0]


def check_marts(connection: Any, schema: str) -> None:
    """EvidenceError naming every required mart that the schema lacks."""
    names = ", ".join(f"'{name}'" for name in REQUIRED_MARTS)
    found = query(
        connection,
        "select table_name from information_schema.tables "
        f"where table_schema = '{schema.replace(chr(39), chr(39) * 2)}' "
        f"and table_name in ({names})",
    )
    present = {str(row[0]) for row in found.rows}
    missing = [name for name in REQUIRED_MARTS if name not in present]
    if missing:
        raise EvidenceError(
            f"schema {schema} has no {', '.join(missing)}: run `dbt build` "
            "(the package's history models) into it first"
        )


def rebuild_command(period: Period) -> str:
    """The dbt command that rebuilds the period marts: the audit period and
    everything built from it (the effectiveness marts and the gaps)."""
    return (
        "dbt build --select soc2__audit_period+ --vars '{soc2_period_start: "
        f"{period.start.isoformat()}, soc2_period_end: {period.end.isoformat()}}}'"
    )


def check_built_period(connection: Any, schema: str, period: Period) -> None:
    """EvidenceError when the effectiveness marts were built for another period (or none)."""
    built: set[tuple[Any, Any]] = set()
    for mart in PERIOD_MARTS:
        rows = query(
            connection,
            f"select distinct period_start, period_end from {relation(schema, mart)}",
        ).rows
        built |= {(row[0], row[1]) for row in rows}
    if built == {(period.start, period.end)}:
        return
    if not built:
        found = "were built for no period (they are empty)"
    else:
        labels = sorted(f"{start} to {end}" for start, end in built)
        found = f"were built for {' and '.join(labels)}"
    raise EvidenceError(
        f"the effectiveness marts in {schema} {found}, not {period.label()}. "
        f"Rebuild them for this period:\n  {rebuild_command(period)}"
    )


def relation(schema: str, name: str) -> str:
    return f"{quote_identifier(schema)}.{quote_identifier(name)}"


# --- reading the sections ---------------------------------------------------------------------


def section_sql(schema: str, period: Period) -> dict[str, str]:
    """One select per section; the history marts filtered to the period."""
    start, end = date_literal(period.start), date_literal(period.end)
    exception_keys = ", ".join(SECTION_KEYS["exceptions"])
    attestation_keys = ", ".join(SECTION_KEYS["attestations"])
    severity_rank = " ".join(
        f"when '{name}' then {rank}" for rank, name in enumerate(SEVERITIES, start=1)
    )
    return {
        "criteria": f"select * from {relation(schema, 'soc2__criteria_effectiveness')} "
        "order by sort_order, criterion_id",
        "controls": f"select * from {relation(schema, 'soc2__control_effectiveness')} "
        "order by trust_category, control_id",
        "gaps": f"select gap_date from {relation(schema, 'soc2__evaluation_gaps')} "
        "order by gap_date",
        "trend": f"select * from {relation(schema, 'soc2__trust_category_daily')} "
        f"where evaluation_date between {start} and {end} "
        "order by trust_category, evaluation_date",
        # An episode belongs to the period when it failed on one of its days.
        "episodes": f"select * from {relation(schema, 'soc2__control_failure_episodes')} "
        f"where opened_on <= {end} and (last_failed_on >= {start} or closed_on is null) "
        "order by opened_on, control_id, episode_id",
        "remediation": f"select * from "
        f"{relation(schema, 'soc2__remediation_times_by_severity')} "
        f"order by case severity {severity_rank} else 9 end, severity",
        "exceptions": f"select {exception_keys}, min(evaluation_date) as first_in_force_on, "
        "max(evaluation_date) as last_in_force_on "
        f"from {relation(schema, 'soc2__exception_history')} "
        f"where evaluation_date between {start} and {end} and is_in_force "
        f"group by {exception_keys} order by control_id, approved_on, account_id, region",
        "attestations": f"select {attestation_keys}, "
        "min(evaluation_date) as first_recorded_on, max(evaluation_date) as last_recorded_on, "
        "max(case when is_current then evaluation_date end) as last_current_on "
        f"from {relation(schema, 'soc2__attestation_history')} "
        f"where evaluation_date between {start} and {end} "
        f"group by {attestation_keys} order by control_id, attested_on, attested_by",
    }


def read_sections(connection: Any, schema: str, period: Period) -> dict[str, Table]:
    return {name: query(connection, sql) for name, sql in section_sql(schema, period).items()}


def criterion_ids(value: Any) -> list[str]:
    """The criteria of a control: the ';'-separated ids of its `criteria` column."""
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def criterion_table(criteria: Table, controls: Table, criterion_id: str) -> Table:
    """One criterion's CSV: its own row (record 'criterion'), then its controls' rows
    (record 'control', criterion_id the criterion), over the union of both marts' columns."""
    columns = ("record", *criteria.columns)
    columns += tuple(name for name in controls.columns if name not in columns)
    rows: list[tuple[Any, ...]] = []
    for record in criteria.records():
        if record["criterion_id"] == criterion_id:
            rows.append(tuple(["criterion", *(record.get(name) for name in columns[1:])]))
    for record in controls.records():
        if criterion_id in criterion_ids(record.get("criteria")):
            values = {**record, "criterion_id": criterion_id}
            rows.append(tuple(["control", *(values.get(name) for name in columns[1:])]))
    return Table(columns, tuple(rows))


# --- values -----------------------------------------------------------------------------------


def canonical(value: Any) -> str:
    """A value as written in the CSVs and in `data-value`: exact, null as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def display(metric: str, value: Any) -> str:
    """A value as the report shows it: shares and rates as a percentage with one decimal,
    other fractional numbers with one decimal, null as an em dash."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal) and metric.endswith(("_share", "_rate")):
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, float | Decimal):
        return f"{float(value):.1f}"
    return canonical(value)


def row_key(section: str, record: dict[str, Any]) -> str:
    return "|".join(canonical(record.get(name)) for name in SECTION_KEYS[section])


def hook(section: str, key: str, metric: str, value: Any) -> str:
    """The data attributes of one shown value."""
    attributes = [
        f'data-section="{html.escape(section)}"',
        f'data-key="{html.escape(key)}"',
        f'data-metric="{html.escape(metric)}"',
    ]
    if value is not None:
        attributes.append(f'data-value="{html.escape(canonical(value))}"')
    return " ".join(attributes)


# --- writing ----------------------------------------------------------------------------------


def write_csv(path: Path, table: Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        writer.writerows([canonical(value) for value in row] for row in table.rows)
    print(f"wrote {path}")


def safe_file_name(name: str) -> str:
    return "".join(char if char.isalnum() or char in ".-_" else "_" for char in name)


def write_pack(
    connection: Any, schema: str | None, period: Period, out: Path, source: str
) -> list[Path]:
    """Check the marts and the period, then write the CSVs and index.html; return the paths."""
    schema = find_schema(connection, schema)
    check_marts(connection, schema)
    check_built_period(connection, schema, period)
    sections = read_sections(connection, schema, period)
    written: list[Path] = []
    for name, table in sections.items():
        path = out / f"{name}.csv"
        write_csv(path, table)
        written.append(path)
    for record in sections["criteria"].records():
        criterion_id = str(record["criterion_id"])
        path = out / "criteria" / f"{safe_file_name(criterion_id)}.csv"
        write_csv(path, criterion_table(sections["criteria"], sections["controls"], criterion_id))
        written.append(path)
    index = out / "index.html"
    index.write_text(render_html(sections, period, f"{source}, schema {schema}"), "utf-8")
    print(f"wrote {index}")
    written.append(index)
    return written


# --- the report -------------------------------------------------------------------------------

CSS = """
body { font: 13px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2433; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 6px; }
h3 { font-size: 14px; margin: 16px 0 4px; } p.note { color: #555; margin: 2px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { border-bottom: 1px solid #dde1e8; padding: 3px 6px; text-align: left;
  vertical-align: top; }
td.date { white-space: nowrap; } td.long { overflow-wrap: anywhere; min-width: 9em; }
th { background: #f1f3f7; font-weight: 600; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status-effective, .status-passed { color: #1a7f37; font-weight: 600; }
.status-deviations { color: #b42318; font-weight: 600; }
.status-incomplete { color: #9a6700; font-weight: 600; }
.status-not_evaluated { color: #667085; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { border: 1px solid #dde1e8; padding: 6px; }
.legend span { margin-right: 12px; } .muted { color: #667085; }
"""

SECTION_TITLES = {
    "criteria": "Operating effectiveness per criterion",
    "controls": "Operating effectiveness per control",
    "episodes": "Failure episodes in the period",
    "remediation": "Remediation times by severity",
    "exceptions": "Risk exceptions in force during the period",
    "attestations": "Attestation register during the period",
}
SECTION_NOTES = {
    "criteria": "From soc2__criteria_effectiveness. pass_share is the mart's share of "
    "evaluated days that passed.",
    "controls": "From soc2__control_effectiveness.",
    "episodes": "From soc2__control_failure_episodes: episodes that failed on at least one "
    "day of the period. days_open and close_reason are as of the latest recorded day.",
    "remediation": "From soc2__remediation_times_by_severity: the whole recorded history, "
    "not only the period.",
    "exceptions": "From soc2__exception_history: each exception in force on at least one day "
    "of the period, with the first and last such day.",
    "attestations": "From soc2__attestation_history: each attestation recorded during the "
    "period, with the first and last day recorded and the last day it was current.",
}


# Columns whose values (ARNs, URLs, free text) may be broken anywhere to fit the page.
LONG_VALUES = {"resource_id", "resource_pattern", "evidence_url", "justification", "notes"}


def cell(section: str, key: str, metric: str, value: Any) -> str:
    classes = []
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        classes.append("num")
    if isinstance(value, dt.date):
        classes.append("date")
    if metric in LONG_VALUES:
        classes.append("long")
    if metric == "operating_status" and value is not None:
        classes.append(f"status-{safe_file_name(str(value))}")
    class_attribute = f' class="{" ".join(classes)}"' if classes else ""
    text = html.escape(display(metric, value))
    return f"<td{class_attribute} {hook(section, key, metric, value)}>{text}</td>"


def html_table(section: str, records: Iterable[dict[str, Any]]) -> str:
    columns = SHOWN[section]
    head = "".join(f"<th>{html.escape(name.replace('_', ' '))}</th>" for name in columns)
    body = []
    for record in records:
        key = row_key(section, record)
        cells = "".join(cell(section, key, name, record.get(name)) for name in columns)
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns)}" class="muted">none</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def by_category(records: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Records grouped by trust_category, in the categories' order, keeping record order."""
    names = [name for name in CATEGORIES if any(r["trust_category"] == name for r in records)]
    names += sorted({str(r["trust_category"]) for r in records} - set(names))
    return [(name, [r for r in records if str(r["trust_category"]) == name]) for name in names]


def effectiveness_section(section: str, table: Table) -> str:
    parts = [f"<h2>{SECTION_TITLES[section]}</h2>", f'<p class="note">{SECTION_NOTES[section]}</p>']
    for category, records in by_category(table.records()):
        parts.append(f"<h3>{html.escape(category)}</h3>")
        parts.append(html_table(section, records))
    return "".join(parts)


def plain_section(section: str, table: Table) -> str:
    return (
        f"<h2>{SECTION_TITLES[section]}</h2>"
        f'<p class="note">{SECTION_NOTES[section]}</p>' + html_table(section, table.records())
    )


CHART_WIDTH, CHART_HEIGHT, MARGIN = 560, 170, 36
SERIES_COLOUR = {"control_pass_rate": "#2f6fdf", "criteria_pass_rate": "#d9480f"}
SERIES_DASH = {"control_pass_rate": "", "criteria_pass_rate": ' stroke-dasharray="4 3"'}


def chart_point(period: Period, day: dt.date, share: float) -> tuple[float, float]:
    """The position of a day's rate: x by the day within the period, y by the share."""
    span = max(period.days() - 1, 1)
    x = MARGIN + (day - period.start).days * (CHART_WIDTH - 2 * MARGIN) / span
    y = 10 + (1.0 - share) * (CHART_HEIGHT - 40)
    return round(x, 2), round(y, 2)


def trend_chart(category: str, records: Sequence[dict[str, Any]], period: Period) -> str:
    """One category's SVG: a line per metric, a point per recorded day with its value."""
    top, bottom = chart_point(period, period.start, 1.0)[1], chart_point(period, period.start, 0)[1]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'role="img" aria-label="pass rate, {html.escape(category)}">',
        f'<line x1="{MARGIN}" y1="{bottom}" x2="{CHART_WIDTH - MARGIN}" y2="{bottom}" '
        'stroke="#98a2b3"/>',
        f'<line x1="{MARGIN}" y1="{top}" x2="{CHART_WIDTH - MARGIN}" y2="{top}" stroke="#eaecf0"/>',
        f'<text x="4" y="{top + 4}" font-size="10" fill="#667085">100%</text>',
        f'<text x="4" y="{bottom + 4}" font-size="10" fill="#667085">0%</text>',
        f'<text x="{MARGIN}" y="{CHART_HEIGHT - 8}" font-size="10" fill="#667085">'
        f"{period.start.isoformat()}</text>",
        f'<text x="{CHART_WIDTH - MARGIN}" y="{CHART_HEIGHT - 8}" font-size="10" '
        f'text-anchor="end" fill="#667085">{period.end.isoformat()}</text>',
    ]
    for metric in TREND_METRICS:
        colour, dash = SERIES_COLOUR[metric], SERIES_DASH[metric]
        segments: list[list[tuple[float, float]]] = [[]]
        previous: dt.date | None = None
        points = []
        for record in records:
            day, value = record["evaluation_date"], record.get(metric)
            if value is None or (previous is not None and (day - previous).days > 1):
                segments.append([])
            if value is not None:
                segments[-1].append(chart_point(period, day, float(value)))
            previous = day if value is not None else None
            key = row_key("trend", record)
            if value is not None:
                x, y = chart_point(period, day, float(value))
                label = f"{category}, {day.isoformat()}, {metric}: {display(metric, value)}"
                points.append(
                    f'<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}" '
                    f"{hook('trend', key, metric, value)}><title>{html.escape(label)}</title>"
                    "</circle>"
                )
        for segment in segments:
            if len(segment) > 1:
                coordinates = " ".join(f"{x},{y}" for x, y in segment)
                parts.append(
                    f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.5"{dash}/>'
                )
        parts.extend(points)
    parts.append("</svg>")
    return "".join(parts)


def trend_section(table: Table, period: Period) -> str:
    legend = (
        '<p class="legend"><span style="color:#2f6fdf">&#9679; control pass rate</span>'
        '<span style="color:#d9480f">&#9679; criteria pass rate (dashed)</span></p>'
    )
    charts = []
    for category, records in by_category(table.records()):
        charts.append(
            f'<div class="chart"><h3>{html.escape(category)}</h3>'
            f"{trend_chart(category, records, period)}</div>"
        )
    body = "".join(charts) or '<p class="muted">no recorded day in the period</p>'
    return (
        "<h2>Pass rate per trust category, day by day</h2>"
        '<p class="note">From soc2__trust_category_daily; a point is a recorded day (hover for '
        "its value), a break in a line is a day without a value. trend.csv holds the "
        f"numbers.</p>{legend}<div class='charts'>{body}</div>"
    )


def gaps_section(table: Table) -> str:
    items = [
        f"<li {hook('gaps', row_key('gaps', record), 'gap_date', record['gap_date'])}>"
        f"{canonical(record['gap_date'])}</li>"
        for record in table.records()
    ]
    body = f"<ul>{''.join(items)}</ul>" if items else '<p class="muted">none</p>'
    return (
        "<h2>Days without an evaluation</h2>"
        '<p class="note">From soc2__evaluation_gaps: days of the period on which no build '
        f"recorded results.</p>{body}"
    )


def render_html(sections: dict[str, Table], period: Period, source: str) -> str:
    """The self-contained report."""
    header = (
        "<h1>SOC 2 Type II evidence pack</h1>"
        f"<p>Period <strong {hook('period', '', 'period_start', period.start)}>"
        f"{period.start.isoformat()}</strong> to <strong "
        f"{hook('period', '', 'period_end', period.end)}>{period.end.isoformat()}</strong>"
        f' <span class="muted">({html.escape(source)})</span></p>'
        '<p class="note">Every figure is read from the package\'s marts; the CSV files next to '
        "this page hold the same rows with every column (criteria/&lt;id&gt;.csv: a criterion "
        "and its controls).</p>"
    )
    renderers: list[Callable[[], str]] = [
        lambda: effectiveness_section("criteria", sections["criteria"]),
        lambda: trend_section(sections["trend"], period),
        lambda: gaps_section(sections["gaps"]),
        lambda: plain_section("episodes", sections["episodes"]),
        lambda: plain_section("remediation", sections["remediation"]),
        lambda: plain_section("exceptions", sections["exceptions"]),
        lambda: plain_section("attestations", sections["attestations"]),
        lambda: effectiveness_section("controls", sections["controls"]),
    ]
    body = header + "".join(render() for render in renderers)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>SOC 2 evidence {period.label()}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
