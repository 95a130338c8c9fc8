"""`soc2 benchmark`: time the CIEM build on generated organisations of growing size,
on DuckDB and PostgreSQL, against Cloudsplaining on the same organisation.

A script that prints figures and writes them to `<output>/benchmark.json`; not a test.
dbt runs as a child process (DuckDB runs inside it), measured with GNU time's
maximum resident set size, or by polling /proc/<pid>/status (VmHWM) without it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from soc2_tools import dbt_project, generator, rawdb

CIEM_MARTS = ("soc2__ciem_findings", "soc2__ciem_entitlements", "soc2__ciem_principals")
CIEM_SELECTOR = " ".join(f"+{mart}" for mart in CIEM_MARTS)
DEFAULT_SIZES = (100, 1_000, 5_000, 10_000)
ENGINES = ("duckdb", "postgres")
THREADS = 4
SEED = 7
RAW_SCHEMA = "cloudquery"
CLOUDSPLAINING_VERSION = "0.9.1"
GNU_TIME = Path("/usr/bin/time")
POLL_SECONDS = 0.05
# Cloudsplaining's default exclusions skip AdministratorAccess and service roles;
# these exclude nothing (and keep its default data-exfiltration actions).
NO_EXCLUSIONS: dict[str, list[str]] = {
    "policies": [""],
    "roles": [""],
    "users": [""],
    "groups": [""],
    "exclude-actions": [""],
    "include-actions": [
        "s3:GetObject",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
        "secretsmanager:GetSecretValue",
        "rds:CopyDBSnapshot",
        "rds:CreateDBSnapshot",
    ],
}

Row = dict[str, object]
Tables = dict[str, list[Row]]


class BenchmarkError(RuntimeError):
    """A step of the benchmark failed; the message holds the tail of the output."""


# --- sizes ---------------------------------------------------------------------------------------


def org_size_for(principals: int) -> generator.OrgSize:
    """An OrgSize of about `principals` users + roles and one customer policy per five.

    Accounts grow with the square root of the size (3 at 100, 30 at 10,000);
    users are 55 % of each account's principals, roles the rest.
    """
    if principals < 10:
        raise ValueError(f"a benchmark size must be at least 10 principals, got {principals}")
    accounts = max(1, round(3 * math.sqrt(principals / 100)))
    per_account = principals / accounts
    users = max(1, round(per_account * 0.55))
    roles = max(1, round(per_account) - users)
    return generator.OrgSize(
        accounts=accounts,
        users_per_account=users,
        roles_per_account=roles,
        groups_per_account=max(4, min(40, round(per_account / 20))),
        policies_per_account=max(1, math.ceil(principals / 5 / accounts)),
        buckets_per_account=2,
    )


def principal_count(size: generator.OrgSize) -> int:
    """Users plus roles of an OrgSize."""
    return size.accounts * (size.users_per_account + size.roles_per_account)


def policy_count(size: generator.OrgSize) -> int:
    """Customer-managed policies of an OrgSize (AWS-managed ones come on top, per account)."""
    return size.accounts * size.policies_per_account


# --- the generated organisation as `aws iam get-account-authorization-details` ------------------


def _aws_time(value: object) -> str | None:
    """The AWS CLI's timestamp format, e.g. '2019-12-18 19:10:08+00:00'."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S+00:00")
    if isinstance(value, date):
        return f"{value.isoformat()} 00:00:00+00:00"
    raise ValueError(f"not a timestamp: {value!r}")


