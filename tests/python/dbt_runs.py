"""Running the integration project with dbt, one engine at a time."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import yaml

from soc2_tools import dbt_project

REPOSITORY = Path(__file__).resolve().parents[2]
INTEGRATION_PROJECT = REPOSITORY / "integration_tests"
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "test"}


def require_postgres() -> None:
    """Fail (never skip) when the PostgreSQL server is unreachable."""
    try:
        psycopg2.connect(connect_timeout=5, **POSTGRES).close()
    except psycopg2.OperationalError as error:  # pragma: no cover - environment failure
        raise AssertionError(
            f"PostgreSQL at {POSTGRES['host']}:{POSTGRES['port']} is unreachable: {error}. "
            "Start it (see .ci/run); the PostgreSQL tests never skip."
        ) from error


def drop_postgres_schemas(prefix: str) -> None:
    with psycopg2.connect(**POSTGRES) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select nspname from pg_namespace where nspname = %s or nspname like %s",
            (prefix, prefix + "\\_%"),
        )
        for (schema,) in cursor.fetchall():
            cursor.execute(f'drop schema "{schema}" cascade')


@dataclass
class DbtRun:
    returncode: int
    output: str
    results: list[dict[str, object]] = field(default_factory=list)

    def statuses(self) -> dict[str, str]:
        return {str(r["unique_id"]): str(r["status"]) for r in self.results}

    def failures(self, name_part: str) -> int:
        matching = [r for r in self.results if name_part in str(r["unique_id"])]
        assert matching, f"no result whose id contains {name_part!r}"
        return int(sum(int(r.get("failures") or 0) for r in matching))

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


@dataclass
class IntegrationProject:
    """The integration project on one engine, in its own schema and workdir."""

    engine: str
    workdir: Path
    schema: str

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(INTEGRATION_PROJECT),
            "SOC2_TARGET": self.engine,
            "SOC2_SCHEMA": self.schema,
            "SOC2_DUCKDB_PATH": str(self.workdir / "integration.duckdb"),
            "PYTHONWARNINGS": "ignore",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_TARGET_PATH": str(self.workdir / "target"),
            "DBT_LOG_PATH": str(self.workdir / "logs"),
        }
        if self.engine == "spark":
            env["PYSPARK_SUBMIT_ARGS"] = "--driver-memory 6g pyspark-shell"
        return env

    def dbt(
        self, arguments: Sequence[str], variables: Mapping[str, object] | None = None
    ) -> DbtRun:
        command = [dbt_project.dbt_executable(), *arguments]
        command += ["--project-dir", str(INTEGRATION_PROJECT)]
        if variables:
            command += ["--vars", yaml.safe_dump(dict(variables), default_flow_style=True)]
        completed = subprocess.run(
            command, cwd=self.workdir, env=self.env(), capture_output=True, text=True, check=False
        )
        results_path = self.workdir / "target" / "run_results.json"
        results = json.loads(results_path.read_text())["results"] if results_path.exists() else []
        if results_path.exists():
            results_path.unlink()
        return DbtRun(completed.returncode, completed.stdout + completed.stderr, results)
