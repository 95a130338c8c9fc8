"""The Superset dashboard against a real Superset (run by `make dashboard`, not `make test`).

The demo organisation is built on PostgreSQL with `soc2 demo --engine postgres` and a
throwaway read-only BI role; Apache Superset 6.1 (.venv-superset) is started on a free
port with a SQLite metadata database; `soc2 superset-import` imports dashboards/superset
with Superset connecting as the BI role. Then every chart's saved query is run through
Superset's API (/api/v1/chart/<id>/data/) and its result compared exactly with the same
aggregation written here in SQL, run with psycopg2 on the marts; and headless Chromium
(Debian's chromium and chromedriver) logs in and screenshots the rendered dashboard.
Nothing is skipped: a Superset that does not start fails the test with its log.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from superset_server import ADMIN_USER, ROOT, SupersetServer, free_port, venv_bin

from soc2_tools import cli, superset, warehouse

SCALE = "0.3"
HISTORY_DAYS = "14"
SCREENSHOT = ROOT / "docs" / "superset-dashboard.png"
SCREENSHOT_WIDTH = 1600

Row = tuple[Any, ...]


def progress(message: str) -> None:
    print(f"[superset] {message}", flush=True)


# --- fixtures: the marts on PostgreSQL, the BI role, Superset, the import ------------------------


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    suffix = f"{os.getpid()}"
    return {
        "schema": f"soc2_superset_t{suffix}",
        "role": f"soc2_superset_bi_{suffix}",
        # characters a URI must escape, so that the password path is exercised
        "password": f"bi:p@ss/{secrets.token_hex(4)}",
    }


@pytest.fixture(scope="module")
def postgres() -> Iterator[warehouse.PostgresSettings]:
    settings = warehouse.postgres_settings()
    warehouse.require_postgres(settings)
    yield settings


def run_sql(settings: warehouse.PostgresSettings, statement: str) -> None:
    connection = settings.connect()
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def marts(
    postgres: warehouse.PostgresSettings, names: dict[str, str], tmp_path_factory: Any
) -> Iterator[str]:
    """The demo's marts on PostgreSQL, readable by the BI role; dropped afterwards."""
    role = warehouse.quote_identifier(names["role"])
    password = names["password"].replace("'", "''")
    run_sql(postgres, f"create role {role} login password '{password}'")
    try:
        progress(f"building the demo on PostgreSQL (scale {SCALE}, {HISTORY_DAYS} days) ...")
        started = time.monotonic()
        code = cli.main(
            [
                "demo", "--engine", "postgres", "--schema", names["schema"],
                "--bi-role", names["role"], "--history-days", HISTORY_DAYS, "--scale", SCALE,
                "--output-dir", str(tmp_path_factory.mktemp("demo")),
            ]
        )  # fmt: skip
        assert code == 0, "soc2 demo --engine postgres failed"
        progress(f"demo built in {time.monotonic() - started:.0f} s")
        yield warehouse.marts_schema(names["schema"])
    finally:
        warehouse.drop_schemas(names["schema"], postgres)
        run_sql(postgres, f"drop owned by {role}")
        run_sql(postgres, f"drop role {role}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: Any) -> Iterator[SupersetServer]:
    progress("starting Superset (.venv-superset, SQLite metadata) ...")
    instance = SupersetServer(
        tmp_path_factory.mktemp("superset"), free_port(), secrets.token_urlsafe(12)
    )
    try:
        instance.start()  # raises with Superset's log: the test fails, never skips
        yield instance
    finally:
        instance.stop()


def database_uri(settings: warehouse.PostgresSettings, names: dict[str, str]) -> str:
    from urllib.parse import quote

    user = quote(names["role"], safe="")
    password = quote(names["password"], safe="")
    return (
        f"postgresql://{user}:{password}@{settings.host}:{settings.port}/"
        f"{quote(settings.dbname, safe='')}"
    )


@pytest.fixture(scope="module")
def imported(
    server: SupersetServer,
    marts: str,
    postgres: warehouse.PostgresSettings,
    names: dict[str, str],
) -> superset.SupersetClient:
    """The bundle imported with `soc2 superset-import`, and a logged-in API client."""
    arguments = [
        "superset-import", "--url", server.url, "--username", ADMIN_USER,
        "--password", server.admin_password, "--database-uri", database_uri(postgres, names),
        "--schema", marts, "--database-name", "soc2 demo marts",
    ]  # fmt: skip
    progress("soc2 superset-import ...")
    assert cli.main(arguments) == 0
    # a second import is refused without --overwrite, and replaces everything with it
    assert cli.main(arguments) == 1
    assert cli.main([*arguments, "--overwrite"]) == 0
    client = superset.SupersetClient(server.url)
    client.login(ADMIN_USER, server.admin_password)
    return client


@pytest.fixture(scope="module")
def query(postgres: warehouse.PostgresSettings) -> Iterator[Callable[[str], list[Row]]]:
    connection = postgres.connect()

    def run(statement: str) -> list[Row]:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return [tuple(normal(value) for value in row) for row in cursor.fetchall()]

    yield run
    connection.close()


# --- what each chart must show, in SQL of its own ---------------------------------------------


def normal(value: Any) -> Any:
    """One value as JSON carries it: Decimal to int or float, dates as they are."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


SEVERITY_VALUES = "(values ('critical', 5), ('high', 4), ('medium', 3), ('low', 2), ('info', 1))"


def expected_sql(schema: str) -> dict[str, tuple[list[str], str, bool]]:
    """chart file stem -> (its columns, the SQL of its rows, whether the order is fixed)."""
    s = warehouse.quote_identifier(schema)
    return {
        "controls_by_trust_category": (
            ["trust_category", "overall_status", "count"],
            f"select trust_category, overall_status, count(*) from {s}.soc2__control_summary"
            " group by trust_category, overall_status order by trust_category, overall_status",
            True,
        ),
        "controls_passing_by_account": (
            [
                "account_id",
                "trust_category",
                "controls",
                "controls_passing",
                "controls_failing",
                "controls_not_evaluated",
                "controls_other",
                "control_pass_rate",
            ],
            f"""
            with per_control as (
                select account_id, trust_category, control_id,
                    case
                        when bool_or(status = 'fail') then 'fail'
                        when bool_or(status = 'not_evaluated') then 'not_evaluated'
                        when bool_or(status = 'manual') then 'manual'
                        when bool_or(status = 'excepted') then 'excepted'
                        when bool_or(status = 'pass') then 'pass'
                        else 'not_applicable'
                    end as status
                from {s}.soc2__control_results
                group by account_id, trust_category, control_id
            )
            select account_id, trust_category, count(*),
                count(*) filter (where status = 'pass'),
                count(*) filter (where status = 'fail'),
                count(*) filter (where status = 'not_evaluated'),
                count(*) filter (where status in ('manual', 'excepted', 'not_applicable')),
                (count(*) filter (where status = 'pass'))::float8
                    / nullif(count(*) filter (where status in ('pass', 'fail')), 0)
            from per_control
            group by account_id, trust_category
            order by account_id nulls last, trust_category
            """,
            True,
        ),
        "criteria_status": (
            [
                "criterion_id",
                "trust_category",
                "criterion_title",
                "evidence_basis",
                "control_count",
                "passing_control_count",
                "failing_control_count",
                "not_evaluated_control_count",
                "criterion_status",
            ],
            f"select criterion_id, trust_category, criterion_title, evidence_basis,"
            f" control_count, passing_control_count, failing_control_count,"
            f" not_evaluated_control_count, criterion_status from {s}.soc2__criteria_summary"
            f" order by sort_order, criterion_id",
            True,
        ),
        "criteria_by_status": (
            ["criterion_status", "count"],
            f"select criterion_status, count(*) from {s}.soc2__criteria_summary"
            " group by criterion_status",
            False,
        ),
        "worst_failing_controls": (
            [
                "control_rank",
                "control_id",
                "severity",
                "fail_count",
                "account_id",
                "region",
                "resource_type",
                "resource_id",
                "reason",
            ],
            f"""
            with severities (severity, weight) as {SEVERITY_VALUES},
            ranked as (
                select summary.control_id, summary.severity, summary.fail_count,
                    row_number() over (
                        order by coalesce(severities.weight, 0) desc, summary.fail_count desc,
                            summary.control_id
                    ) as control_rank
                from {s}.soc2__control_summary as summary
                left join severities on severities.severity = lower(summary.severity)
                where summary.overall_status = 'fail'
            )
            select ranked.control_rank, ranked.control_id, ranked.severity, ranked.fail_count,
                results.account_id, results.region, results.resource_type,
                results.resource_id, results.reason
            from ranked
            join {s}.soc2__control_results as results
                on results.control_id = ranked.control_id and results.status = 'fail'
            where ranked.control_rank <= 10
            order by ranked.control_rank, results.account_id nulls last, results.region nulls last,
                results.resource_id
            """,
            True,
        ),
        "ciem_findings_by_type": (
            ["finding_type", "severity", "count"],
            f"select finding_type, severity, count(*) from {s}.soc2__ciem_findings"
            " group by finding_type, severity order by finding_type, severity",
            True,
        ),
        "ciem_finding_principals": (
            [
                "severity",
                "finding_type",
                "principal_name",
                "principal_type",
                "account_id",
                "is_admin_equivalent",
                "principal_findings",
                "type_findings",
                "principal_finding_types",
            ],
            f"""
            with severities (severity, weight) as {SEVERITY_VALUES}
            select findings.severity, findings.finding_type, principals.principal_name,
                principals.principal_type, principals.account_id,
                principals.is_admin_equivalent, count(*),
                sum(count(*)) over (partition by findings.finding_type, findings.severity),
                principals.finding_types
            from {s}.soc2__ciem_findings as findings
            left join {s}.soc2__ciem_principals as principals
                on principals.principal_arn = findings.principal_arn
            left join severities on severities.severity = lower(findings.severity)
            group by findings.severity, severities.weight, findings.finding_type,
                findings.principal_arn, principals.principal_name, principals.principal_type,
                principals.account_id, principals.is_admin_equivalent, principals.finding_types
            order by coalesce(severities.weight, 0) desc, findings.finding_type,
                findings.principal_arn
            """,
            True,
        ),
        "pass_rate_trend": (
            ["evaluation_date", "trust_category", "control pass rate"],
            f"select evaluation_date, trust_category, control_pass_rate"
            f" from {s}.soc2__trust_category_daily",
            False,
        ),
    }


def superset_rows(result: dict[str, Any], columns: list[str]) -> list[Row]:
    """The chart's rows in `columns` order; the temporal axis (epoch milliseconds in
    Superset's JSON) as dates."""
    rows = []
    for record in result["data"]:
        row = []
        for column in columns:
            value = record[column]
            if column == "evaluation_date" and value is not None:
                value = dt.datetime.fromtimestamp(value / 1000, dt.UTC).date()
            row.append(value)
        rows.append(tuple(row))
    return rows


def sort_key(row: Row) -> tuple[Any, ...]:
    return tuple((value is None, str(value)) for value in row)


def dashboard_charts(client: superset.SupersetClient) -> dict[str, int]:
    """The dashboard's charts: bundle file stem -> chart id in Superset."""
    files = superset.load_bundle(superset.bundle_directory())
    stems = {
        content["slice_name"]: Path(name).stem
        for name, content in files.items()
        if name.startswith("charts/")
    }
    slug = superset.dashboard_slug(files)
    charts = client.get(f"/api/v1/dashboard/{slug}/charts")["result"]
    return {stems[chart["slice_name"]]: int(chart["id"]) for chart in charts}


# --- the tests ----------------------------------------------------------------------------------


def test_superset_connects_as_the_bi_role(
    imported: superset.SupersetClient, names: dict[str, str], marts: str
) -> None:
    databases = imported.get("/api/v1/database/")["result"]
    assert [d["database_name"] for d in databases] == ["soc2 demo marts"]
    database = imported.get(f"/api/v1/database/{databases[0]['id']}/connection")["result"]
    assert database["sqlalchemy_uri"].startswith(f"postgresql://{names['role']}:XXXXXXXXXX@")
    datasets = imported.get("/api/v1/dataset/", params={"q": "(page_size:100)"})["result"]
    assert {d["schema"] for d in datasets} == {marts}
    assert len(datasets) == 7


def test_every_chart_shows_what_the_marts_hold(
    imported: superset.SupersetClient, marts: str, query: Callable[[str], list[Row]]
) -> None:
    charts = dashboard_charts(imported)
    expected = expected_sql(marts)
    checked: set[int] = set()
    for stem, chart_id in sorted(charts.items()):
        columns, sql, ordered = expected[stem]
        response = imported.get(f"/api/v1/chart/{chart_id}/data/", params={"format": "json"})
        result = response["result"][0]
        assert result["colnames"] == columns, stem
        actual = superset_rows(result, columns)
        wanted = query(sql)
        assert wanted, f"{stem}: the marts hold no rows for it; the demo should"
        if not ordered:
            actual, wanted = sorted(actual, key=sort_key), sorted(wanted, key=sort_key)
        assert actual == wanted, stem
        progress(f"chart {stem}: {len(actual)} rows equal the marts'")
        checked.add(chart_id)
    assert checked == set(charts.values())
    assert set(charts) == set(expected)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_dashboard_renders_in_chromium(
    imported: superset.SupersetClient, server: SupersetServer, tmp_path: Path
) -> None:
    for program in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        assert Path(program).exists(), f"{program} is missing: run `make browser`"
    files = superset.load_bundle(superset.bundle_directory())
    charts = sum(1 for name in files if name.startswith("charts/"))
    out = tmp_path / "superset-dashboard.png"
    progress("screenshot in headless Chromium ...")
    result = subprocess.run(
        [
            str(venv_bin("python")), str(Path(__file__).with_name("screenshot.py")),
            server.url, ADMIN_USER, server.admin_password,
            f"/superset/dashboard/{superset.dashboard_slug(files)}/", str(charts), str(out),
        ],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"({charts} charts rendered)" in result.stdout
    width, height = png_size(out)
    assert width == SCREENSHOT_WIDTH and height > 2000, (width, height)
    progress(result.stdout.strip())
    if os.environ.get("SOC2_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(out, SCREENSHOT)
        progress(f"copied to {SCREENSHOT}")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-s"]))
