"""`soc2 benchmark`: time the CIEM build on generated inventories of growing size, in
two shapes and both input forms, on DuckDB and PostgreSQL, against Cloudsplaining on
the same input; and `soc2 scan` against `cloudsplaining scan` on one export, side by side.

The shapes: `multi`, a generated multi-account organisation (accounts grow with the
square root of the size); `single`, one account holding the sample export's users,
groups, roles and customer-managed policies replicated under new names (what `soc2
scan` loads; 10,000 principals is AWS's quota of 5,000 users and 5,000 roles).

The forms: `tables`, CloudQuery's per-entity IAM tables (aws_iam_users, aws_iam_roles,
...); `export`, the table aws_iam_account_authorization_details, one row per account
holding its get-account-authorization-details export. Each shape is made in its own
form (multi as tables, single as an export) and converted to the other with
`authz_export`; the two forms of one workload must give the same CIEM mart row counts,
and a difference makes the run fail.

A script that prints figures and writes them to `<output>/benchmark.json`; not a test.
dbt runs as a child process (DuckDB runs inside it), measured with GNU time's
maximum resident set size, or by polling /proc/<pid>/status (VmHWM) without it.
"""

from __future__ import annotations

import argparse
import copy
import gc
import hashlib
import json
import math
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from soc2_tools import authz_export, generator, rawdb, warehouse

CIEM_MARTS = ("soc2__ciem_findings", "soc2__ciem_entitlements", "soc2__ciem_principals")
CIEM_SELECTOR = " ".join(f"+{mart}" for mart in CIEM_MARTS)
DEFAULT_SIZES = (1_000, 5_000, 10_000)
SHAPES = ("multi", "single")
FORMS = ("tables", "export")
# The form each shape is made in; the other form is converted from it.
NATIVE_FORMS = {"multi": "tables", "single": "export"}
AUTHZ_TABLE = "aws_iam_account_authorization_details"
# The per-entity IAM tables an export stands for: an account with rows in them is read
# from them, one without from AUTHZ_TABLE (DECISIONS.md, 19).
ENTITY_TABLES = tuple(
    t for t in authz_export.IMPORTED_TABLES if t not in (AUTHZ_TABLE, "aws_iam_credential_reports")
)
ENGINES = ("duckdb", "postgres")
THREADS = 4
# DuckDB's buffer pool, bounded as a production profile should be (dbt-duckdb
# `settings: {memory_limit: ...}`): unbounded, DuckDB takes up to 80% of RAM for
# caching when it is free, and the peak of one run varied from 6.0 to 9.3 GB at
# 100,000 principals for the same work; bounded, it spills instead, at the same speed.
DUCKDB_MEMORY_LIMIT = "6GB"
SEED = 7
RAW_SCHEMA = "cloudquery"
CLOUDSPLAINING_VERSION = "0.9.1"
CLOUDSPLAINING_MAX = 10_000
SCAN_REPEATS = 3
SAMPLE_EXPORT = Path("tests/python/data/cloudsplaining-example-authz-details.json")
SINGLE_ACCOUNT = "012345678901"  # the sample export's account
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
Export = dict[str, object]


class BenchmarkError(RuntimeError):
    """A step of the benchmark failed; the message holds the tail of the output."""


# --- the multi-account shape: a generated organisation -----------------------------------------


