"""`soc2 demo`: generate a demo organisation, build the package on DuckDB (a file) or
PostgreSQL (schemas of the SOC2_PG_* server) and print the result."""

from __future__ import annotations

import argparse
import importlib.util
import re
import time
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from soc2_tools import demo_history, generator, rawdb, sql_session, summary, warehouse

RAW_SCHEMA = "cloudquery"
DUCKDB_TARGET_SCHEMA = "main"
DEFAULT_POSTGRES_SCHEMA = "soc2_demo"
# PostgreSQL's identifiers have at most 63 bytes; the longest schema of a demo is the
# target schema with "_soc2_marts" or "_cloudquery" (11 characters) appended.
LONGEST_SUFFIX = max(len(f"_{warehouse.MARTS_SCHEMA_SUFFIX}"), len(f"_{RAW_SCHEMA}"))
SCHEMA_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")
ENGINE_NAMES = {"duckdb": "DuckDB", "postgres": "PostgreSQL"}


class DemoError(Exception):
    """Bad arguments or an unusable server; the message says what to do."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=sql_session.ENGINES,
        default="duckdb",
        help="where to build: a DuckDB file in --output-dir (default), or the PostgreSQL"
        " server of the SOC2_PG_* variables",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=warehouse.repository_root() / ".demo",
        help="where the DuckDB file and the demo dbt project go (default: .demo/)",
    )
    parser.add_argument(
        "--schema",
        help=f"PostgreSQL: the dbt target schema (default {DEFAULT_POSTGRES_SCHEMA}); the raw"
        f" tables go to <schema>_{RAW_SCHEMA}, the marts to <schema>_"
        f"{warehouse.MARTS_SCHEMA_SUFFIX}. The previous demo's <schema> and <schema>_*"
        " are dropped first",
    )
    parser.add_argument(
        "--bi-role",
        help="PostgreSQL: an existing role granted read access to the marts (var soc2_bi_roles)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="size of the organisation")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generator")
    parser.add_argument(
        "--as-of", default="2026-06-30", help="evaluation date of the demo (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--history-days",
        type=int,
        default=90,
        help="days of Type II history simulated before --as-of from its results (default 90;"
        " 0: none, only the real day)",
    )


@dataclass(frozen=True)
class Target:
    """Where one demo is built: the raw tables, the dbt project, the marts' schema and how
    to open a SQL session on them."""

    engine: str
    raw: rawdb.RawTarget
    project: warehouse.UserProject
    marts: str
    open_session: sql_session.SessionFactory
    database: Path | None = None
    server: warehouse.PostgresSettings | None = None

    def describe(self) -> str:
        if self.server is not None:
            return f"PostgreSQL {self.server.describe()}"
        return f"DuckDB {self.database}"


def check_arguments(args: argparse.Namespace) -> None:
    """DemoError for arguments that cannot work, before anything is written."""
    if args.history_days < 0:
        raise DemoError("--history-days must be 0 or more")
    try:
        datetime.fromisoformat(args.as_of)
    except ValueError as error:
        raise DemoError(f"--as-of must be a date YYYY-MM-DD, got {args.as_of!r}") from error
    if args.engine == "duckdb":
        for option, value in (("--bi-role", args.bi_role), ("--schema", args.schema)):
            if value is not None:
                raise DemoError(
                    f"{option} applies to --engine postgres only; a DuckDB file has no roles"
                    f" and the demo builds into its schemas {warehouse.package_schema('main')}"
                    f" and {warehouse.marts_schema('main')}"
                )
        return
    schema = postgres_schema(args)
    if not SCHEMA_PATTERN.fullmatch(schema) or len(schema) + LONGEST_SUFFIX > 63:
        raise DemoError(
            f"--schema must be a lowercase SQL name (letters, digits, _) of at most"
            f" {63 - LONGEST_SUFFIX} characters, got {schema!r}"
        )
    if args.bi_role is not None and not args.bi_role.strip():
        raise DemoError("--bi-role must name a role")


def postgres_schema(args: argparse.Namespace) -> str:
    return str(args.schema or DEFAULT_POSTGRES_SCHEMA)


def duckdb_target(args: argparse.Namespace, output_dir: Path) -> Target:
    """A fresh DuckDB file in the output directory."""
    database = output_dir / "soc2_demo.duckdb"
    database.unlink(missing_ok=True)
    project = warehouse.UserProject(
        directory=output_dir / "project",
        profile={
            "type": "duckdb",
            "path": str(database),
            "schema": DUCKDB_TARGET_SCHEMA,
            "threads": 2,
        },
        vars={"soc2_aws_schema": RAW_SCHEMA, "soc2_as_of": args.as_of},
    )
    return Target(
        engine="duckdb",
        raw=rawdb.RawTarget(kind="duckdb", path=database, schema=RAW_SCHEMA),
        project=project,
        marts=warehouse.marts_schema(DUCKDB_TARGET_SCHEMA),
        open_session=partial(sql_session.duckdb_session, database),
        database=database,
    )


def check_postgres(server: warehouse.PostgresSettings, role: str | None) -> None:
    """DemoError when dbt-postgres is missing, the server does not answer or the BI role
    does not exist."""
    if importlib.util.find_spec("dbt.adapters.postgres") is None:
        raise DemoError(
            "--engine postgres needs dbt-postgres in this environment: pip install dbt-postgres"
        )
    try:
        warehouse.require_postgres(server)
    except warehouse.WarehouseError as error:
        raise DemoError(str(error)) from error
    if role is None:
        return
    with sql_session.postgres_session(server) as session:
        found = session.query("select 1 from pg_roles where rolname = ?", [role])
    if not found:
        raise DemoError(
            f"--bi-role {role}: there is no role {role!r} on PostgreSQL {server.describe()}."
            f" Create it first (e.g. create role {warehouse.quote_identifier(role)} nologin;)"
            " or leave --bi-role out; the package grants, it never creates roles"
        )


def postgres_target(args: argparse.Namespace, output_dir: Path) -> Target:
    """Empty schemas on the SOC2_PG_* server, once it answers and the BI role exists."""
    server = warehouse.postgres_settings()
    check_postgres(server, args.bi_role)
    schema = postgres_schema(args)
    print(f"[0/4] dropping the previous demo's schemas {schema} and {schema}_* ...")
    dropped = warehouse.drop_schemas(schema, server)
    print(f"      dropped {', '.join(dropped) if dropped else 'none (there were none)'}")
    raw = rawdb.RawTarget(kind="postgres", schema=f"{schema}_{RAW_SCHEMA}", postgres=server)
    variables: dict[str, object] = {"soc2_aws_schema": raw.schema, "soc2_as_of": args.as_of}
    if args.bi_role is not None:
        variables["soc2_bi_roles"] = [args.bi_role]
    project = warehouse.UserProject(
        directory=output_dir / "project-postgres",
        profile=server.dbt_profile(schema, threads=2),
        vars=variables,
        env=server.dbt_environment(),
    )
    return Target(
        engine="postgres",
        raw=raw,
        project=project,
        marts=warehouse.marts_schema(schema),
        open_session=partial(sql_session.postgres_session, server),
        server=server,
    )


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    try:
        check_arguments(args)
        output_dir: Path = args.output_dir.resolve()
        output_dir.mkdir(parents=True, exist_ok=True)
        if args.engine == "postgres":
            target = postgres_target(args, output_dir)
        else:
            target = duckdb_target(args, output_dir)
    except DemoError as error:
        print(f"soc2 demo: {error}")
        return 2
    as_of = datetime.fromisoformat(args.as_of)

    print(f"[1/4] generating a demo organisation (scale {args.scale}, seed {args.seed}) ...")
    tables = generator.generate_organisation(
        generator.OrgSize().scaled(args.scale), seed=args.seed, as_of=as_of
    )
    counts = rawdb.write_tables(tables, target.raw)
    print(
        f"      wrote {sum(counts.values())} rows into {len(counts)} CloudQuery tables"
        f" ({target.raw.describe()})"
    )

    if not build(target):
        return 1
    try:
        plan = simulate_history(target, as_of.date(), args.history_days, args.seed)
    except warehouse.WarehouseError as error:
        print(f"soc2 demo: the simulated history failed: {error}")
        return 1

    print("[4/4] result\n")
    with target.open_session() as session:
        print(summary.render(session, target.marts))
        if plan is not None:
            print()
            print(summary.render_history(session, target.marts))
            print(
                f"  (only {plan.as_of} is a real build; the {len(plan.window)} days before it"
                " are simulated by `soc2 demo` from its results)"
            )
    print()
    print("\n".join(where_lines(target, plan, output_dir, args.bi_role)))
    print(f"Done in {time.monotonic() - started:.0f} s.")
    return 0


def build(target: Target) -> bool:
    """Step 2: dbt deps and dbt build; False (having printed why) when the build failed."""
    print(f"[2/4] building the soc2 package on {target.describe()} (dbt deps, dbt build) ...")
    target.project.install()
    result = target.project.dbt(["build"], check=False)
    # the package's exposure is a no-op node of the build, not a model, seed or test
    statuses = [
        str(item["status"])
        for item in target.project.run_results()
        if not str(item["unique_id"]).startswith("exposure.")
    ]
    errors = [s for s in statuses if s in ("error", "fail")]
    warned = statuses.count("warn")
    if result.returncode != 0 and errors:
        tail = "\n".join(result.stdout.splitlines()[-30:])
        print(tail)
        print(f"soc2 demo: the build failed ({len(errors)} errors)")
        return False
    if result.returncode != 0:
        print(warehouse.tail(result.stdout + result.stderr))
        print(f"soc2 demo: dbt build failed (exit {result.returncode})")
        return False
    print(
        f"      {len(statuses)} models, seeds and tests ran; {warned} tests warn "
        "(failing controls at or above the alert severity, as the demo intends)"
    )
    return True


def where_lines(
    target: Target,
    plan: demo_history.HistoryPlan | None,
    output_dir: Path,
    bi_role: str | None,
) -> list[str]:
    """Where the marts are and how to open them."""
    marts = target.marts
    evidence = "" if plan is None else f"soc2 evidence --from {plan.first_day} --to {plan.as_of}"
    if target.server is None:
        lines = [
            f"The marts are in schema {marts} of {target.database}",
            f"  open it with: duckdb {target.database}  then"
            f"  select * from {marts}.soc2__control_summary;",
        ]
        if plan is not None:
            lines.append(
                f"  the Type II evidence pack: {evidence} --duckdb {target.database}"
                f" --out {output_dir / 'evidence'}"
            )
        return lines
    server = target.server
    lines = [
        f"The marts are in schema {marts} of PostgreSQL {server.describe()}",
        f"  a BI tool connects with the SQLAlchemy URI {sql_session.sqlalchemy_uri(server)}"
        f" and reads schema {marts}"
        + (f" (role {bi_role} may read it)" if bi_role is not None else ""),
        f"  open it with: psql -h {server.host} -p {server.port} -U {server.user}"
        f" {server.dbname}  then  select * from {marts}.soc2__control_summary;",
    ]
    if plan is not None:
        dsn = f"host={server.host} port={server.port} user={server.user} dbname={server.dbname}"
        lines.append(
            f'  the Type II evidence pack: {evidence} --postgres "{dsn}" --schema {marts}'
            f" --out {output_dir / 'evidence'}"
        )
    return lines


def simulate_history(
    target: Target, as_of: date, days: int, seed: int
) -> demo_history.HistoryPlan | None:
    """Step 3: the simulated days before the real one, and the Type II marts over them."""
    if days == 0:
        print("[3/4] no simulated history (--history-days 0): the Type II marts hold one day")
        return None
    print(
        f"[3/4] simulating {days} earlier days of history from the {as_of} results"
        " (the demo's invention, not the package's) ..."
    )
    started = time.monotonic()
    plan, results = demo_history.simulate(target.open_session, target.marts, as_of, days, seed)
    derived = demo_history.run_derived_models(target.project, plan)
    skipped = ", ".join(str(day) for day in plan.skipped_days) or "none"
    print(
        f"      wrote {len(plan.recorded_days) * len(results)} result rows for"
        f" {len(plan.recorded_days)} days ({len(plan.skipped_days)} skipped: {skipped}),"
        f" then rebuilt the {len(derived)} models derived from the history"
        f" (dbt run --select {' '.join(demo_history.DERIVED_SELECTION)})"
        f" in {time.monotonic() - started:.0f} s"
    )
    return plan
