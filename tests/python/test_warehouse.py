"""The warehouse module: the SOC2_PG_* settings, dropping a run's schemas on the real
PostgreSQL server, and the dbt profile the tooling writes."""

from __future__ import annotations

import os
import uuid

import pytest
import yaml

from dbt_runs import INTEGRATION_PROJECT
from soc2_tools import warehouse

VARIABLES = ("SOC2_PG_HOST", "SOC2_PG_PORT", "SOC2_PG_USER", "SOC2_PG_PASSWORD", "SOC2_PG_DATABASE")


def test_settings_default_to_the_local_test_server():
    assert warehouse.PostgresSettings.from_env({}) == warehouse.PostgresSettings(
        "127.0.0.1", 5432, "postgres", "", "test"
    )


def test_settings_come_from_the_five_variables():
    env = dict(zip(VARIABLES, ("db.example", "6543", "auditor", "s3cret", "soc2"), strict=True))
    settings = warehouse.PostgresSettings.from_env(env)
    assert settings == warehouse.PostgresSettings("db.example", 6543, "auditor", "s3cret", "soc2")
    assert settings.describe() == "db.example:6543/soc2"
    with pytest.raises(warehouse.WarehouseError, match="SOC2_PG_PORT"):
        warehouse.PostgresSettings.from_env({"SOC2_PG_PORT": "five"})


def test_a_connection_string_overrides_the_variables_it_names(monkeypatch):
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("SOC2_PG_USER", "auditor")
    settings = warehouse.PostgresSettings.from_dsn("host=db.example dbname=soc2 sslmode=require")
    assert settings == warehouse.PostgresSettings(
        "db.example", 5432, "auditor", "", "soc2", (("sslmode", "require"),)
    )


def test_the_dbt_profile_reads_the_password_from_the_variable():
    settings = warehouse.PostgresSettings("h", 1, "u", "s3cret", "d")
    profile = settings.dbt_profile("analytics", threads=3)
    assert "s3cret" not in yaml.safe_dump(profile)
    assert profile["password"] == "{{ env_var('SOC2_PG_PASSWORD', '') }}"
    assert settings.dbt_environment() == {"SOC2_PG_PASSWORD": "s3cret"}
    assert (profile["host"], profile["port"], profile["user"], profile["dbname"]) == (
        "h", 1, "u", "d",
    )  # fmt: skip


def test_the_integration_profile_reads_the_same_variables():
    text = (INTEGRATION_PROJECT / "profiles.yml").read_text(encoding="utf-8")
    postgres = yaml.safe_load(text)["soc2_integration_tests"]["outputs"]["postgres"]
    read = {key: value for key, value in postgres.items() if "env_var('SOC2_PG_" in str(value)}
    assert {key: str(value).split("'")[1] for key, value in read.items()} == {
        "host": "SOC2_PG_HOST",
        "port": "SOC2_PG_PORT",
        "user": "SOC2_PG_USER",
        "password": "SOC2_PG_PASSWORD",
        "dbname": "SOC2_PG_DATABASE",
    }


def test_drop_schemas_drops_the_prefix_and_its_children_only():
    warehouse.require_postgres()
    prefix = f"soc2_wh_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    lookalike = prefix.replace("_wh_", "xwhx", 1)  # '_' is a LIKE wildcard; must not match
    names = [prefix, f"{prefix}_soc2", f"{prefix}_cloudquery", f"{prefix}x", lookalike]
    connection = warehouse.postgres_settings().connect()
    try:
        with connection, connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"create schema {warehouse.quote_identifier(name)}")
        dropped = warehouse.drop_schemas(prefix)
        assert dropped == sorted([prefix, f"{prefix}_cloudquery", f"{prefix}_soc2"])
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "select nspname from pg_namespace where nspname = any(%s) order by 1", (names,)
            )
            assert [row[0] for row in cursor.fetchall()] == sorted([f"{prefix}x", lookalike])
    finally:
        warehouse.drop_schemas(f"{prefix}x")
        warehouse.drop_schemas(lookalike)
        connection.close()


def test_an_unreachable_server_is_an_error_that_names_it():
    nowhere = warehouse.PostgresSettings(host="127.0.0.1", port=1)
    with pytest.raises(warehouse.WarehouseError, match=r"127\.0\.0\.1:1/test is unreachable"):
        warehouse.require_postgres(nowhere)