def org_size_for(principals: int) -> generator.OrgSize:
    """An OrgSize of about `principals` users + roles and one customer policy per five.

    Accounts grow with the square root of the size (3 at 100, 30 at 10,000, 95 at
    100,000); users are 55 % of each account's principals, roles the rest.
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


# --- the single-account shape: the sample export, replicated ------------------------------------


def sample_export(path: Path | None = None) -> Export:
    """The sample export (Cloudsplaining's example) the single-account shape replicates."""
    source = path or warehouse.repository_root() / SAMPLE_EXPORT
    document: Export = json.loads(source.read_text(encoding="utf-8"))
    return document


def _principals_of(export: Mapping[str, object]) -> int:
    return sum(len(_dicts(export.get(key))) for key in ("UserDetailList", "RoleDetailList"))


def single_account_export(principals: int, sample: Mapping[str, object]) -> Export:
    """One account with at least `principals` users and roles: the sample's users, groups,
    roles and customer-managed policies, copy 0 as they are and copy i renamed with the
    suffix `-i` (names, ARNs, ids, group lists and attachments follow); AWS-managed
    policies once. Policy documents are kept as they are, so every copy's grants name
    the same resources as the sample's.
    """
    if principals < 1:
        raise ValueError(f"a benchmark size must be at least 1 principal, got {principals}")
    per_copy = _principals_of(sample)
    if per_copy == 0:
        raise ValueError("the sample export has no users or roles to replicate")
    copies = math.ceil(principals / per_copy)
    policies = _dicts(sample.get("Policies"))
    managed = [p for p in policies if _account_of(p) == authz_export.AWS_MANAGED_ACCOUNT]
    customer = [p for p in policies if _account_of(p) != authz_export.AWS_MANAGED_ACCOUNT]
    export: dict[str, list[object]] = {
        "UserDetailList": [],
        "GroupDetailList": [],
        "RoleDetailList": [],
        "Policies": [copy.deepcopy(p) for p in managed],
    }
    for index in range(copies):
        suffix = f"-{index}" if index else ""
        renamed = {str(p["Arn"]): _renamed_arn(str(p["Arn"]), suffix) for p in customer}
        for key, name_key, id_key in (
            ("UserDetailList", "UserName", "UserId"),
            ("GroupDetailList", "GroupName", "GroupId"),
            ("RoleDetailList", "RoleName", "RoleId"),
            ("Policies", "PolicyName", "PolicyId"),
        ):
            entries = customer if key == "Policies" else _dicts(sample.get(key))
            for entry in entries:
                export[key].append(_renamed(entry, name_key, id_key, suffix, renamed))
    return dict(export)


def _account_of(entry: Mapping[str, object]) -> str:
    return authz_export.account_of(entry.get("Arn"), "sample export")


def _renamed_arn(arn: str, suffix: str) -> str:
    return arn + suffix if suffix else arn


def _rename_in_place(entry: dict[str, object], name_key: str, id_key: str, suffix: str) -> None:
    """Suffix an entry's name and ARN (whose last segment is the name) and its id."""
    entry[name_key] = f"{entry[name_key]}{suffix}"
    entry[id_key] = f"{entry[id_key]}{suffix.upper().replace('-', 'X')}"
    entry["Arn"] = _renamed_arn(str(entry["Arn"]), suffix)


def _renamed(
    entry: Mapping[str, object],
    name_key: str,
    id_key: str,
    suffix: str,
    policies: Mapping[str, str],
) -> dict[str, object]:
    """A deep copy of one entry with its name, id and ARN suffixed, and its group names,
    instance profiles and customer-managed attachments pointed at the same copy."""
    result = copy.deepcopy(dict(entry))
    if not suffix:
        return result
    _rename_in_place(result, name_key, id_key, suffix)
    if isinstance(entry.get("GroupList"), list):
        result["GroupList"] = [f"{name}{suffix}" for name in entry["GroupList"]]
    for profile in _dicts(result.get("InstanceProfileList")):
        _rename_in_place(profile, "InstanceProfileName", "InstanceProfileId", suffix)
        for role in _dicts(profile.get("Roles")):
            _rename_in_place(role, "RoleName", "RoleId", suffix)
    for attachment in _dicts(result.get("AttachedManagedPolicies")):
        arn = str(attachment.get("PolicyArn"))
        if arn in policies:
            attachment["PolicyArn"] = policies[arn]
            attachment["PolicyName"] = f"{attachment.get('PolicyName')}{suffix}"
    return result


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


# --- one workload: a shape at a size, in either form ---------------------------------------------


@dataclass
class Workload:
    """A shape at a size, in the form it is made in: generated per-entity tables (multi)
    or one export (single); the input of each form and Cloudsplaining's are made from it."""

    shape: str
    requested: int
    accounts: int
    principals: int
    policies: int
    generate_seconds: float
    process_peak_mb: float
    tables: Tables | None = None
    export: Export | None = None
    _exports: dict[str, Export] | None = None

    def exports(self) -> dict[str, Export]:
        """One get-account-authorization-details export per account (made once)."""
        if self._exports is None:
            if self.tables is not None:
                self._exports = authz_export.to_authorization_details(self.tables)
            else:
                assert self.export is not None
                self._exports = {SINGLE_ACCOUNT: self.export}
        return self._exports

    def release(self) -> None:
        """Drop the rows, so that they do not sit beside dbt's memory."""
        self.tables = self.export = self._exports = None


def _process_peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_workload(shape: str, requested: int, sample: Mapping[str, object]) -> Workload:
    """Generate `shape` at `requested` principals in its own form, timed."""
    started = time.perf_counter()
    tables: Tables | None = None
    export: Export | None = None
    if shape == "multi":
        size = org_size_for(requested)
        tables = generator.generate_organisation(size, seed=SEED)
        accounts, principals, policies = size.accounts, principal_count(size), policy_count(size)
    elif shape == "single":
        export = single_account_export(requested, sample)
        accounts, principals = 1, _principals_of(export)
        policies = sum(1 for p in _dicts(export["Policies"]) if _account_of(p) == SINGLE_ACCOUNT)
    else:
        raise ValueError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")
    seconds = time.perf_counter() - started
    return Workload(
        shape, requested, accounts, principals, policies, seconds, _process_peak_mb(),
        tables, export,
    )  # fmt: skip


def conversion(shape: str, form: str) -> str:
    """How the input of `form` is made from the form `shape` is made in: "" when it is
    that form, else "tables->export" or "export->tables"."""
    if shape not in NATIVE_FORMS:
        raise ValueError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; expected one of {', '.join(FORMS)}")
    native = NATIVE_FORMS[shape]
    return "" if form == native else f"{native}->{form}"


def in_form(tables: Mapping[str, list[Row]], form: str) -> Tables:
    """The tables of one input form: `tables` without aws_iam_account_authorization_details,
    `export` without the per-entity IAM tables; every other table (accounts, credential
    reports, S3, ...) is kept in both."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; expected one of {', '.join(FORMS)}")
    dropped = {AUTHZ_TABLE} if form == "tables" else set(ENTITY_TABLES)
    return {table: rows for table, rows in tables.items() if table not in dropped}


def authorization_details_rows(exports: Mapping[str, Export]) -> list[Row]:
    """The aws_iam_account_authorization_details rows of per-account exports, each read
    back from its JSON text as `soc2 scan` reads a file."""
    rows: list[Row] = []
    for account_id, export in exports.items():
        document = json.loads(json.dumps(export))
        rows += authz_export.convert_export(document, account_id=account_id)[AUTHZ_TABLE]
    return rows


def form_tables(workload: Workload, form: str) -> Tables:
    """The raw tables of `workload` in `form`, converted with authz_export when it is not
    the form the shape is made in."""
    change = conversion(workload.shape, form)
    if workload.tables is not None:  # generated per-entity tables
        tables = in_form(workload.tables, form)
        if change == "tables->export":
            tables[AUTHZ_TABLE] = authorization_details_rows(workload.exports())
        return tables
    assert workload.export is not None  # both forms as `soc2 scan` loads the export
    return in_form(authz_export.convert_export(workload.export), form)


# --- dbt on one engine ---------------------------------------------------------------------------


@dataclass
class EngineResult:
    """What one engine did on one workload."""

    engine: str
    write_seconds: float
    seed_seconds: float
    seconds: float
    peak_mb: float | None
    dbt_elapsed_seconds: float | None
    models: int
    rows: dict[str, int] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class _Setup:
    """Where one engine's raw tables go and the dbt project that reads them."""

    engine: str
    raw: rawdb.RawTarget
    project: warehouse.UserProject
    marts_schema: str
    schema_prefix: str


def postgres_prefix(output: Path, name: str) -> str:
    """The PostgreSQL schema prefix of one workload and form: `soc2_bench_`, a tag of the
    output directory, then the name. Runs into different directories on one server never
    share a prefix, so one run's reset (which drops `<prefix>_*`) cannot drop another's
    schemas; a rerun into the same directory replaces its own."""
    tag = hashlib.sha256(str(output.resolve()).encode("utf-8")).hexdigest()[:6]
    return f"soc2_bench_{tag}_{name.replace('-', '_')}"


def _setup(engine: str, name: str, output: Path) -> _Setup:
    directory = output / name / engine
    variables = {
        "soc2_aws_schema": RAW_SCHEMA,
        "soc2_as_of": generator.DEFAULT_AS_OF.date().isoformat(),
    }
    if engine == "duckdb":
        path = directory / "warehouse.duckdb"
        profile: dict[str, object] = {
            "type": "duckdb", "path": str(path), "schema": "main", "threads": THREADS,
            "settings": {"memory_limit": DUCKDB_MEMORY_LIMIT},
        }  # fmt: skip
        raw = rawdb.RawTarget(kind="duckdb", path=path, schema=RAW_SCHEMA)
        project = warehouse.UserProject(directory / "project", profile, variables)
        return _Setup(engine, raw, project, warehouse.marts_schema("main"), "")
    server = warehouse.postgres_settings()
    prefix = postgres_prefix(output, name)
    raw = rawdb.RawTarget(kind="postgres", schema=f"{prefix}_{RAW_SCHEMA}", postgres=server)
    variables["soc2_aws_schema"] = raw.schema
    project = warehouse.UserProject(
        directory / "project",
        server.dbt_profile(prefix, THREADS),
        variables,
        env=server.dbt_environment(),
    )
    return _Setup(engine, raw, project, warehouse.marts_schema(prefix), prefix)


def _reset(setup: _Setup) -> None:
    """Start from an empty DuckDB file or empty PostgreSQL schemas."""
    if setup.engine == "duckdb":
        path = Path(str(setup.raw.path))
        for stale in (path, path.with_name(path.name + ".wal")):
            stale.unlink(missing_ok=True)
        return
    warehouse.drop_schemas(setup.schema_prefix, setup.raw.server)


def _dbt(setup: _Setup, *arguments: str) -> Measured:
    command, env = setup.project.invocation(arguments)
    measured = measure(command, cwd=setup.project.directory, env=env)
    if measured.returncode != 0:
        raise BenchmarkError(
            f"{setup.engine}: `dbt {' '.join(arguments)}` failed "
            f"(exit {measured.returncode}):\n{measured.tail()}"
        )
    return measured


def selected_marts(selector: str) -> list[str]:
    """The models a selector names with a leading '+', e.g. the three CIEM marts."""
    return [token[1:] for token in selector.split() if token.startswith("+") and len(token) > 1]


def _built_models(project: warehouse.UserProject) -> tuple[list[str], float | None]:
    path = project.directory / "target" / "run_results.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    models = [
        str(r["unique_id"]).rsplit(".", 1)[-1]
        for r in document["results"]
        if str(r["unique_id"]).startswith("model.") and r["status"] == "success"
    ]
    elapsed = document.get("elapsed_time")
    return models, float(elapsed) if isinstance(elapsed, int | float) else None


