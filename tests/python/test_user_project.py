"""The package installed into a throwaway user project, as a data team would:
CloudQuery's tables in their own schema, the package pointed at it by vars,
`dbt deps` and `dbt build`. The same generated organisation built on DuckDB
and on PostgreSQL gives identical control results."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from dbt_runs import drop_postgres_schemas, require_postgres
from soc2_tools import generator, rawdb, warehouse

AS_OF = "2026-06-30"
RESULT_COLUMNS = "control_id, coalesce(account_id, '-'), resource_id, status, reason"
STATUSES = {"pass", "fail", "not_applicable", "not_evaluated", "manual"}


@pytest.fixture(scope="module")
def organisation() -> rawdb.Row:
    return generator.generate_organisation(
        generator.OrgSize(), seed=11, as_of=datetime.fromisoformat(AS_OF)
    )


def _build(directory: Path, profile: dict[str, object], raw_schema: str) -> warehouse.UserProject:
    project = warehouse.UserProject(
        directory=directory,
        profile=profile,
        vars={"soc2_aws_schema": raw_schema, "soc2_as_of": AS_OF},
    )
    project.install()
    result = project.dbt(["build"], check=False)
    statuses = {str(r["status"]) for r in project.run_results()}
    assert result.returncode == 0, result.stdout[-4000:]
    assert statuses <= {"success", "pass", "warn"}, statuses
    return project


@pytest.fixture(scope="module")
def duckdb_results(organisation, tmp_path_factory) -> list[tuple[object, ...]]:
    workdir = tmp_path_factory.mktemp("user_duckdb")
    database = workdir / "warehouse.duckdb"
    rawdb.write_tables(
        organisation, rawdb.RawTarget(kind="duckdb", path=database, schema="cloudquery")
    )
    _build(
        workdir / "project",
        {"type": "duckdb", "path": str(database), "schema": "analytics", "threads": 2},
        "cloudquery",
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            f"select {RESULT_COLUMNS} from analytics_soc2.soc2__control_results order by 1, 2, 3"
        ).fetchall()


@pytest.fixture(scope="module")
def postgres_results(organisation, tmp_path_factory) -> list[tuple[object, ...]]:
    require_postgres()
    prefix = f"soc2_user_{os.getpid()}"
    drop_postgres_schemas(prefix)
    raw_schema = f"{prefix}_cloudquery"
    rawdb.write_tables(organisation, rawdb.RawTarget(kind="postgres", schema=raw_schema))
    try:
        _build(
            tmp_path_factory.mktemp("user_postgres") / "project",
            warehouse.postgres_settings().dbt_profile(prefix, threads=2),
            raw_schema,
        )
        connection = warehouse.postgres_settings().connect()
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(f"select {RESULT_COLUMNS} from {prefix}_soc2.soc2__control_results")
                return cursor.fetchall()
        finally:
            connection.close()
    finally:
        drop_postgres_schemas(prefix)


def test_user_project_reports_every_automated_control(duckdb_results) -> None:
    controls = {row[0] for row in duckdb_results if not str(row[0]).startswith("manual_")}
    assert len(controls) == 20, sorted(controls)
    assert {row[3] for row in duckdb_results} >= {"pass", "fail", "manual", "not_applicable"}
    assert {row[3] for row in duckdb_results} <= STATUSES | {"excepted"}


def test_duckdb_and_postgres_agree_exactly(duckdb_results, postgres_results) -> None:
    assert len(duckdb_results) == len(postgres_results)
    assert sorted(duckdb_results) == sorted(postgres_results)
