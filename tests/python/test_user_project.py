"""The package installed into a throwaway user project, as a data team would:
CloudQuery's tables in their own schema, the package pointed at it by vars,
`dbt deps` and `dbt build`. The same generated organisation built on DuckDB
and on PostgreSQL gives identical control results."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
import pytest
import yaml

import question_checks
from dbt_runs import drop_postgres_schemas, require_postgres
from soc2_tools import controls, demo_history, generator, rawdb, sql_session, warehouse

AS_OF = "2026-06-30"
RESULT_COLUMNS = "control_id, coalesce(account_id, '-'), resource_id, status, reason"
BI_ROLE_PASSWORD = "soc2-bi-reader"  # a throwaway role, dropped after the module
STATUSES = {"pass", "fail", "not_applicable", "not_evaluated", "manual"}


@pytest.fixture(scope="module")
def organisation() -> rawdb.Row:
    return generator.generate_organisation(
        generator.OrgSize(), seed=11, as_of=datetime.fromisoformat(AS_OF)
    )


def _build(
    directory: Path,
    profile: dict[str, object],
    raw_schema: str,
    models: dict[str, object] | None = None,
    extra_vars: dict[str, object] | None = None,
) -> warehouse.UserProject:
    project = warehouse.UserProject(
        directory=directory,
        profile=profile,
        vars={"soc2_aws_schema": raw_schema, "soc2_as_of": AS_OF, **(extra_vars or {})},
    )
    project.write()
    if models:
        config_path = directory / "dbt_project.yml"
        config = yaml.safe_load(config_path.read_text())
        config["models"] = models
        config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    project.dbt(["deps"])
    result = project.dbt(["build"], check=False)
    results = {str(r["unique_id"]): str(r["status"]) for r in project.run_results()}
    assert result.returncode == 0, result.stdout[-4000:]
    # dbt build lists the package's exposure as a no-op node (dbt >= 1.10)
    exposures = {uid: status for uid, status in results.items() if uid.startswith("exposure.")}
    assert exposures == {
        "exposure.soc2.metabase_questions": "no-op",
        "exposure.soc2.superset_dashboard": "no-op",
    }, exposures
    statuses = {status for uid, status in results.items() if uid not in exposures}
    assert statuses <= {"success", "pass", "warn"}, statuses
    return project


@pytest.fixture(scope="module")
def duckdb_build(organisation, tmp_path_factory) -> tuple[Path, warehouse.UserProject]:
    workdir = tmp_path_factory.mktemp("user_duckdb")
    database = workdir / "warehouse.duckdb"
    rawdb.write_tables(
        organisation, rawdb.RawTarget(kind="duckdb", path=database, schema="cloudquery")
    )
    project = _build(
        workdir / "project",
        {"type": "duckdb", "path": str(database), "schema": "analytics", "threads": 2},
        "cloudquery",
    )
    return database, project


@pytest.fixture(scope="module")
def duckdb_results(duckdb_build) -> list[tuple[object, ...]]:
    database, _ = duckdb_build
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            f"select {RESULT_COLUMNS} from analytics_soc2_marts.soc2__control_results"
            " order by 1, 2, 3"
        ).fetchall()


# A user switches the S3 family off in dbt_project.yml, and disables a model
# only that family reads: the build succeeds, nothing the family reads is
# needed, and its controls are not_evaluated in every account. The same build
# leaves out the roles table and the authorization-details export: the
# public-trust control, which reads either, is not_evaluated naming both; the
# other CIEM controls still read the users table, their other alternative.
SWITCHED_OFF = {
    "soc2": {
        "intermediate": {
            "controls": {
                "int_soc2__controls_aws_s3": {"+enabled": False},
                "int_soc2__aws_s3_tls_deny_statements": {"+enabled": False},
            }
        }
    }
}
NO_ROLES = {
    "soc2_disabled_source_tables": ["aws_iam_roles", "aws_iam_account_authorization_details"]
}
CIEM_CONTROLS = {
    "aws_iam_no_admin_outside_break_glass",
    "aws_iam_no_privilege_escalation",
    "aws_iam_least_privilege",
    "aws_iam_no_public_trust",
}


@pytest.fixture(scope="module")
def switched_off_results(
    organisation, tmp_path_factory
) -> tuple[list[tuple[object, ...]], set[str]]:
    workdir = tmp_path_factory.mktemp("user_duckdb_switched_off")
    database = workdir / "warehouse.duckdb"
    rawdb.write_tables(
        organisation, rawdb.RawTarget(kind="duckdb", path=database, schema="cloudquery")
    )
    _build(
        workdir / "project",
        {"type": "duckdb", "path": str(database), "schema": "analytics", "threads": 2},
        "cloudquery",
        models=SWITCHED_OFF,
        extra_vars=NO_ROLES,
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        results = connection.execute(
            f"select {RESULT_COLUMNS} from analytics_soc2_marts.soc2__control_results"
            " order by 1, 2, 3"
        ).fetchall()
        accounts = {
            str(row[0])
            for row in connection.execute(
                "select account_id from analytics_soc2.int_soc2__aws_accounts"
            ).fetchall()
        }
        relations = {
            str(row[0])
            for row in connection.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'analytics_soc2'"
            ).fetchall()
        }
    assert "int_soc2__controls_aws_s3" not in relations  # disabled: nothing built
    assert "int_soc2__aws_s3_tls_deny_statements" not in relations
    return results, accounts


@pytest.fixture(scope="module")
def postgres_build(organisation, tmp_path_factory) -> Iterator[tuple[str, warehouse.UserProject]]:
    """The PostgreSQL build and its marts' schema; the schemas are dropped after the module."""
    require_postgres()
    prefix = f"soc2_user_{os.getpid()}"
    drop_postgres_schemas(prefix)
    raw_schema = f"{prefix}_cloudquery"
    rawdb.write_tables(organisation, rawdb.RawTarget(kind="postgres", schema=raw_schema))
    role = bi_role_name(prefix)
    _postgres_execute(
        f"drop role if exists {role}", f"create role {role} login password '{BI_ROLE_PASSWORD}'"
    )
    try:
        project = _build(
            tmp_path_factory.mktemp("user_postgres") / "project",
            warehouse.postgres_settings().dbt_profile(prefix, threads=2),
            raw_schema,
            extra_vars={"soc2_bi_roles": [role]},
        )
        yield warehouse.marts_schema(prefix), project
    finally:
        drop_postgres_schemas(prefix)
        _postgres_execute(f"drop owned by {role}", f"drop role {role}")