def write_raw(setup: _Setup, tables: Tables) -> float:
    """Write the raw tables of one engine from scratch; seconds taken."""
    _reset(setup)
    started = time.perf_counter()
    rawdb.write_tables(tables, setup.raw, sync_time=generator.DEFAULT_AS_OF)
    return time.perf_counter() - started


def run_engine(
    setup: _Setup, write_seconds: float, selector: str, *, keep_postgres: bool = False
) -> EngineResult:
    """dbt deps and seed (untimed), then time `dbt run` of the selector on written raw tables.

    PostgreSQL schemas are dropped afterwards unless `keep_postgres`; the DuckDB
    file stays in the output directory either way.
    """
    setup.project.install()
    selection = ["--select", *selector.split()]
    seeded = _dbt(setup, "seed", *selection)
    measured = _dbt(setup, "run", *selection)
    models, elapsed = _built_models(setup.project)
    missing = [mart for mart in selected_marts(selector) if mart not in models]
    if missing:
        raise BenchmarkError(
            f"{setup.engine}: `dbt run --select {selector}` did not build {', '.join(missing)}; "
            "does this version of the package have them?\n" + measured.tail(15)
        )
    rows = _row_counts(setup, selected_marts(selector))
    if setup.engine == "postgres" and not keep_postgres:
        warehouse.drop_schemas(setup.schema_prefix, setup.raw.server)
    note = ""
    if setup.engine == "postgres":
        note = "dbt process only; PostgreSQL server memory not included"
    return EngineResult(
        setup.engine, write_seconds, seeded.seconds, measured.seconds, measured.peak_mb, elapsed,
        len(models), rows, note,
    )  # fmt: skip


