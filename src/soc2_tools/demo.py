"""`soc2 demo`: generate a demo organisation, build the package on DuckDB and
print the result."""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

from soc2_tools import generator, rawdb, summary, warehouse

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


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    output_dir: Path = args.output_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    database = output_dir / "soc2_demo.duckdb"
    database.unlink(missing_ok=True)
    as_of = datetime.fromisoformat(args.as_of)

    print(f"[1/3] generating a demo organisation (scale {args.scale}, seed {args.seed}) ...")
    tables = generator.generate_organisation(
        generator.OrgSize().scaled(args.scale), seed=args.seed, as_of=as_of
    )
    counts = rawdb.write_tables(
        tables, rawdb.RawTarget(kind="duckdb", path=database, schema=RAW_SCHEMA)
    )
    print(f"      wrote {sum(counts.values())} rows into {len(counts)} CloudQuery tables")

    print("[2/3] building the soc2 package on DuckDB (dbt deps, dbt build) ...")
    project = warehouse.UserProject(
        directory=output_dir / "project",
        profile={"type": "duckdb", "path": str(database), "schema": "main", "threads": 2},
        vars={"soc2_aws_schema": RAW_SCHEMA, "soc2_as_of": args.as_of},
    )
    project.install()
    result = project.dbt(["build"], check=False)
    statuses = [str(item["status"]) for item in project.run_results()]
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

    print("[3/3] result\n")
    print(summary.render(database, "main_soc2"))
    print(f"\nThe marts are in schema main_soc2 of {database}")
    print(
        f"  open it with: duckdb {database}  then  select * from main_soc2.soc2__control_summary;"
    )
    print(f"Done in {time.monotonic() - started:.0f} s.")
    return 0