def _tag_list(tags: object) -> list[dict[str, object]]:
    if not isinstance(tags, Mapping):
        return []
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def _grouped(rows: Iterable[Row], *key: str) -> dict[tuple[object, ...], list[Row]]:
    grouped: dict[tuple[object, ...], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[tuple(row[k] for k in key)].append(row)
    return grouped


def _without_nones(entry: dict[str, object], *optional: str) -> dict[str, object]:
    return {k: v for k, v in entry.items() if not (k in optional and v is None)}


@dataclass(frozen=True)
class _Index:
    """The generated child rows, grouped by their owner."""

    inline: dict[str, dict[tuple[object, ...], list[Row]]]
    attached: dict[str, dict[tuple[object, ...], list[Row]]]
    memberships: dict[tuple[object, ...], list[Row]]
    versions: dict[tuple[object, ...], list[Row]]

    @classmethod
    def of(cls, tables: Tables) -> _Index:
        def rows(name: str) -> list[Row]:
            return tables.get(name, [])

        kinds = ("user", "group", "role")
        return cls(
            inline={
                k: _grouped(rows(f"aws_iam_{k}_policies"), "account_id", f"{k}_arn") for k in kinds
            },
            attached={
                k: _grouped(rows(f"aws_iam_{k}_attached_policies"), "account_id", f"{k}_arn")
                for k in kinds
            },
            memberships=_grouped(rows("aws_iam_user_groups"), "account_id", "user_arn"),
            versions=_grouped(rows("aws_iam_policy_versions"), "account_id", "policy_arn"),
        )

    def inline_list(self, kind: str, row: Row) -> list[dict[str, object]]:
        owned = self.inline[kind].get((row["account_id"], row["arn"]), [])
        return [
            {"PolicyName": p["policy_name"], "PolicyDocument": p["policy_document"]} for p in owned
        ]

    def attached_list(self, kind: str, row: Row) -> list[dict[str, object]]:
        owned = self.attached[kind].get((row["account_id"], row["arn"]), [])
        return [{"PolicyName": p["policy_name"], "PolicyArn": p["policy_arn"]} for p in owned]


def _user_detail(row: Row, index: _Index) -> dict[str, object]:
    groups = index.memberships.get((row["account_id"], row["arn"]), [])
    entry = {
        "Path": row["path"],
        "UserName": row["user_name"],
        "UserId": row["user_id"],
        "Arn": row["arn"],
        "CreateDate": _aws_time(row["create_date"]),
        "PasswordLastUsed": _aws_time(row.get("password_last_used")),
        "UserPolicyList": index.inline_list("user", row),
        "GroupList": [str(g["group_name"]) for g in groups],
        "AttachedManagedPolicies": index.attached_list("user", row),
        "PermissionsBoundary": row.get("permissions_boundary"),
        "Tags": _tag_list(row.get("tags")),
    }
    return _without_nones(entry, "PasswordLastUsed", "PermissionsBoundary")


def _group_detail(row: Row, index: _Index) -> dict[str, object]:
    return {
        "Path": row["path"],
        "GroupName": row["group_name"],
        "GroupId": row["group_id"],
        "Arn": row["arn"],
        "CreateDate": _aws_time(row["create_date"]),
        "GroupPolicyList": index.inline_list("group", row),
        "AttachedManagedPolicies": index.attached_list("group", row),
    }


def _role_detail(row: Row, index: _Index) -> dict[str, object]:
    entry = {
        "Path": row["path"],
        "RoleName": row["role_name"],
        "RoleId": row["role_id"],
        "Arn": row["arn"],
        "CreateDate": _aws_time(row["create_date"]),
        "AssumeRolePolicyDocument": row["assume_role_policy_document"],
        "Description": row.get("description"),
        "MaxSessionDuration": row.get("max_session_duration"),
        "InstanceProfileList": [],
        "RolePolicyList": index.inline_list("role", row),
        "AttachedManagedPolicies": index.attached_list("role", row),
        "PermissionsBoundary": row.get("permissions_boundary"),
        "Tags": _tag_list(row.get("tags")),
        "RoleLastUsed": row.get("role_last_used") or {},
    }
    return _without_nones(entry, "Description", "MaxSessionDuration", "PermissionsBoundary")


def _version_entry(row: Row) -> dict[str, object]:
    """A version's document as the CLI prints it: an object, or the text when it is not JSON."""
    document = row["document_json"] if row["document_json"] is not None else row["document"]
    return {
        "Document": document,
        "VersionId": row["version_id"],
        "IsDefaultVersion": row["is_default_version"],
        "CreateDate": _aws_time(row["create_date"]),
    }


def _policy_detail(row: Row, index: _Index) -> dict[str, object]:
    versions = index.versions.get((row["account_id"], row["arn"]), [])
    entry = {
        "PolicyName": row["policy_name"],
        "PolicyId": row["policy_id"],
        "Arn": row["arn"],
        "Path": row["path"],
        "DefaultVersionId": row["default_version_id"],
        "AttachmentCount": row["attachment_count"],
        "PermissionsBoundaryUsageCount": row["permissions_boundary_usage_count"],
        "IsAttachable": row["is_attachable"],
        "Description": row.get("description"),
        "CreateDate": _aws_time(row["create_date"]),
        "UpdateDate": _aws_time(row["update_date"]),
        "PolicyVersionList": [_version_entry(v) for v in versions],
    }
    return _without_nones(entry, "Description")


def to_authorization_details(tables: Mapping[str, list[Row]]) -> dict[str, dict[str, object]]:
    """One `get-account-authorization-details` export per account of the generated rows.

    Each export lists the account's users, groups, roles and policies (the
    AWS-managed policies the generator copies into every account included).
    """
    index = _Index.of(dict(tables))
    lists = (
        ("UserDetailList", "aws_iam_users", _user_detail),
        ("GroupDetailList", "aws_iam_groups", _group_detail),
        ("RoleDetailList", "aws_iam_roles", _role_detail),
        ("Policies", "aws_iam_policies", _policy_detail),
    )
    exports: dict[str, dict[str, object]] = {}
    for key, table, build in lists:
        for row in tables.get(table, []):
            export = exports.setdefault(str(row["account_id"]), {k: [] for k, _, _ in lists})
            entries = export[key]
            assert isinstance(entries, list)
            entries.append(build(row, index))
    return dict(sorted(exports.items()))


# --- running and measuring a child process -------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """Wall time, peak resident memory and output of one child process."""

    seconds: float
    peak_mb: float | None
    returncode: int
    output: str

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


@lru_cache(maxsize=1)
def gnu_time_available() -> bool:
    """Whether /usr/bin/time is GNU time (it has -f and -o)."""
    if not GNU_TIME.exists():
        return False
    probe = subprocess.run(
        [str(GNU_TIME), "--version"], capture_output=True, text=True, check=False
    )
    return "GNU" in probe.stdout + probe.stderr


def measure(command: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None) -> Measured:
    """Run `command`, timing it and reading its peak RSS."""
    if gnu_time_available():
        return _measure_with_gnu_time(command, cwd, env)
    return _measure_by_polling(command, cwd, env)


def _measure_with_gnu_time(
    command: Sequence[str], cwd: Path, env: Mapping[str, str] | None
) -> Measured:
    with tempfile.NamedTemporaryFile("r", suffix=".rss", encoding="utf-8") as report:
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", report.name, *command]
        started = time.perf_counter()
        result = subprocess.run(
            wrapped, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
        lines = Path(report.name).read_text(encoding="utf-8").split()
    peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else None
    peak = None if peak_kb is None else peak_kb / 1024
    return Measured(seconds, peak, result.returncode, result.stdout + result.stderr)


def _measure_by_polling(
    command: Sequence[str], cwd: Path, env: Mapping[str, str] | None
) -> Measured:
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak_kb = 0
        while child.poll() is None:
            peak_kb = max(peak_kb, _vm_hwm_kb(child.pid))
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    return Measured(seconds, peak_kb / 1024 if peak_kb else None, child.returncode, output)


def _vm_hwm_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# --- dbt on one engine ---------------------------------------------------------------------------


@dataclass
class EngineResult:
    """What one engine did at one size."""

    engine: str
    write_seconds: float
    seed_seconds: float
    seconds: float
    peak_mb: float | None
    dbt_elapsed_seconds: float | None
    models: int
    rows: dict[str, int] = field(default_factory=dict)
    note: str = ""


def postgres_settings() -> dict[str, str]:
    """The PostgreSQL server, overridable with SOC2_PG_HOST, _PORT, _USER, _DBNAME, _PASSWORD."""
    return {
        "host": os.environ.get("SOC2_PG_HOST", "127.0.0.1"),
        "port": os.environ.get("SOC2_PG_PORT", "5432"),
        "user": os.environ.get("SOC2_PG_USER", "postgres"),
        "dbname": os.environ.get("SOC2_PG_DBNAME", "test"),
        "password": os.environ.get("SOC2_PG_PASSWORD", ""),
    }


@dataclass(frozen=True)
class _Setup:
    """Where one engine's raw tables go and the dbt project that reads them."""

    engine: str
    raw: rawdb.RawTarget
    project: dbt_project.UserProject
    marts_schema: str


def _setup(engine: str, principals: int, output: Path) -> _Setup:
    directory = output / f"size-{principals}" / engine
    variables = {
        "soc2_aws_schema": RAW_SCHEMA,
        "soc2_as_of": generator.DEFAULT_AS_OF.date().isoformat(),
    }
    if engine == "duckdb":
        path = directory / "warehouse.duckdb"
        profile: dict[str, object] = {"type": "duckdb", "path": str(path), "schema": "main"}
        raw = rawdb.RawTarget(kind="duckdb", path=path, schema=RAW_SCHEMA)
        marts = "main_soc2"
    else:
        prefix = f"soc2_bench_{principals}"
        pg = postgres_settings()
        raw = rawdb.RawTarget(
            kind="postgres",
            schema=f"{prefix}_{RAW_SCHEMA}",
            host=pg["host"],
            port=int(pg["port"]),
            user=pg["user"],
            dbname=pg["dbname"],
            password=pg["password"] or None,
        )
        profile = {"type": "postgres", **pg, "port": int(pg["port"]), "schema": prefix}
        variables["soc2_aws_schema"] = raw.schema
        marts = f"{prefix}_soc2"
    profile["threads"] = THREADS
    project = dbt_project.UserProject(directory / "project", profile, variables)
    return _Setup(engine, raw, project, marts)


def _reset(setup: _Setup) -> None:
    """Start from an empty DuckDB file or empty PostgreSQL schemas."""
    if setup.engine == "duckdb":
        path = Path(str(setup.raw.path))
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
        return
    _drop_postgres_schemas(setup.raw, str(setup.project.profile["schema"]))


def _drop_postgres_schemas(raw: rawdb.RawTarget, prefix: str) -> None:
    connection = raw.connect_postgres()
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "select nspname from pg_namespace where nspname = %s or nspname like %s",
                (prefix, prefix + "\\_%"),
            )
            for (schema,) in cursor.fetchall():
                cursor.execute(f"drop schema {rawdb.quote_identifier(schema)} cascade")
    finally:
        connection.close()


def _dbt(setup: _Setup, *arguments: str) -> Measured:
    project = setup.project
    command = [dbt_project.dbt_executable(), *arguments, "--project-dir", str(project.directory)]
    env = {**os.environ, "DBT_PROFILES_DIR": str(project.directory), "DBT_USE_COLORS": "false"}
    measured = measure(command, cwd=project.directory, env=env)
    if measured.returncode != 0:
        raise BenchmarkError(
            f"{setup.engine}: `dbt {' '.join(arguments)}` failed "
            f"(exit {measured.returncode}):\n{measured.tail()}"
        )
    return measured


def selected_marts(selector: str) -> list[str]:
    """The models a selector names with a leading '+', e.g. the three CIEM marts."""
    return [token[1:] for token in selector.split() if token.startswith("+") and len(token) > 1]


def _built_models(project: dbt_project.UserProject) -> tuple[list[str], float | None]:
    path = project.directory / "target" / "run_results.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    models = [
        str(r["unique_id"]).rsplit(".", 1)[-1]
        for r in document["results"]
        if str(r["unique_id"]).startswith("model.") and r["status"] == "success"
    ]
    elapsed = document.get("elapsed_time")
    return models, float(elapsed) if isinstance(elapsed, int | float) else None