def _row_counts(setup: _Setup, marts: Sequence[str]) -> dict[str, int]:
    queries = {m: f"select count(*) from {setup.marts_schema}.{m}" for m in marts}
    if setup.engine == "duckdb":
        import duckdb

        with duckdb.connect(str(setup.raw.path), read_only=True) as connection:
            return {m: int(connection.execute(q).fetchone()[0]) for m, q in queries.items()}
    connection = setup.raw.server.connect()
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
    """Cloudsplaining's scans of every account of one workload, summed."""

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


def _exclusions_file(output: Path) -> Path:
    path = output / "cloudsplaining-exclusions.yml"
    path.write_text(yaml.safe_dump(NO_EXCLUSIONS, sort_keys=False), encoding="utf-8")
    return path


def write_cloudsplaining_inputs(
    exports: Mapping[str, Export], directory: Path
) -> tuple[list[Path], int]:
    """One input file per account (unparsable documents emptied); the files and how many
    documents were emptied."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    files, replaced = [], 0
    for account_id, export in exports.items():
        cleaned, count = for_cloudsplaining(export)
        replaced += count
        path = directory / f"{account_id}.json"
        path.write_text(json.dumps(cleaned, ensure_ascii=False), encoding="utf-8")
        files.append(path)
    return files, replaced


def cloudsplaining_command(
    executable: Path, input_file: Path, report: Path, exclusions: Path | None
) -> list[str]:
    """`cloudsplaining scan` on one file, with an exclusions file or its defaults."""
    command = [str(executable), "scan", "--input-file", str(input_file), "--output", str(report)]
    if exclusions is not None:
        command += ["--exclusions-file", str(exclusions)]
    return [*command, "--skip-open-report"]


def run_cloudsplaining(
    files: Sequence[Path], replaced: int, directory: Path, executable: Path, exclusions: Path
) -> CloudsplainingResult:
    """Time `cloudsplaining scan` on each input file; the sum."""
    seconds, peak = 0.0, 0.0
    for input_file in files:
        report = directory / "report" / input_file.stem
        report.mkdir(parents=True, exist_ok=True)
        command = cloudsplaining_command(executable, input_file, report, exclusions)
        measured = measure(command, cwd=directory)
        if measured.returncode != 0:
            raise BenchmarkError(
                f"cloudsplaining failed on {input_file} (exit {measured.returncode}):\n"
                + measured.tail()
            )
        seconds += measured.seconds
        peak = max(peak, measured.peak_mb or 0.0)
    return CloudsplainingResult(len(files), seconds, peak or None, replaced)


# --- soc2 scan against cloudsplaining scan -------------------------------------------------------


@dataclass
class ScanComparison:
    """`soc2 scan` and `cloudsplaining scan` on one export file, wall seconds."""

    export: str
    first_scan_seconds: float
    scan_seconds: list[float]
    cloudsplaining_seconds: list[float] = field(default_factory=list)
    cloudsplaining_no_exclusions_seconds: list[float] = field(default_factory=list)


def compare_scans(example: Path, output: Path, executable: Path | None) -> ScanComparison:
    """`soc2 scan` once with an empty plan cache (dbt compiles the package), then
    SCAN_REPEATS times with the cached plan; Cloudsplaining SCAN_REPEATS times with its
    default exclusions and with an exclusions file that excludes nothing."""
    directory = output / "scan"
    cache = directory / "plan-cache"
    shutil.rmtree(cache, ignore_errors=True)
    command = [
        sys.executable, "-m", "soc2_tools.cli", "scan", "--aws-authorization-details",
        str(example), "--output", str(directory / "out"), "--cache-dir", str(cache),
    ]  # fmt: skip

    def timed(run: Sequence[str]) -> float:
        started = time.perf_counter()
        result = subprocess.run(run, cwd=directory, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise BenchmarkError(
                f"`{' '.join(run)}` failed:\n" + warehouse.tail(result.stdout + result.stderr)
            )
        return seconds

    directory.mkdir(parents=True, exist_ok=True)
    comparison = ScanComparison(
        str(example), timed(command), [timed(command) for _ in range(SCAN_REPEATS)]
    )
    if executable is not None:
        exclusions = _exclusions_file(output)
        report = directory / "cloudsplaining"
        report.mkdir(parents=True, exist_ok=True)
        for excluded, seconds in (
            (None, comparison.cloudsplaining_seconds),
            (exclusions, comparison.cloudsplaining_no_exclusions_seconds),
        ):
            run = cloudsplaining_command(executable, example, report, excluded)
            seconds += [timed(run) for _ in range(SCAN_REPEATS)]
    return comparison


def render_scans(comparison: ScanComparison) -> str:
    """The side-by-side lines (medians)."""
    rows = [
        ("soc2 scan, first run (dbt compiles the package's plan)", [comparison.first_scan_seconds]),
        ("soc2 scan, cached plan", comparison.scan_seconds),
        ("cloudsplaining scan, default exclusions", comparison.cloudsplaining_seconds),
        (
            "cloudsplaining scan, exclusions excluding nothing",
            comparison.cloudsplaining_no_exclusions_seconds,
        ),
    ]
    lines = [
        f"soc2 scan and cloudsplaining scan on {comparison.export} "
        f"(wall seconds, median of {SCAN_REPEATS}):"
    ]
    lines += [f"  {label:<56}{statistics.median(v):6.2f} s" for label, v in rows if v]
    return "\n".join(lines)


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


def _choices(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        unknown = sorted(set(chosen) - set(allowed))
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}; got {text!r}")
        return chosen

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `soc2 benchmark`."""
    parser.add_argument(
        "--sizes",
        type=_int_list,
        default=list(DEFAULT_SIZES),
        help="principals (users + roles) per run, comma-separated (default: 1000,5000,10000)",
    )
    parser.add_argument(
        "--shapes",
        type=_choices(SHAPES),
        default=list(SHAPES),
        help="comma-separated: multi (generated organisation), single (one account, the "
        "sample export replicated); default: both",
    )
    parser.add_argument(
        "--forms",
        type=_choices(FORMS),
        default=list(FORMS),
        help="comma-separated input forms: tables (CloudQuery's per-entity IAM tables), "
        "export (aws_iam_account_authorization_details); default: both",
    )
    parser.add_argument(
        "--engines",
        type=_choices(ENGINES),
        default=list(ENGINES),
        help="comma-separated: duckdb, postgres (default: both)",
    )
    parser.add_argument(
        "--cloudsplaining",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also time Cloudsplaining {CLOUDSPLAINING_VERSION} on the same input, up to "
        f"{CLOUDSPLAINING_MAX:,} principals",
    )
    parser.add_argument(
        "--scan",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time `soc2 scan` against `cloudsplaining scan` on the sample export",
    )
    parser.add_argument(
        "--scan-export",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"the export of that comparison and of the single shape (default: {SAMPLE_EXPORT})",
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
        help="keep the PostgreSQL schemas soc2_bench_* of the run (dropped by default)",
    )


