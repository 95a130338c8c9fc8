"""Running the integration project with dbt, one engine at a time."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from soc2_tools import warehouse
from soc2_tools.warehouse import drop_schemas as drop_postgres_schemas
from soc2_tools.warehouse import require_postgres

__all__ = [
    "INTEGRATION_PROJECT",
    "REPOSITORY",
    "DbtRun",
    "IntegrationProject",
    "drop_postgres_schemas",
    "require_postgres",
]

REPOSITORY = Path(__file__).resolve().parents[2]
INTEGRATION_PROJECT = REPOSITORY / "integration_tests"


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
        arguments = list(arguments)
        if variables:
            arguments += ["--vars", yaml.safe_dump(dict(variables), default_flow_style=True)]
        completed = warehouse.run_dbt(
            INTEGRATION_PROJECT,
            arguments,
            profiles_dir=INTEGRATION_PROJECT,
            cwd=self.workdir,
            env=self.env(),
            check=False,
        )
        results_path = self.workdir / "target" / "run_results.json"
        results = json.loads(results_path.read_text())["results"] if results_path.exists() else []
        if results_path.exists():
            results_path.unlink()
        return DbtRun(completed.returncode, completed.stdout + completed.stderr, results)