def run_engine(
    engine: str,
    tables: Tables,
    principals: int,
    output: Path,
    selector: str,
    *,
    keep_postgres: bool = False,
) -> EngineResult:
    """Write the raw tables, seed (untimed), then time `dbt run` of the selector.

    PostgreSQL schemas are dropped afterwards unless `keep_postgres`; the DuckDB
    file stays in `output` either way.
    """
    setup = _setup(engine, principals, output)
    _reset(setup)
    started = time.perf_counter()
    rawdb.write_tables(tables, setup.raw, sync_time=generator.DEFAULT_AS_OF)
    write_seconds = time.perf_counter() - started
    dbt_project.write_project(setup.project)
    _dbt(setup, "deps")
    selection = ["--select", *selector.split()]
    seeded = _dbt(setup, "seed", *selection)
    measured = _dbt(setup, "run", *selection)
    models, elapsed = _built_models(setup.project)
    missing = [mart for mart in selected_marts(selector) if mart not in models]
    if missing:
        raise BenchmarkError(
            f"{engine}: `dbt run --select {selector}` did not build {', '.join(missing)}; "
            "does this version of the package have them?\n" + measured.tail(15)
        )
    rows = _row_counts(setup, selected_marts(selector))
    if engine == "postgres" and not keep_postgres:
        _drop_postgres_schemas(setup.raw, str(setup.project.profile["schema"]))
    note = "dbt process only; PostgreSQL server memory not included" if engine == "postgres" else ""
    return EngineResult(
        engine, write_seconds, seeded.seconds, measured.seconds, measured.peak_mb, elapsed,
        len(models), rows, note,
    )  # fmt: skip


