"""The package's compiled SQL, run on DuckDB without dbt: what makes `soc2 scan` fast.

dbt takes about 10 s to start, parse the package and run its 81 models one node
at a time; DuckDB runs the same compiled SQL in about half a second. A *plan* is
what dbt would execute for one scan: the compiled SELECT and materialization of
every model the CIEM marts and the policy quarantine read (`SCAN_MARTS`), in
dependency order, plus the seed tables (the IAM action catalog among them) as dbt
loaded them.

dbt compiles the plan itself, once, in a throwaway project over empty raw tables of
the scan's exact columns: what the package compiles depends on which raw tables and
columns exist (its staging layer asks the adapter), on the vars, on the package's
files and on the versions of dbt, dbt-duckdb and DuckDB, never on the rows. Those
make the plan's key; a plan is cached under it and reused for every scan with the
same key. tests/python/test_scan.py checks that a scan's models equal those of a
full `dbt build` on the same input.

The plan is valid only where it was compiled: the scan's DuckDB catalog name (its
file name) and schemas are part of the compiled SQL, so they are fixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from soc2_tools import warehouse

PLAN_FORMAT = 2
# What a scan builds (DECISIONS 120): the CIEM marts and the policy quarantine, with
# every seed and model they read. An IAM export fills no other family's raw tables, so
# the control marts are left to `dbt build` on CloudQuery's inventory.
SCAN_MARTS = (
    "soc2__ciem_findings",
    "soc2__ciem_principals",
    "soc2__ciem_entitlements",
    "soc2__policy_quarantine",
)
PLAN_FILE = "plan.json"
SEEDS_FILE = "seeds.duckdb"
PACKAGE_PARTS = ("dbt_project.yml", "models", "macros", "seeds")
VERSIONED = ("dbt-core", "dbt-duckdb", "duckdb")
MATERIALIZATIONS = ("table", "view")
KEEP_PLANS = 8  # the cache keeps the plans used last; each is about 3 MB


class PlanError(RuntimeError):
    """A plan cannot be compiled or run; the message says why."""


@dataclass(frozen=True)
class Relation:
    """A relation the plan creates, as database.schema.identifier."""

    database: str
    schema: str
    identifier: str

    @property
    def quoted(self) -> str:
        return self.in_catalog(self.database)

    def in_catalog(self, catalog: str) -> str:
        """The quoted name of the same schema and identifier in another attached catalog."""
        return ".".join(warehouse.quote_identifier(p) for p in (catalog, *self.parts[1:]))

    @property
    def parts(self) -> tuple[str, str, str]:
        return self.database, self.schema, self.identifier


@dataclass(frozen=True)
class Step:
    """One model: its relation, `table` or `view`, and its compiled SELECT."""

    unique_id: str
    relation: Relation
    materialized: str
    sql: str

    def statement(self) -> str:
        # The SELECT may end in a line comment: the closing parenthesis goes on its own line.
        return f"create {self.materialized} {self.relation.quoted} as (\n{self.sql}\n)"


@dataclass(frozen=True)
class Plan:
    """Everything a scan runs: hooks, seeds, then the models in dependency order."""

    key: str
    directory: Path
    seeds: tuple[Relation, ...]
    hooks: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def database(self) -> str:
        return (self.seeds or tuple(step.relation for step in self.steps))[0].database

    @property
    def schemas(self) -> list[str]:
        relations = [*self.seeds, *(step.relation for step in self.steps)]
        return sorted({relation.schema for relation in relations})


# --- the key ---------------------------------------------------------------------------------


def package_digest(package_dir: Path) -> str:
    """sha256 of the package files that decide what compiles: paths and contents."""
    digest = hashlib.sha256()
    for path in _package_files(package_dir):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _package_files(package_dir: Path) -> list[Path]:
    files: list[Path] = []
    for part in PACKAGE_PARTS:
        path = package_dir / part
        files += [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sorted(files)


def raw_columns(connection: Any, schema: str) -> list[tuple[str, str, str]]:
    """(table, column, type) of every raw table in `schema`, in table and column order."""
    rows = connection.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? "
        "order by table_name, ordinal_position",
        [schema],
    ).fetchall()
    return [(str(t), str(c), str(d)) for t, c, d in rows]


def plan_key(
    package_dir: Path,
    columns: Sequence[tuple[str, str, str]],
    variables: Mapping[str, object],
    profile: Mapping[str, object],
) -> str:
    """What the compiled SQL depends on, hashed."""
    versions = {name: _version(name) for name in VERSIONED}
    document = {
        "format": PLAN_FORMAT,
        "versions": versions,
        "package": package_digest(package_dir),
        "raw_columns": [list(column) for column in columns],
        "vars": dict(variables),
        "profile": {k: v for k, v in profile.items() if k not in ("path", "threads")},
        "database": Path(str(profile["path"])).stem,
    }
    text = json.dumps(document, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


# --- the cache -----------------------------------------------------------------------------------


def load(cache_dir: Path, key: str) -> Plan | None:
    """The cached plan of `key`, or None."""
    directory = cache_dir / key
    try:
        document = json.loads((directory / PLAN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if document.get("format") != PLAN_FORMAT or not (directory / SEEDS_FILE).is_file():
        return None
    os.utime(directory)  # most recently used: pruned last
    return Plan(
        key=key,
        directory=directory,
        seeds=tuple(Relation(**r) for r in document["seeds"]),
        hooks=tuple(document["hooks"]),
        steps=tuple(
            Step(s["unique_id"], Relation(**s["relation"]), s["materialized"], s["sql"])
            for s in document["steps"]
        ),
    )


# --- compiling a plan with dbt -------------------------------------------------------------------


def compile_plan(
    cache_dir: Path,
    key: str,
    database: Path,
    raw_schema: str,
    package_dir: Path,
    profile: Mapping[str, object],
    variables: Mapping[str, object],
) -> Plan:
    """Compile the plan of `key` with dbt and cache it; return it.

    `database` is the scan's DuckDB file: its raw tables are copied, empty, into a file
    of the same name in a working directory, and a user project (`profile` pointed at
    that copy, `variables`) installs the package from `package_dir` and builds its
    seeds and models there.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=cache_dir))
    try:
        copy = work / database.name
        _empty_copy(database, copy, raw_schema)
        dbt_project = warehouse.UserProject(
            directory=work / "project",
            profile={**profile, "path": str(copy)},
            vars=variables,
            package_dir=package_dir,
        )
        dbt_project.install()
        dbt_project.dbt(
            [
                "build",
                *("--resource-type", "seed", "--resource-type", "model"),
                *("--select", *scan_selection()),
            ]
        )
        manifest = json.loads(
            (dbt_project.directory / "target" / "manifest.json").read_text(encoding="utf-8")
        )
        seeds, hooks, steps = _read_manifest(manifest, dbt_project.run_results())
        _save_seeds(copy, work / SEEDS_FILE, seeds)
        document = {
            "format": PLAN_FORMAT,
            "seeds": [asdict(s) for s in seeds],
            "hooks": list(hooks),
            "steps": [asdict(s) for s in steps],
        }
        (work / PLAN_FILE).write_text(json.dumps(document, indent=1), encoding="utf-8")
        for leftover in (copy, dbt_project.directory):
            _remove(leftover)
        _remove(work / (database.name + ".wal"))
        destination = cache_dir / key
        if destination.exists() and load(cache_dir, key) is None:
            shutil.rmtree(destination)  # an unreadable entry, e.g. from an older format
        try:
            work.rename(destination)
        except OSError:  # another scan cached the same plan first
            shutil.rmtree(work, ignore_errors=True)
        _prune(cache_dir, keep=KEEP_PLANS)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    plan = load(cache_dir, key)
    if plan is None:
        raise PlanError(f"the compiled plan in {cache_dir / key} cannot be read back")
    return plan


