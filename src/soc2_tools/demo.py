"""`soc2 demo`: generate a demo organisation, build the package on DuckDB and
print the result."""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime
from pathlib import Path

from soc2_tools import demo_history, generator, rawdb, summary, warehouse

RAW_SCHEMA = "cloudquery"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=warehouse.repository_root() / ".demo",
        help="where the DuckDB file and the demo dbt project go (default: .demo/)",
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


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    output_dir: Path = args.output_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    database = output_dir / "soc2_demo.duckdb"
    database.unlink(missing_ok=True)
    as_of = datetime.fromisoformat(args.as_of)
    if args.history_days < 0:
        print("soc2 demo: --history-days must be 0 or more")
        return 2

    print(f"[1/4] generating a demo organisation (scale {args.scale}, seed {args.seed}) ...")
    tables = generator.generate_organisation(
        generator.OrgSize().scaled(args.scale), seed=args.seed, as_of=as_of
    )
    counts = rawdb.write_tables(
        tables, rawdb.RawTarget(kind="duckdb", path=database, schema=RAW_SCHEMA)
    )
    print(f"      wrote {sum(counts.values())} rows into {len(counts)} CloudQuery tables")

    print("[2/4] building the soc2 package on DuckDB (dbt deps, dbt build) ...")
    project = warehouse.UserProject(
        directory=output_dir / "project",
        profile={"type": "duckdb", "path": str(database), "schema": "main", "threads": 2},
        vars={"soc2_aws_schema": RAW_SCHEMA, "soc2_as_of": args.as_of},
    )
    project.install()
    result = project.dbt(["build"], check=False)
    # the package's exposure is a no-op node of the build, not a model, seed or test
    statuses = [
        str(item["status"])
        for item in project.run_results()
        if not str(item["unique_id"]).startswith("exposure.")
    ]
    errors = [s for s in statuses if s in ("error", "fail")]
    warned = statuses.count("warn")
    if result.returncode != 0 and errors:
        tail = "\n".join(result.stdout.splitlines()[-30:])
        print(tail)
        print(f"soc2 demo: the build failed ({len(errors)} errors)")
        return 1
    print(
        f"      {len(statuses)} models, seeds and tests ran; {warned} tests warn "
        "(failing controls at or above the alert severity, as the demo intends)"
    )

    try:
        plan = simulate_history(project, database, as_of.date(), args.history_days, args.seed)
    except warehouse.WarehouseError as error:
        print(f"soc2 demo: the simulated history failed: {error}")
        return 1

    print("[4/4] result\n")
    print(summary.render(database, "main_soc2"))
    if plan is not None:
        print()
        print(summary.render_history(database, "main_soc2"))
        print(
            f"  (only {plan.as_of} is a real build; the {len(plan.window)} days before it are"
            " simulated by `soc2 demo` from its results)"
        )
    print(f"\nThe marts are in schema main_soc2 of {database}")
    print(
        f"  open it with: duckdb {database}  then  select * from main_soc2.soc2__control_summary;"
    )
    if plan is not None:
        print(
            f"  the Type II evidence pack: soc2 evidence --from {plan.first_day} --to {plan.as_of}"
            f" --duckdb {database} --out {output_dir / 'evidence'}"
        )
    print(f"Done in {time.monotonic() - started:.0f} s.")
    return 0


def simulate_history(
    project: warehouse.UserProject, database: Path, as_of: date, days: int, seed: int
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
    plan, results = demo_history.simulate(database, "main_soc2", as_of, days, seed)
    derived = demo_history.run_derived_models(project, plan)
    skipped = ", ".join(str(day) for day in plan.skipped_days) or "none"
    print(
        f"      wrote {len(plan.recorded_days) * len(results)} result rows for"
        f" {len(plan.recorded_days)} days ({len(plan.skipped_days)} skipped: {skipped}),"
        f" then rebuilt the {len(derived)} models derived from the history"
        f" (dbt run --select {' '.join(demo_history.DERIVED_SELECTION)})"
        f" in {time.monotonic() - started:.0f} s"
    )
    return plan