def _row_counts(setup: _Setup, marts: Sequence[str]) -> dict[str, int]:
    queries = {m: f"select count(*) from {setup.marts_schema}.{m}" for m in marts}
    if setup.engine == "duckdb":
        import duckdb

        with duckdb.connect(str(setup.raw.path), read_only=True) as connection:
            return {m: int(connection.execute(q).fetchone()[0]) for m, q in queries.items()}
    connection = setup.raw.connect_postgres()
    try:
        with connection, connection.cursor() as cursor:
            counts: dict[str, int] = {}
            for mart, query in queries.items():
                cursor.execute(query)
                counts[mart] = int(cursor.fetchone()[0])
            return counts
    finally:
        connection.close()


# --- Cloudsplaining ------------------------------------------------------------------------------


@dataclass
class CloudsplainingResult:
    """Cloudsplaining's scans of every account at one size, summed."""

    accounts: int
    seconds: float
    peak_mb: float | None
    unparsable_documents_emptied: int = 0
    note: str = (
        "default exclusions (which skip AdministratorAccess and service roles) replaced by "
        "an exclusions file that excludes nothing; unparsable documents given as empty policies"
    )


def ensure_cloudsplaining(output: Path) -> Path:
    """The cloudsplaining executable of a venv under `output`, created once."""
    venv = output / "cloudsplaining-venv"
    executable = venv / "bin" / "cloudsplaining"
    marker = venv / f".installed-{CLOUDSPLAINING_VERSION}"
    if executable.exists() and marker.exists():
        return executable
    print(f"      installing cloudsplaining=={CLOUDSPLAINING_VERSION} into {venv} ...", flush=True)
    steps = (
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", f"cloudsplaining=={CLOUDSPLAINING_VERSION}"],
    )  # fmt: skip
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
            raise BenchmarkError(f"`{' '.join(step)}` failed:\n{tail}")
    marker.touch()
    return executable