def scan_selection() -> list[str]:
    """dbt selectors of what a scan builds: the scan's marts and everything upstream."""
    return [f"+{mart}" for mart in SCAN_MARTS]


def _prune(cache_dir: Path, keep: int) -> None:
    """Remove all but the `keep` plans used last (plans of older package versions)."""
    plans = [p for p in cache_dir.iterdir() if p.is_dir() and (p / PLAN_FILE).is_file()]
    plans.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in plans[keep:]:
        shutil.rmtree(stale, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _empty_copy(source: Path, target: Path, schema: str) -> None:
    """`target` holds `source`'s tables of `schema` with their columns and no rows."""
    import duckdb

    with duckdb.connect(str(target)) as connection:
        connection.execute(f"attach {_literal(str(source))} as soc2_source (read_only)")
        quoted = warehouse.quote_identifier(schema)
        connection.execute(f"create schema {quoted}")
        tables = connection.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'soc2_source' and table_schema = ? order by table_name",
            [schema],
        ).fetchall()
        for (table,) in tables:
            name = warehouse.quote_identifier(str(table))
            connection.execute(
                f"create table {quoted}.{name} as select * from soc2_source.{quoted}.{name} limit 0"
            )
        connection.execute("detach soc2_source")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_manifest(
    manifest: Mapping[str, Any], results: Iterable[Mapping[str, object]]
) -> tuple[list[Relation], list[str], list[Step]]:
    """Seeds, on-run-start hooks and model steps (dependency order) of a build."""
    ran = {str(r["unique_id"]): r for r in results}
    failed = [uid for uid, r in ran.items() if r.get("status") not in ("success", "pass")]
    if failed:
        raise PlanError(f"dbt did not build {', '.join(sorted(failed))}")
    nodes: Mapping[str, Mapping[str, Any]] = manifest["nodes"]
    seeds = [_relation(nodes[uid]) for uid in sorted(ran) if uid.startswith("seed.")]
    hooks = [
        str(ran[uid].get("compiled_code") or "")
        for uid in sorted(ran)
        if uid.startswith("operation.") and "on-run-start" in uid
    ]
    models = {uid: nodes[uid] for uid in ran if uid.startswith("model.")}
    steps = [_step(uid, models[uid]) for uid in _dependency_order(models)]
    return seeds, [hook for hook in hooks if hook.strip()], steps