@dataclass
class FormResult:
    """One workload in one input form: how its input was made and what each engine did."""

    form: str
    conversion: str
    prepare_seconds: float
    raw_rows: int
    engines: dict[str, EngineResult] = field(default_factory=dict)


@dataclass
class SizeResult:
    """Everything measured on one workload (a shape at a size)."""

    shape: str
    requested: int
    principals: int
    policies: int
    accounts: int
    generate_seconds: float
    process_peak_mb: float
    forms: dict[str, FormResult] = field(default_factory=dict)
    cloudsplaining: CloudsplainingResult | None = None
    cloudsplaining_note: str = ""


def run(args: argparse.Namespace) -> int:
    """Measure every size, shape and form on every engine; print and write the figures.

    Exits 1 when a step fails, and also when the two forms of one workload give different
    CIEM mart row counts on an engine (a correctness failure, printed loudly)."""
    output: Path = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    print(
        f"soc2 benchmark: sizes {args.sizes}, shapes {args.shapes}, forms {args.forms}, "
        f"engines {args.engines}, selector {args.select!r}"
    )
    if not gnu_time_available():
        print("      (no GNU time: peak memory is polled from /proc/<pid>/status VmHWM)")
    example = (args.scan_export or warehouse.repository_root() / SAMPLE_EXPORT).resolve()
    comparison = None
    try:
        executable = ensure_cloudsplaining(output) if args.cloudsplaining else None
        if args.scan:
            print(f"[scan] soc2 scan and cloudsplaining scan on {example} ...", flush=True)
            comparison = compare_scans(example, output, executable)
            print(render_scans(comparison), flush=True)
        sample = sample_export(example)
        results = [
            measure_workload(shape, size, sample, args, output, executable)
            for size in args.sizes
            for shape in args.shapes
        ]
    except (BenchmarkError, warehouse.WarehouseError) as error:
        print(f"soc2 benchmark: {error}")
        return 1
    print()
    if comparison is not None:
        print(render_scans(comparison) + "\n")
    print(render_table(results, args.engines))
    mismatches = [line for result in results for line in form_mismatches(result)]
    path = output / "benchmark.json"
    document = _document(results, comparison, args, mismatches)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"\nFigures written to {path}")
    if mismatches:
        print(render_mismatches(mismatches), flush=True)
        print(render_mismatches(mismatches), file=sys.stderr)
        return 1
    return 0