EMPTY_POLICY: dict[str, object] = {"Version": "2012-10-17", "Statement": []}
_INLINE_LISTS = {
    "UserDetailList": "UserPolicyList",
    "GroupDetailList": "GroupPolicyList",
    "RoleDetailList": "RolePolicyList",
}


def _is_policy(document: object) -> bool:
    return isinstance(document, dict) and isinstance(document.get("Statement"), dict | list)


def for_cloudsplaining(export: Mapping[str, object]) -> tuple[dict[str, object], int]:
    """A copy whose unparsable documents are empty policies (Cloudsplaining crashes on them).

    Returns the copy and how many documents were replaced; the package quarantines them.
    """
    copy: dict[str, object] = json.loads(json.dumps(export))
    replaced = 0

    def fix(entry: dict[str, object], key: str) -> None:
        nonlocal replaced
        if key in entry and not _is_policy(entry[key]):
            entry[key] = dict(EMPTY_POLICY)
            replaced += 1

    for list_key, inline_key in _INLINE_LISTS.items():
        for detail in _dicts(copy.get(list_key)):
            for policy in _dicts(detail.get(inline_key)):
                fix(policy, "PolicyDocument")
            if list_key == "RoleDetailList":
                fix(detail, "AssumeRolePolicyDocument")
    for policy in _dicts(copy.get("Policies")):
        for version in _dicts(policy.get("PolicyVersionList")):
            fix(version, "Document")
    return copy, replaced