def _relation(node: Mapping[str, Any]) -> Relation:
    return Relation(str(node["database"]), str(node["schema"]), str(node["alias"]))


def _step(unique_id: str, node: Mapping[str, Any]) -> Step:
    materialized = str(node["config"]["materialized"])
    if materialized not in MATERIALIZATIONS:
        raise PlanError(f"{unique_id} is materialized as {materialized!r}; a plan runs only "
                        f"{' and '.join(MATERIALIZATIONS)} models")  # fmt: skip
    sql = node.get("compiled_code")
    if not sql:
        raise PlanError(f"{unique_id} has no compiled SQL in the manifest")
    return Step(unique_id, _relation(node), materialized, str(sql))


def _dependency_order(models: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Models after the models they read, ties broken by id (deterministic)."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(uid: str) -> None:
        if state.get(uid) == "done":
            return
        if state.get(uid) == "visiting":
            raise PlanError(f"dependency cycle through {uid}")
        state[uid] = "visiting"
        for parent in sorted(models[uid]["depends_on"]["nodes"]):
            if parent in models:
                visit(parent)
        state[uid] = "done"
        order.append(uid)

    for uid in sorted(models):
        visit(uid)
    return order


def _save_seeds(database: Path, target: Path, seeds: Sequence[Relation]) -> None:
    """The seed tables, as dbt loaded them, in their own file."""
    import duckdb

    with duckdb.connect(str(target)) as connection:
        connection.execute(f"attach {_literal(str(database))} as soc2_built (read_only)")
        for schema in sorted({seed.schema for seed in seeds}):
            connection.execute(f"create schema {warehouse.quote_identifier(schema)}")
        for seed in seeds:
            copy = seed.in_catalog(target.stem)
            connection.execute(
                f"create table {copy} as select * from {seed.in_catalog('soc2_built')}"
            )
        connection.execute("detach soc2_built")


# --- running a plan ------------------------------------------------------------------------------


def execute(plan: Plan, database: Path) -> int:
    """Create the plan's seeds and models in `database` (raw tables already loaded), in one
    transaction; return the number of models built."""
    import duckdb

    with duckdb.connect(str(database)) as connection:
        catalog = str(connection.execute("select current_database()").fetchone()[0])
        if catalog != plan.database:
            raise PlanError(
                f"the plan was compiled for a DuckDB file named {plan.database}.duckdb, "
                f"not {database.name}"
            )
        connection.execute("begin transaction")
        for hook in plan.hooks:
            connection.execute(hook)
        for schema in plan.schemas:
            connection.execute(f"create schema if not exists {warehouse.quote_identifier(schema)}")
        seeds_file = _literal(str(plan.directory / SEEDS_FILE))
        connection.execute(f"attach {seeds_file} as soc2_seeds (read_only)")
        for seed in plan.seeds:
            source = seed.in_catalog("soc2_seeds")
            connection.execute(f"create table {seed.quoted} as select * from {source}")
        for step in plan.steps:
            try:
                connection.execute(step.statement())
            except duckdb.Error as error:
                raise PlanError(f"{step.unique_id}: {error}") from error
        connection.execute("commit")
        connection.execute("detach soc2_seeds")
    return len(plan.steps)


def default_cache_dir() -> Path:
    """$SOC2_CACHE_DIR, else $XDG_CACHE_HOME/soc2, else ~/.cache/soc2; plans go in /scan-plans."""
    explicit = os.environ.get("SOC2_CACHE_DIR")
    if explicit:
        return Path(explicit) / "scan-plans"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "soc2" / "scan-plans"