def bi_role_name(prefix: str) -> str:
    """The read-only BI role of the PostgreSQL build (roles are global to the server)."""
    return f"{prefix}_bi_reader"


def _postgres_execute(*statements: str) -> None:
    connection = warehouse.postgres_settings().connect()
    try:
        with connection, connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def postgres_results(postgres_build) -> list[tuple[object, ...]]:
    schema, _ = postgres_build
    connection = warehouse.postgres_settings().connect()
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f"select {RESULT_COLUMNS} from {schema}.soc2__control_results")
            return cursor.fetchall()
    finally:
        connection.close()


def test_user_project_reports_every_automated_control(duckdb_results) -> None:
    catalog = controls.read_catalog()
    automated = {c.control_id for c in catalog if c.control_type == "automated"}
    reported = {row[0] for row in duckdb_results if not str(row[0]).startswith("manual_")}
    assert reported == automated
    assert {row[3] for row in duckdb_results} >= {"pass", "fail", "manual", "not_applicable"}
    assert {row[3] for row in duckdb_results} <= STATUSES | {"excepted"}


# The read-only BI role of the README (var soc2_bi_roles), connecting as itself: it reads
# every mart and is refused on every raw, staging, intermediate and seed relation.
def test_the_bi_role_reads_every_mart_and_nothing_else(postgres_build) -> None:
    marts_schema, project = postgres_build
    prefix = marts_schema.removesuffix("_" + warehouse.MARTS_SCHEMA_SUFFIX)
    schemas = {
        "raw": f"{prefix}_cloudquery",
        "package": warehouse.package_schema(prefix),
        "marts": marts_schema,
    }
    admin = warehouse.postgres_settings().connect()
    try:
        with admin, admin.cursor() as cursor:
            cursor.execute(
                "select table_schema, table_name from information_schema.tables"
                " where table_schema = any(%s) order by 1, 2",
                (list(schemas.values()),),
            )
            relations = [(str(schema), str(name)) for schema, name in cursor.fetchall()]
    finally:
        admin.close()
    marts = {name for schema, name in relations if schema == marts_schema}
    manifest = json.loads((project.directory / "target" / "manifest.json").read_text())
    expected_marts = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["package_name"] == "soc2"
        and node["fqn"][1] == "marts"
    }
    assert marts == expected_marts and len(marts) > 20, sorted(expected_marts ^ marts)
    others = [(schema, name) for schema, name in relations if schema != marts_schema]
    by_schema = {key: sum(1 for s, _ in others if s == value) for key, value in schemas.items()}
    assert by_schema["raw"] > 20 and by_schema["package"] > 100, by_schema

    settings = warehouse.postgres_settings()
    reader = dataclasses.replace(
        settings, user=bi_role_name(prefix), password=BI_ROLE_PASSWORD
    ).connect()
    reader.autocommit = True
    refused: list[tuple[str, str]] = []
    read: list[str] = []
    try:
        with reader.cursor() as cursor:
            for schema, name in relations:
                try:
                    cursor.execute(f'select count(*) from {schema}."{name}"')
                    cursor.fetchall()
                    read.append(f"{schema}.{name}")
                except psycopg2.errors.InsufficientPrivilege:
                    refused.append((schema, name))
    finally:
        reader.close()
    assert read == [f"{marts_schema}.{name}" for name in sorted(marts)]
    assert refused == others