def measure_workload(
    shape: str,
    requested: int,
    sample: Mapping[str, object],
    args: argparse.Namespace,
    output: Path,
    executable: Path | None,
) -> SizeResult:
    """Generate, write the raw tables of every form on every engine (and Cloudsplaining's
    input), free the rows, then time dbt on each form and engine and Cloudsplaining."""
    name = f"{shape}-{requested}"
    print(f"[{name}] generating ...", flush=True)
    workload = make_workload(shape, requested, sample)
    result = SizeResult(
        shape, requested, workload.principals, workload.policies, workload.accounts,
        workload.generate_seconds, workload.process_peak_mb,
    )  # fmt: skip
    print(
        f"      {workload.accounts} accounts, {workload.principals:,} principals, "
        f"{workload.policies:,} customer policies in {workload.generate_seconds:.1f} s "
        f"(this process: peak {workload.process_peak_mb:,.0f} MB)",
        flush=True,
    )
    setups: dict[str, dict[str, _Setup]] = {}
    written: dict[str, dict[str, float]] = {}
    for form in args.forms:
        setups[form], written[form] = _write_form(result, workload, form, args.engines, output)
    cs_files: list[Path] = []
    replaced = 0
    cs_directory = output / name / "cloudsplaining"
    if executable is not None and workload.principals <= CLOUDSPLAINING_MAX:
        cs_files, replaced = write_cloudsplaining_inputs(workload.exports(), cs_directory / "input")
    elif executable is not None:
        result.cloudsplaining_note = f"skipped above {CLOUDSPLAINING_MAX:,} principals"
    workload.release()
    gc.collect()
    for form, form_setups in setups.items():
        for engine, setup in form_setups.items():
            print(f"[{name}-{form}] {engine}: dbt seed, dbt run (timed) ...", flush=True)
            outcome = run_engine(
                setup, written[form][engine], args.select, keep_postgres=args.keep_postgres
            )
            result.forms[form].engines[engine] = outcome
            print("      " + _line(result, form, engine, outcome.seconds, outcome.peak_mb))
    if cs_files and executable is not None:
        print(f"[{name}] cloudsplaining: {len(cs_files)} accounts ...", flush=True)
        scanned = run_cloudsplaining(
            cs_files, replaced, cs_directory, executable, _exclusions_file(output)
        )
        result.cloudsplaining = scanned
        line = _line(result, "export", "cloudsplaining", scanned.seconds, scanned.peak_mb)
        print(f"      {line}  ({replaced} unparsable documents given as empty policies)")
    elif result.cloudsplaining_note:
        print(f"[{name}] cloudsplaining: {result.cloudsplaining_note}")
    mismatches = form_mismatches(result)
    if mismatches:
        print(render_mismatches(mismatches), flush=True)
    return result


