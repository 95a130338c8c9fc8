"""Render an evidence pack's index.html in headless Chromium and check that every value it
shows equals the marts'. Used by tests/python/test_evidence.py on a hand-made dataset and
callable on real marts (e.g. from the history integration test):

    assert_report_matches_marts(out / "index.html", connection, schema, (start, end))

`connection` is a DuckDB or psycopg2 connection to the warehouse the pack was read from.
The expected values are queried here, independently of soc2_tools.evidence; only the list
of shown columns (`SHOWN`) and the row-key rule (`row_key`) are the module's.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from soc2_tools.evidence import SHOWN, TREND_METRICS, Period, chart_point, row_key

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}


# --- the browser ------------------------------------------------------------------------------


def chromium() -> str:
    """Debian's chromium; the test fails (never skips) without it."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: the evidence-pack test renders the report in headless "
            "Chromium. Install it with `make browser` (Debian's chromium package)."
        )
    return str(CHROMIUM)


def run_chromium(html_path: Path, *arguments: str) -> str:
    """Run headless Chromium on a file with a throwaway profile; its stdout."""
    with tempfile.TemporaryDirectory(prefix="soc2-evidence-chromium-") as profile:
        command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments]
        command.append(html_path.resolve().as_uri())
        result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"chromium failed ({result.returncode}):\n{result.stderr}"
    return result.stdout


def render_dom(html_path: Path) -> str:
    """The DOM of the page after Chromium has loaded it."""
    dom = run_chromium(html_path, "--dump-dom")
    assert "<body" in dom, f"chromium returned no DOM:\n{dom[:500]}"
    return dom


def screenshot(html_path: Path, png_path: Path, size: str = "1280,2000") -> None:
    """A PNG of the rendered page."""
    png_path.parent.mkdir(parents=True, exist_ok=True)
    run_chromium(html_path, f"--screenshot={png_path.resolve()}", f"--window-size={size}")
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"no PNG written at {png_path}"


# --- reading the DOM --------------------------------------------------------------------------


@dataclass
class Hook:
    section: str
    key: str
    metric: str
    value: str | None
    text: str
    attributes: dict[str, str]


class HookParser(HTMLParser):
    """Every element with data-metric, with its text content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hooks: list[Hook] = []
        self.stack: list[tuple[str, Hook | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        hook = None
        if "data-metric" in attributes:
            hook = Hook(
                attributes.get("data-section", ""),
                attributes.get("data-key", ""),
                attributes["data-metric"],
                dict(attrs).get("data-value"),
                "",
                attributes,
            )
            self.hooks.append(hook)
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hook))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for _, hook in self.stack:
            if hook is not None:
                hook.text += data


def dom_hooks(dom: str) -> list[Hook]:
    parser = HookParser()
    parser.feed(dom)
    parser.close()
    return parser.hooks


# --- the marts --------------------------------------------------------------------------------


def fetch(connection: Any, sql: str) -> list[dict[str, Any]]:
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        columns = [str(item[0]) for item in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        cursor.close()


def expected_sections(
    connection: Any, schema: str, period: tuple[dt.date, dt.date]
) -> dict[str, list[dict[str, Any]]]:
    """What the report must show, read from the marts."""
    start, end = (f"date '{day.isoformat()}'" for day in period)

    def mart(name: str) -> str:
        return f'"{schema}"."{name}"'

    exception_columns = (
        "control_id, account_id, region, resource_pattern, justification, approved_by, "
        "approved_on, expires_on"
    )
    attestation_columns = "control_id, attested_by, attested_on, expires_on, evidence_url, notes"
    return {
        "criteria": fetch(connection, f"select * from {mart('soc2__criteria_effectiveness')}"),
        "controls": fetch(connection, f"select * from {mart('soc2__control_effectiveness')}"),
        "gaps": fetch(connection, f"select gap_date from {mart('soc2__evaluation_gaps')}"),
        "trend": fetch(
            connection,
            f"select * from {mart('soc2__trust_category_daily')} "
            f"where evaluation_date >= {start} and evaluation_date <= {end}",
        ),
        "episodes": fetch(
            connection,
            f"select * from {mart('soc2__control_failure_episodes')} where opened_on <= {end} "
            f"and (closed_on is null or last_failed_on >= {start})",
        ),
        "remediation": fetch(
            connection, f"select * from {mart('soc2__remediation_times_by_severity')}"
        ),
        "exceptions": fetch(
            connection,
            f"select {exception_columns}, min(evaluation_date) as first_in_force_on, "
            f"max(evaluation_date) as last_in_force_on "
            f"from {mart('soc2__exception_history')} where is_in_force "
            f"and evaluation_date >= {start} and evaluation_date <= {end} "
            f"group by {exception_columns}",
        ),
        "attestations": fetch(
            connection,
            f"select {attestation_columns}, min(evaluation_date) as first_recorded_on, "
            "max(evaluation_date) as last_recorded_on, "
            "max(case when is_current then evaluation_date end) as last_current_on "
            f"from {mart('soc2__attestation_history')} "
            f"where evaluation_date >= {start} and evaluation_date <= {end} "
            f"group by {attestation_columns}",
        ),
    }


def same_value(expected: Any, shown: str | None) -> bool:
    """The data-value attribute holds exactly the mart's value (absent for null)."""
    if expected is None or shown is None:
        return expected is None and shown is None
    if isinstance(expected, bool):
        return shown == ("true" if expected else "false")
    if isinstance(expected, int):
        return int(shown) == expected
    if isinstance(expected, float):
        return float(shown) == expected
    if isinstance(expected, Decimal):
        return Decimal(shown) == expected
    if isinstance(expected, dt.datetime):
        return dt.datetime.fromisoformat(shown) == expected
    if isinstance(expected, dt.date):
        return dt.date.fromisoformat(shown) == expected
    return shown == str(expected)