def test_duckdb_and_postgres_agree_exactly(duckdb_results, postgres_results) -> None:
    assert len(duckdb_results) == len(postgres_results)
    assert sorted(duckdb_results) == sorted(postgres_results)


def test_a_switched_off_family_reports_its_controls_not_evaluated(
    duckdb_results, switched_off_results
) -> None:
    results, accounts = switched_off_results
    s3_controls = {c.control_id for c in controls.read_catalog() if c.family == "aws_s3"}
    assert s3_controls
    reason = (
        "the control family int_soc2__controls_aws_s3 is switched off"
        " (+enabled: false in dbt_project.yml)"
    )
    expected_s3 = sorted(
        (control_id, account_id, account_id, "not_evaluated", reason)
        for control_id in s3_controls
        for account_id in accounts
    )
    assert sorted(row for row in results if row[0] in s3_controls) == expected_s3
    # the controls that read a table this build switches off (NO_ROLES) may
    # change; those with no alternative left are not_evaluated in every account
    switched_off_tables = set(NO_ROLES["soc2_disabled_source_tables"])
    reading = {
        c.control_id: controls.requirement_groups(c.required_tables)
        for c in controls.read_catalog()
        if switched_off_tables & set(c.required_tables.replace(";", "|").split("|"))
    }
    assert set(reading) >= CIEM_CONTROLS
    for control_id, groups in reading.items():
        if any(set(group) <= switched_off_tables for group in groups):
            rows = [row for row in results if row[0] == control_id]
            assert {row[1] for row in rows} == accounts, control_id
            assert {row[3] for row in rows} == {"not_evaluated"}, control_id
    compared = s3_controls | set(reading)
    others = sorted(row for row in duckdb_results if row[0] not in compared)
    assert sorted(row for row in results if row[0] not in compared) == others


def test_not_evaluated_only_when_no_alternative_was_synced(switched_off_results) -> None:
    results, accounts = switched_off_results
    disabled = "disabled by the var soc2_disabled_source_tables"
    reason = (
        "cannot be evaluated: none of aws_iam_account_authorization_details, aws_iam_roles"
        f" is available (aws_iam_account_authorization_details: {disabled};"
        f" aws_iam_roles: {disabled})"
    )
    public_trust = sorted(row for row in results if row[0] == "aws_iam_no_public_trust")
    assert public_trust == sorted(
        ("aws_iam_no_public_trust", account_id, account_id, "not_evaluated", reason)
        for account_id in accounts
    )
    for control_id in CIEM_CONTROLS - {"aws_iam_no_public_trust"}:
        rows = [row for row in results if row[0] == control_id]
        assert rows, control_id
        assert {row[3] for row in rows} <= {"pass", "fail"}, control_id
        assert all(":user/" in str(row[2]) for row in rows), control_id