def _write_form(
    result: SizeResult, workload: Workload, form: str, engines: Sequence[str], output: Path
) -> tuple[dict[str, _Setup], dict[str, float]]:
    """Make the workload's input in `form` and write it to every engine; the setups and
    the seconds each write took. The rows are freed on return."""
    started = time.perf_counter()
    tables = form_tables(workload, form)
    seconds = time.perf_counter() - started
    rows = sum(len(r) for r in tables.values())
    change = conversion(workload.shape, form)
    result.forms[form] = FormResult(form, change, seconds, rows)
    print(
        f"      form {form}: {rows:,} raw rows in {len(tables)} tables"
        + (f", converted {change} in {seconds:.1f} s" if change else f", made in {seconds:.1f} s"),
        flush=True,
    )
    name = f"{workload.shape}-{workload.requested}-{form}"
    setups = {engine: _setup(engine, name, output) for engine in engines}
    written = {engine: write_raw(setup, tables) for engine, setup in setups.items()}
    return setups, written


def form_mismatches(result: SizeResult) -> list[str]:
    """One line per engine and mart whose row count differs between the forms of `result`
    (engines measured in one form only are not compared)."""
    lines: list[str] = []
    engines = sorted({engine for f in result.forms.values() for engine in f.engines})
    for engine in engines:
        counts = {
            form: f.engines[engine].rows for form, f in result.forms.items() if engine in f.engines
        }
        if len(counts) < 2:
            continue
        marts = sorted({mart for rows in counts.values() for mart in rows})
        for mart in marts:
            values = {form: rows.get(mart) for form, rows in counts.items()}
            if len(set(values.values())) > 1:
                shown = ", ".join(f"{form} {_count(v)}" for form, v in values.items())
                lines.append(
                    f"{result.shape} {result.requested:,} on {engine}: {mart} rows differ "
                    f"between input forms ({shown})"
                )
    return lines


def render_mismatches(mismatches: Sequence[str]) -> str:
    """The loud block printed when the forms of a workload disagree."""
    bar = "!" * 78
    return "\n".join(
        [
            bar,
            "INPUT FORMS DISAGREE: the same workload gave different CIEM mart row counts",
            *(f"  {line}" for line in mismatches),
            bar,
        ]
    )


def _count(value: int | None) -> str:
    return "missing" if value is None else f"{value:,}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _line(result: SizeResult, form: str, engine: str, seconds: float, peak_mb: float | None) -> str:
    return (
        f"{result.shape:<6} {result.requested:>7}  {form:<6} {engine:<14} "
        f"principals {result.principals:>7,}  {seconds:>8.1f} s  peak {_mb(peak_mb):>6} MB"
    )


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _short(mart: str) -> str:
    return mart.removeprefix("soc2__ciem_")