def _dicts(value: object) -> list[dict[str, object]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def run_cloudsplaining(
    tables: Tables, principals: int, output: Path, executable: Path
) -> CloudsplainingResult:
    """Write one export per account and time `cloudsplaining scan` on each."""
    directory = output / f"size-{principals}" / "cloudsplaining"
    exclusions = output / "cloudsplaining-exclusions.yml"
    exclusions.write_text(yaml.safe_dump(NO_EXCLUSIONS, sort_keys=False), encoding="utf-8")
    exports = to_authorization_details(tables)
    seconds, peak, replaced = 0.0, 0.0, 0
    for account_id, export in exports.items():
        cleaned, count = for_cloudsplaining(export)
        replaced += count
        input_file = directory / "input" / f"{account_id}.json"
        input_file.parent.mkdir(parents=True, exist_ok=True)
        input_file.write_text(json.dumps(cleaned, ensure_ascii=False), encoding="utf-8")
        report = directory / "report" / account_id
        report.mkdir(parents=True, exist_ok=True)
        command = [
            str(executable), "scan", "--input-file", str(input_file),
            "--exclusions-file", str(exclusions), "--output", str(report), "--skip-open-report",
        ]  # fmt: skip
        measured = measure(command, cwd=directory)
        if measured.returncode != 0:
            raise BenchmarkError(
                f"cloudsplaining failed on {input_file} (exit {measured.returncode}):\n"
                + measured.tail()
            )
        seconds += measured.seconds
        peak = max(peak, measured.peak_mb or 0.0)
    return CloudsplainingResult(len(exports), seconds, peak or None, replaced)


# --- the subcommand ------------------------------------------------------------------------------


def _int_list(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of integers: {text}"
        ) from error
    if not values:
        raise argparse.ArgumentTypeError("give at least one size")
    return values


def _engine_list(text: str) -> list[str]:
    engines = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown or not engines:
        raise argparse.ArgumentTypeError(f"engines are {', '.join(ENGINES)}; got {text!r}")
    return engines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `soc2 benchmark`."""
    parser.add_argument(
        "--sizes",
        type=_int_list,
        default=list(DEFAULT_SIZES),
        help="principals (users + roles) per run, comma-separated (default: 100,1000,5000,10000)",
    )
    parser.add_argument(
        "--engines",
        type=_engine_list,
        default=list(ENGINES),
        help="comma-separated: duckdb, postgres (default: both)",
    )
    parser.add_argument(
        "--cloudsplaining",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also time Cloudsplaining {CLOUDSPLAINING_VERSION} on the same organisation",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("soc2-benchmark"),
        metavar="DIR",
        help="working files and benchmark.json (default: ./soc2-benchmark)",
    )
    parser.add_argument(
        "--select",
        default=CIEM_SELECTOR,
        metavar="SELECTOR",
        help=f"dbt selection to time (default: {CIEM_SELECTOR!r})",
    )
    parser.add_argument(
        "--keep-postgres",
        action="store_true",
        help="keep the PostgreSQL schemas soc2_bench_<size>_* for inspection (dropped by default)",
    )


@dataclass
class SizeResult:
    """Everything measured at one size."""

    requested: int
    principals: int
    policies: int
    accounts: int
    raw_rows: int
    generate_seconds: float
    engines: dict[str, EngineResult] = field(default_factory=dict)
    cloudsplaining: CloudsplainingResult | None = None


def run(args: argparse.Namespace) -> int:
    """Measure every size on every engine; print and write the figures."""
    output: Path = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    print(f"soc2 benchmark: sizes {args.sizes}, engines {args.engines}, selector {args.select!r}")
    if not gnu_time_available():
        print("      (no GNU time: peak memory is polled from /proc/<pid>/status VmHWM)")
    try:
        executable = ensure_cloudsplaining(output) if args.cloudsplaining else None
        results = [_measure_size(n, args, output, executable) for n in args.sizes]
    except (BenchmarkError, dbt_project.DbtError) as error:
        print(f"soc2 benchmark: {error}")
        return 1
    print()
    print(render_table(results, args.engines))
    path = output / "benchmark.json"
    path.write_text(json.dumps(_document(results, args), indent=2) + "\n", encoding="utf-8")
    print(f"\nFigures written to {path}")
    return 0


def _measure_size(
    requested: int, args: argparse.Namespace, output: Path, executable: Path | None
) -> SizeResult:
    size = org_size_for(requested)
    principals = principal_count(size)
    print(
        f"[{requested}] generating {size.accounts} accounts, {principals} principals ...",
        flush=True,
    )
    started = time.perf_counter()
    tables = generator.generate_organisation(size, seed=SEED)
    result = SizeResult(
        requested, principals, policy_count(size), size.accounts,
        sum(len(rows) for rows in tables.values()), time.perf_counter() - started,
    )  # fmt: skip
    for engine in args.engines:
        print(
            f"[{requested}] {engine}: write raw tables, dbt seed, dbt run (timed) ...", flush=True
        )
        outcome = run_engine(
            engine, tables, principals, output, args.select, keep_postgres=args.keep_postgres
        )
        result.engines[engine] = outcome
        print("      " + _line(result, engine, outcome.seconds, outcome.peak_mb), flush=True)
    if executable is not None:
        print(f"[{requested}] cloudsplaining: {size.accounts} accounts ...", flush=True)
        scanned = run_cloudsplaining(tables, requested, output, executable)
        result.cloudsplaining = scanned
        line = _line(result, "cloudsplaining", scanned.seconds, scanned.peak_mb)
        emptied = scanned.unparsable_documents_emptied
        print(f"      {line}  ({emptied} unparsable documents given as empty policies)")
    return result


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _line(result: SizeResult, engine: str, seconds: float, peak_mb: float | None) -> str:
    return (
        f"size {result.requested:>6}  {engine:<14} principals {result.principals:>6,}  "
        f"policies {result.policies:>5,}  {seconds:>8.1f} s  peak {_mb(peak_mb):>6} MB"
    )


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}"


def render_table(results: Sequence[SizeResult], engines: Sequence[str]) -> str:
    """The final table: seconds and peak MB per engine, the ratio and the per-1,000 time."""
    header = f"{'size':>7}{'principals':>12}{'policies':>10}"
    for engine in [*engines, "cloudsplaining"]:
        header += f"{engine[:14] + ' s':>18}{'MB':>8}"
    header += f"{'cs/duckdb':>11}{'duckdb s/1k':>13}"
    lines = [header]
    for r in results:
        line = f"{r.requested:>7}{r.principals:>12,}{r.policies:>10,}"
        for engine in engines:
            e = r.engines.get(engine)
            line += f"{'-' if e is None else f'{e.seconds:.1f}':>18}{_mb(e and e.peak_mb):>8}"
        cs = r.cloudsplaining
        line += f"{'-' if cs is None else f'{cs.seconds:.1f}':>18}{_mb(cs and cs.peak_mb):>8}"
        duck = r.engines.get("duckdb")
        duck_s = duck.seconds if duck else None
        line += f"{_ratio(cs.seconds if cs else None, duck_s):>11}"
        line += f"{_ratio(duck_s, r.principals / 1000):>13}"
        lines.append(line)
    lines += [
        "",
        "seconds: wall time of `dbt run` of the selection (dbt start-up included; seeds loaded "
        "before, untimed); cloudsplaining: `cloudsplaining scan` summed over accounts.",
        "MB: peak resident memory of the child process; for postgres the dbt process only "
        "(server memory not included). policies: customer-managed.",
    ]
    return "\n".join(lines)


def _document(results: Sequence[SizeResult], args: argparse.Namespace) -> dict[str, object]:
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "selector": args.select,
        "threads": THREADS,
        "seed": SEED,
        "cloudsplaining_version": CLOUDSPLAINING_VERSION if args.cloudsplaining else None,
        "peak_memory_method": "GNU time %M" if gnu_time_available() else "/proc VmHWM polling",
        "sizes": [asdict(r) for r in results],
    }
