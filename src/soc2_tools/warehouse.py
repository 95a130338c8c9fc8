"""The warehouse, one home per concern: the PostgreSQL server's settings (the
`SOC2_PG_*` variables, read here and nowhere else), dropping a run's PostgreSQL
schemas, and running dbt (its executable and environment, and the throwaway
user project that installs the package, as a user's own project would).

The integration profile (`integration_tests/profiles.yml`) reads the same five
variables with dbt's `env_var()`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The package's Type II history tables (incremental, one set of rows per
# evaluation date). Every history mart is built from them, so
# `<model>+` for each selects the whole history layer.
HISTORY_MODELS = ("soc2__control_history", "soc2__exception_history", "soc2__attestation_history")


# Where the package builds (dbt custom schemas, `<target schema>_<name>`): the marts,
# which BI tools and the BI role read, apart from staging, intermediate and seeds.
PACKAGE_SCHEMA_SUFFIX = "soc2"
MARTS_SCHEMA_SUFFIX = "soc2_marts"


def package_schema(target_schema: str) -> str:
    """The schema of the package's staging and intermediate models and seeds."""
    return f"{target_schema}_{PACKAGE_SCHEMA_SUFFIX}"


def marts_schema(target_schema: str) -> str:
    """The schema of the package's marts under the default configuration."""
    return f"{target_schema}_{MARTS_SCHEMA_SUFFIX}"


def history_layer_selection() -> list[str]:
    """dbt selectors of the history tables and every model built from them."""
    return [f"{model}+" for model in HISTORY_MODELS]


# --- PostgreSQL --------------------------------------------------------------------------------

# field of PostgresSettings -> (environment variable, default)
PG_VARIABLES: dict[str, tuple[str, str]] = {
    "host": ("SOC2_PG_HOST", "127.0.0.1"),
    "port": ("SOC2_PG_PORT", "5432"),
    "user": ("SOC2_PG_USER", "postgres"),
    "password": ("SOC2_PG_PASSWORD", ""),
    "dbname": ("SOC2_PG_DATABASE", "test"),
}


class WarehouseError(RuntimeError):
    """The warehouse cannot be reached or a dbt command failed; the message says why."""


@dataclass(frozen=True)
class PostgresSettings:
    """Where the PostgreSQL server is. `from_env()` reads the SOC2_PG_* variables."""

    host: str = PG_VARIABLES["host"][1]
    port: int = int(PG_VARIABLES["port"][1])
    user: str = PG_VARIABLES["user"][1]
    password: str = PG_VARIABLES["password"][1]
    dbname: str = PG_VARIABLES["dbname"][1]
    # Further libpq parameters, from a connection string (sslmode, ...).
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PostgresSettings:
        """The settings of SOC2_PG_HOST, _PORT, _USER, _PASSWORD and _DATABASE, or the defaults."""
        env = os.environ if environ is None else environ
        values = {
            name: env.get(variable, default) for name, (variable, default) in PG_VARIABLES.items()
        }
        try:
            port = int(values["port"])
        except ValueError as error:
            raise WarehouseError(
                f"SOC2_PG_PORT is not a port number: {values['port']!r}"
            ) from error
        return cls(values["host"], port, values["user"], values["password"], values["dbname"])

    @classmethod
    def from_dsn(cls, dsn: str) -> PostgresSettings:
        """The settings of a libpq connection string; what it leaves out comes from SOC2_PG_*."""
        from psycopg2.extensions import parse_dsn

        parts = dict(parse_dsn(dsn))
        base = cls.from_env()
        known = {name: parts.pop(name) for name in PG_VARIABLES if name in parts}
        return cls(
            host=known.get("host", base.host),
            port=int(known.get("port", base.port)),
            user=known.get("user", base.user),
            password=known.get("password", base.password),
            dbname=known.get("dbname", base.dbname),
            options=tuple(sorted(parts.items())),
        )

    def describe(self) -> str:
        """host:port/database, never the password."""
        return f"{self.host}:{self.port}/{self.dbname}"

    def connect(self, **parameters: Any) -> Any:
        """A new psycopg2 connection."""
        import psycopg2

        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.dbname,
            **dict(self.options),
            **parameters,
        )

    def dbt_profile(self, schema: str, threads: int) -> dict[str, object]:
        """A dbt-postgres target; the password is read by dbt from SOC2_PG_PASSWORD, so that
        it is never written into a profiles.yml."""
        return {
            "type": "postgres",
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": "{{ env_var('" + PG_VARIABLES["password"][0] + "', '') }}",
            "dbname": self.dbname,
            "schema": schema,
            "threads": threads,
        }

    def dbt_environment(self) -> dict[str, str]:
        """The variables a dbt child process needs for `dbt_profile` (the password)."""
        return {PG_VARIABLES["password"][0]: self.password}


def postgres_settings() -> PostgresSettings:
    """The server of the SOC2_PG_* variables."""
    return PostgresSettings.from_env()