def shown_text(metric: str, value: Any) -> str:
    """How the report writes a value: shares and rates as percentages with one decimal, other
    fractions with one decimal, dates in ISO form, null as an em dash."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | Decimal):
        if metric.endswith(("_share", "_rate")):
            return f"{float(value) * 100:.1f}%"
        return f"{float(value):.1f}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def assert_report_matches_marts(
    html_path: Path, connection: Any, schema: str, period: tuple[dt.date, dt.date]
) -> dict[str, int]:
    """Render the report and check each shown value against the marts; every mart row of a
    section must be shown and nothing else. Returns the number of values checked per section.
    """
    hooks = dom_hooks(render_dom(html_path))
    by_place: dict[tuple[str, str, str], Hook] = {}
    for hook in hooks:
        place = (hook.section, hook.key, hook.metric)
        assert place not in by_place, f"value shown twice: {place}"
        by_place[place] = hook

    expected: dict[tuple[str, str, str], Any] = {
        ("period", "", "period_start"): period[0],
        ("period", "", "period_end"): period[1],
    }
    built = fetch(
        connection,
        f'select distinct period_start, period_end from "{schema}"."soc2__criteria_effectiveness"',
    )
    assert [(row["period_start"], row["period_end"]) for row in built] == [period]
    sections = expected_sections(connection, schema, period)
    for section, records in sections.items():
        keys = [row_key(section, record) for record in records]
        assert len(set(keys)) == len(keys), f"{section}: row keys are not unique"
        for key, record in zip(keys, records, strict=True):
            if section == "trend":
                for metric in TREND_METRICS:
                    if record[metric] is not None:
                        expected[(section, key, metric)] = record[metric]
            elif section == "gaps":
                expected[(section, key, "gap_date")] = record["gap_date"]
            else:
                for metric in SHOWN[section]:
                    expected[(section, key, metric)] = record[metric]

    assert sorted(by_place) == sorted(expected), (
        f"shown but not in the marts: {sorted(set(by_place) - set(expected))[:10]}; "
        f"in the marts but not shown: {sorted(set(expected) - set(by_place))[:10]}"
    )
    trend_rows = {row_key("trend", record): record for record in sections["trend"]}
    checked: dict[str, int] = {}
    for place, value in expected.items():
        hook = by_place[place]
        assert same_value(value, hook.value), f"{place}: shows {hook.value!r}, mart has {value!r}"
        text = hook.text.strip()
        if place[0] == "trend":
            assert text.endswith(f": {shown_text(place[2], value)}"), f"{place}: text {text!r}"
            day = trend_rows[place[1]]["evaluation_date"]
            x, y = chart_point(Period(*period), day, float(value))
            assert (float(hook.attributes["cx"]), float(hook.attributes["cy"])) == (x, y), place
        else:
            assert text == shown_text(place[2], value), f"{place}: text {text!r}, value {value!r}"
        checked[place[0]] = checked.get(place[0], 0) + 1
    return checked
