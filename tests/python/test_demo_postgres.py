"""`soc2 demo --engine postgres` on the real PostgreSQL server of SOC2_PG_*: the simulated
history it writes equals, row for row, the one written on DuckDB for the same plan, and one
small demo built end to end through `cli.main` leaves the marts, the Type II history of the
plan and a BI role that reads them; a BI role that does not exist stops it before anything
is written."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from soc2_tools import cli, demo_history, sql_session, warehouse
from test_demo_history import AS_OF, simulate_tiny, written_history

PREFIX = f"soc2_demo_t{os.getpid()}"
DEMO_AS_OF = dt.date(2026, 6, 30)
DEMO_DAYS = 10
DEMO_SEED = 7


@pytest.fixture(scope="module")
def server() -> warehouse.PostgresSettings:
    settings = warehouse.postgres_settings()
    warehouse.require_postgres(settings)  # fails loudly when the server is not there
    return settings


def _execute(server: warehouse.PostgresSettings, *statements: str) -> None:
    with sql_session.postgres_session(server) as session:
        for statement in statements:
            session.execute(statement)
        session.commit()


def test_the_simulated_history_on_postgres_equals_duckdbs(server, tmp_path) -> None:
    schema = f"{PREFIX}_history"
    warehouse.drop_schemas(schema, server)
    try:
        with sql_session.duckdb_session(tmp_path / "history.duckdb") as session:
            duckdb_plan, _ = simulate_tiny(session, "main_soc2")
            on_duckdb = written_history(session, "main_soc2")
        with sql_session.postgres_session(server) as session:
            session.begin()
            postgres_plan, results = simulate_tiny(session, schema)
            session.commit()
            on_postgres = written_history(session, schema)
    finally:
        warehouse.drop_schemas(schema, server)
    assert postgres_plan == duckdb_plan
    assert on_postgres == on_duckdb
    recorded = len(duckdb_plan.recorded_days) + 1
    assert {table: len(rows) for table, rows in on_postgres.items()} == {
        demo_history.CONTROL_HISTORY: recorded * len(results),
        demo_history.EXCEPTION_HISTORY: recorded * 2,
        # the older attestation every day, the newer one from 2026-06-25 on
        demo_history.ATTESTATION_HISTORY: recorded
        + sum(day >= dt.date(2026, 6, 25) for day in [*duckdb_plan.recorded_days, AS_OF]),
    }


@dataclass(frozen=True)
class Demo:
    schema: str
    role: str
    exit_code: int
    output: str
    seconds: float


def _demo(*arguments: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["demo", *arguments])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def demo(server, tmp_path_factory) -> Iterator[Demo]:
    """One small demo on PostgreSQL with a BI role; its schemas and role dropped after."""
    schema = PREFIX
    role = f"{PREFIX}_bi"
    output_dir: Path = tmp_path_factory.mktemp("demo_postgres")
    warehouse.drop_schemas(schema, server)
    _execute(server, f"drop role if exists {role}", f"create role {role} nologin")
    try:
        started = dt.datetime.now()
        code, output = _demo(
            "--engine", "postgres", "--scale", "0.3", "--history-days", str(DEMO_DAYS),
            "--schema", schema, "--bi-role", role, "--output-dir", str(output_dir),
        )  # fmt: skip
        seconds = (dt.datetime.now() - started).total_seconds()
        print(f"soc2 demo --engine postgres --scale 0.3 --history-days 10: {seconds:.0f} s")
        yield Demo(schema, role, code, output, seconds)
    finally:
        warehouse.drop_schemas(schema, server)
        _execute(server, f"drop owned by {role}", f"drop role {role}")


def test_the_demo_builds_the_marts_on_postgres(demo, server) -> None:
    assert demo.exit_code == 0, demo.output
    marts = warehouse.marts_schema(demo.schema)
    with sql_session.postgres_session(server) as session:
        tables = {
            str(row[0])
            for row in session.query(
                "select table_name from information_schema.tables where table_schema = ?",
                [marts],
            )
        }
        assert {"soc2__control_summary", "soc2__trust_category_daily"} <= tables
        dates = session.query(
            f"select distinct evaluation_date from {marts}.soc2__trust_category_daily order by 1"
        )
        results = demo_history.read_real_results(session, marts, DEMO_AS_OF)
    plan = demo_history.plan_history(results, DEMO_AS_OF, DEMO_DAYS, DEMO_SEED)
    assert plan.skipped_days == ()  # one skipped day per 30 simulated
    assert [row[0] for row in dates] == [*plan.recorded_days, DEMO_AS_OF]
    assert len(dates) == 11
    assert demo.seconds < 120


def test_the_demo_says_where_the_marts_are(demo, server) -> None:
    marts = warehouse.marts_schema(demo.schema)
    lines = demo.output.splitlines()
    assert lines[:2] == [
        f"[0/4] dropping the previous demo's schemas {demo.schema} and {demo.schema}_* ...",
        "      dropped none (there were none)",
    ]
    uri = f"postgresql://{server.user}@{server.host}:{server.port}/{server.dbname}"
    assert f"The marts are in schema {marts} of PostgreSQL {server.describe()}" in lines
    assert (
        f"  a BI tool connects with the SQLAlchemy URI {uri} and reads schema {marts}"
        f" (role {demo.role} may read it)"
    ) in lines
    assert "Type II history: 11 evaluation dates from 2026-06-20 to 2026-06-30," in demo.output


def test_the_bi_role_reads_the_marts_only(demo, server) -> None:
    marts = warehouse.marts_schema(demo.schema)
    with sql_session.postgres_session(server) as session:
        privileges = session.query(
            "select has_schema_privilege(?, ?, 'usage'),"
            " has_table_privilege(?, ?, 'select'),"
            " has_schema_privilege(?, ?, 'usage')",
            [
                demo.role, marts,
                demo.role, f"{marts}.soc2__trust_category_daily",
                demo.role, warehouse.package_schema(demo.schema),
            ],
        )  # fmt: skip
    assert privileges == [(True, True, False)]


def test_a_missing_bi_role_fails_before_anything_is_written(demo, server, tmp_path) -> None:
    missing = f"{PREFIX}_no_such_role"
    code, output = _demo(
        "--engine", "postgres", "--schema", demo.schema, "--bi-role", missing,
        "--output-dir", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert output.splitlines() == [
        f"soc2 demo: --bi-role {missing}: there is no role '{missing}' on PostgreSQL"
        f' {server.describe()}. Create it first (e.g. create role "{missing}" nologin;)'
        " or leave --bi-role out; the package grants, it never creates roles"
    ]
    # the previous demo is still there: nothing was dropped
    with sql_session.postgres_session(server) as session:
        count = session.query(
            f"select count(*) from {warehouse.marts_schema(demo.schema)}.soc2__control_summary"
        )
    assert count[0][0] > 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--bi-role", "reader"],
            "soc2 demo: --bi-role applies to --engine postgres only; a DuckDB file has no roles"
            " and the demo builds into its schemas main_soc2 and main_soc2_marts",
        ),
        (
            ["--engine", "postgres", "--schema", "Bad-Name"],
            "soc2 demo: --schema must be a lowercase SQL name (letters, digits, _) of at most"
            " 52 characters, got 'Bad-Name'",
        ),
        (["--history-days", "-1"], "soc2 demo: --history-days must be 0 or more"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(arguments, message, tmp_path) -> None:
    code, output = _demo(*arguments, "--output-dir", str(tmp_path))
    assert (code, output.splitlines()) == (2, [message])
    assert list(tmp_path.iterdir()) == []