def require_postgres(settings: PostgresSettings | None = None) -> None:
    """Raise WarehouseError, naming the server and the variables, when it does not answer."""
    import psycopg2

    settings = settings or postgres_settings()
    try:
        settings.connect(connect_timeout=5).close()
    except psycopg2.OperationalError as error:
        variables = ", ".join(variable for variable, _ in PG_VARIABLES.values())
        raise WarehouseError(
            f"PostgreSQL at {settings.describe()} is unreachable ({error}). Start it (see "
            f".ci/run) or point {variables} at a server."
        ) from error


def quote_identifier(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def drop_schemas(prefix: str, settings: PostgresSettings | None = None) -> list[str]:
    """Drop the PostgreSQL schema `prefix` and every schema named `prefix_*`, with their
    contents; return the names dropped. A run names its schemas this way (dbt's custom
    schemas are `<target schema>_<name>`), so one call removes all of them."""
    connection = (settings or postgres_settings()).connect()
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "select nspname from pg_namespace where nspname = %s or nspname like %s "
                "order by nspname",
                (prefix, prefix.replace("_", "\\_") + "\\_%"),
            )
            schemas = [str(row[0]) for row in cursor.fetchall()]
            for schema in schemas:
                cursor.execute(f"drop schema {quote_identifier(schema)} cascade")
    finally:
        connection.close()
    return schemas


# --- dbt ---------------------------------------------------------------------------------------


class DbtError(WarehouseError):
    """A dbt command failed; the message holds the tail of its output."""


def dbt_executable() -> str:
    """The dbt of the running interpreter's environment."""
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if found is None:
        raise DbtError("dbt is not installed in this environment; run `make demo` first")
    return found


def dbt_invocation(
    project_dir: Path,
    arguments: Sequence[str],
    *,
    profiles_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of one dbt command on a project."""
    command = [dbt_executable(), *arguments, "--project-dir", str(project_dir)]
    environment = {
        **os.environ,
        "DBT_PROFILES_DIR": str(profiles_dir or project_dir),
        "DBT_USE_COLORS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env or {}),
    }
    return command, environment


def run_dbt(
    project_dir: Path,
    arguments: Sequence[str],
    *,
    profiles_dir: Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run one dbt command, capturing its output; DbtError when it fails and `check`."""
    command, environment = dbt_invocation(
        project_dir, arguments, profiles_dir=profiles_dir, env=env
    )
    result = subprocess.run(
        command,
        cwd=cwd or project_dir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise DbtError(
            f"`dbt {' '.join(arguments)}` failed (exit {result.returncode}):\n"
            + tail(result.stdout + result.stderr)
        )
    return result


def tail(output: str, lines: int = 40) -> str:
    """The last lines of a command's output."""
    return "\n".join(output.splitlines()[-lines:])


def run_results(target_dir: Path) -> list[dict[str, object]]:
    """The results of the last dbt command, from run_results.json in `target_dir`."""
    document = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))
    results: list[dict[str, object]] = document["results"]
    return results


def repository_root() -> Path:
    """The directory holding the package's dbt_project.yml: this checkout, else the working
    directory's or one of its parents."""
    candidates = [Path(__file__).resolve().parents[2], Path.cwd().resolve()]
    candidates += list(Path.cwd().resolve().parents)
    for candidate in candidates:
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    raise FileNotFoundError("cannot find the soc2 repository root (no dbt_project.yml found)")


@dataclass(frozen=True)
class UserProject:
    """A throwaway dbt project that installs the package, as a user's would: where it
    lives, its one target (a profile output) and the vars that locate CloudQuery's tables.
    """

    directory: Path
    profile: Mapping[str, object]
    vars: Mapping[str, object] = field(default_factory=dict)
    package_dir: Path = field(default_factory=repository_root)
    name: str = "soc2_user_project"
    env: Mapping[str, str] = field(default_factory=dict)

    def write(self) -> None:
        """Write dbt_project.yml, packages.yml and profiles.yml."""
        self.directory.mkdir(parents=True, exist_ok=True)
        config = {
            "name": self.name,
            "version": "1.0.0",
            "config-version": 2,
            "profile": self.name,
            "vars": dict(self.vars),
            # Spark loads seeds through the package's escaping loader.
            "dispatch": [
                {"macro_namespace": "dbt", "search_order": [self.name, "soc2", "dbt"]},
            ],
        }
        packages = {"packages": [{"local": str(self.package_dir)}]}
        profiles = {self.name: {"target": "main", "outputs": {"main": dict(self.profile)}}}
        for file_name, content in (
            ("dbt_project.yml", config),
            ("packages.yml", packages),
            ("profiles.yml", profiles),
        ):
            (self.directory / file_name).write_text(yaml.safe_dump(content, sort_keys=False))

    def dbt(
        self, arguments: Sequence[str], *, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run one dbt command in the project."""
        return run_dbt(self.directory, arguments, env=self.env, check=check)

    def invocation(self, arguments: Sequence[str]) -> tuple[list[str], dict[str, str]]:
        """The command line and environment of one dbt command, for a caller that runs it."""
        return dbt_invocation(self.directory, arguments, env=self.env)

    def run_results(self) -> list[dict[str, object]]:
        """The results of the project's last dbt command."""
        return run_results(self.directory / "target")

    def install(self) -> None:
        """Write the project and install the package (`dbt deps`)."""
        self.write()
        self.dbt(["deps"])