# `soc2 demo`'s simulated history (src/soc2_tools/demo_history.py) on this build: the
# earlier days written into the history tables, then only the models derived from them
# rebuilt; the Type II marts cover every recorded day and report the skipped ones.
def test_simulated_history_feeds_the_type_ii_marts(duckdb_build, duckdb_results) -> None:
    database, project = duckdb_build
    as_of = date.fromisoformat(AS_OF)
    plan, results = demo_history.simulate(
        partial(sql_session.duckdb_session, database), "analytics_soc2_marts", as_of, 30, seed=11
    )
    assert len(results) == len(duckdb_results)
    assert demo_history.run_derived_models(project, plan) == [
        "soc2__audit_period",
        "soc2__control_daily_status",
        "soc2__control_effectiveness",
        "soc2__control_failure_episodes",
        "soc2__criteria_daily_status",
        "soc2__criteria_effectiveness",
        "soc2__evaluation_gaps",
        "soc2__remediation_times",
        "soc2__remediation_times_by_severity",
        "soc2__trust_category_daily",
    ]
    recorded = [*plan.recorded_days, as_of]
    assert len(recorded) == 30 and len(plan.skipped_days) == 1
    schema = "analytics_soc2_marts"
    with duckdb.connect(str(database), read_only=True) as connection:

        def query(sql: str) -> list[tuple[object, ...]]:
            return connection.execute(sql.replace("{schema}", schema)).fetchall()

        assert query(
            "select distinct evaluation_date from {schema}.soc2__trust_category_daily order by 1"
        ) == [(day,) for day in recorded]
        assert query("select gap_date from {schema}.soc2__evaluation_gaps") == [
            (day,) for day in plan.skipped_days
        ]
        assert query(
            "select distinct period_start, period_end from {schema}.soc2__control_effectiveness"
        ) == [(plan.first_day, as_of)]
        rates = query(
            """
            select trust_category, evaluation_date,
                sum(pass_count) / sum(pass_count + fail_count)
            from {schema}.soc2__control_daily_status
            group by all having sum(pass_count + fail_count) > 0 order by all
            """
        )
        expected = demo_history.resource_pass_rates(plan, results)
        assert [(c, d) for c, d, _ in rates] == sorted(
            (c, d) for c, series in expected.items() for d, _ in series
        )
        computed = {(c, d): rate for c, series in expected.items() for d, rate in series}
        assert all(rate == pytest.approx(computed[(c, d)]) for c, d, rate in rates)
        episodes = query(
            "select is_open, is_reopened, count(*) from {schema}.soc2__control_failure_episodes"
            " group by all order by all"
        )
        # open: failing on the real day; closed, some of them reopened: passing on it
        assert [(row[0], row[1]) for row in episodes] == [
            (False, False),
            (False, True),
            (True, False),
        ]
        remediated = query(
            "select count(*) from {schema}.soc2__remediation_times where closed_episode_count > 0"
        )
        assert remediated[0][0] > 0
        assert query(
            "select count(distinct evaluation_date) from {schema}.soc2__control_history"
        ) == [(30,)]


# The Metabase questions (analyses/soc2__question_*.sql), compiled once per engine in the
# user project and run on its marts; each answer equals the same question answered in
# Python from the marts' rows (tests/python/question_checks.py). On DuckDB this runs after
# the simulated history, so the pass-rate trend has its 30 recorded days.
def test_metabase_questions_on_duckdb(duckdb_build) -> None:
    database, project = duckdb_build
    compiled = question_checks.compile_analyses(project)
    with duckdb.connect(str(database), read_only=True) as connection:
        counts = question_checks.assert_questions_answer(
            project, compiled, question_checks.connection_query(connection), "analytics_soc2_marts"
        )
    assert all(count > 0 for count in counts.values()), counts


def test_metabase_questions_on_postgres(postgres_build) -> None:
    schema, project = postgres_build
    compiled = question_checks.compile_analyses(project)
    connection = warehouse.postgres_settings().connect()
    try:
        counts = question_checks.assert_questions_answer(
            project, compiled, question_checks.connection_query(connection), schema
        )
    finally:
        connection.close()
    assert all(count > 0 for count in counts.values()), counts