TABLE_NOTES = (
    "seconds: wall time of `dbt run` of the selection (dbt start-up included; seeds loaded "
    "before, untimed); s/1k: seconds per 1,000 principals; x duck: seconds / DuckDB's on the "
    "same shape, size and form (Cloudsplaining: DuckDB's on the export form); input s: "
    "generating the shape plus making this form (conversion with authz_export).",
    "form: tables = CloudQuery's per-entity IAM tables, export = "
    "aws_iam_account_authorization_details; conversion: how the form was made from the "
    "shape's own (multi is generated as tables, single is an export). cloudsplaining: "
    f"`cloudsplaining scan` on the exports, summed over accounts (skipped above "
    f"{CLOUDSPLAINING_MAX:,} principals).",
    "MB: peak resident memory of the child process; for postgres the dbt process only "
    "(server memory not included). policies: customer-managed. The last columns are the "
    "row counts of the CIEM marts.",
)


def render_table(results: Sequence[SizeResult], engines: Sequence[str]) -> str:
    """One line per shape, size, form and engine (seconds, peak MB, seconds per 1,000
    principals, ratio to DuckDB, mart row counts), and one Cloudsplaining line per shape
    and size."""
    marts = _marts_of(results)
    header = (
        f"{'shape':<7}{'size':>8}  {'form':<7}{'engine':<15}{'conversion':<15}{'accts':>6}"
        f"{'principals':>11}{'policies':>9}{'input s':>8}{'seconds':>9}{'MB':>7}{'s/1k':>7}"
        f"{'x duck':>7}"
    )
    header += "".join(f"{_short(m):>14}" for m in marts)
    lines = [header]
    for r in results:
        lead = f"{r.shape:<7}{r.requested:>8,}  "
        facts = f"{r.accounts:>6}{r.principals:>11,}{r.policies:>9,}"
        for form, f in r.forms.items():
            duck = f.engines.get("duckdb")
            for engine in engines:
                e = f.engines.get(engine)
                seconds = e.seconds if e else None
                line = (
                    f"{lead}{form:<7}{engine:<15}{f.conversion or '-':<15}{facts}"
                    f"{r.generate_seconds + f.prepare_seconds:>8.1f}{_seconds(seconds):>9}"
                    f"{_mb(e and e.peak_mb):>7}{_ratio(seconds, r.principals / 1000):>7}"
                    f"{_ratio(seconds, duck and duck.seconds):>7}"
                )
                line += "".join(f"{_count(e.rows.get(m)) if e else '-':>14}" for m in marts)
                lines.append(line)
        if r.cloudsplaining is not None or r.cloudsplaining_note:
            lines.append(_cloudsplaining_line(r, lead, facts))
    return "\n".join([*lines, "", *TABLE_NOTES])


def _cloudsplaining_line(r: SizeResult, lead: str, facts: str) -> str:
    prefix = f"{lead}{'export':<7}{'cloudsplaining':<15}{'-':<15}{facts}{r.generate_seconds:>8.1f}"
    cs = r.cloudsplaining
    if cs is None:
        return f"{prefix}{'skipped':>9}{'-':>7}{'-':>7}{'-':>7}"
    export_form = r.forms.get("export")
    duck = export_form.engines.get("duckdb") if export_form else None
    per_thousand = _ratio(cs.seconds, r.principals / 1000)
    to_duck = _ratio(cs.seconds, duck and duck.seconds)
    return f"{prefix}{_seconds(cs.seconds):>9}{_mb(cs.peak_mb):>7}{per_thousand:>7}{to_duck:>7}"


def _marts_of(results: Sequence[SizeResult]) -> list[str]:
    found = {
        mart
        for r in results
        for f in r.forms.values()
        for e in f.engines.values()
        for mart in e.rows
    }
    return [m for m in CIEM_MARTS if m in found] + sorted(found - set(CIEM_MARTS))


def _document(
    results: Sequence[SizeResult],
    comparison: ScanComparison | None,
    args: argparse.Namespace,
    mismatches: Sequence[str],
) -> dict[str, object]:
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "selector": args.select,
        "threads": THREADS,
        "seed": SEED,
        "cloudsplaining_version": CLOUDSPLAINING_VERSION if args.cloudsplaining else None,
        "peak_memory_method": "GNU time %M" if gnu_time_available() else "/proc VmHWM polling",
        "forms": list(args.forms),
        "form_mismatches": list(mismatches),
        "scan_comparison": None if comparison is None else asdict(comparison),
        "workloads": [asdict(r) for r in results],
    }
