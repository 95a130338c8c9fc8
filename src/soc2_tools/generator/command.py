"""`soc2 generate`: write a generated organisation to DuckDB or PostgreSQL.

Generates nothing itself; it sizes the organisation (`--scale`), calls the
assembler and hands the tables to `rawdb`, which creates them in
CloudQuery's column layout.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime
from pathlib import Path

from soc2_tools import rawdb, warehouse
from soc2_tools.generator.assemble import generate_organisation
from soc2_tools.generator.organisation import DEFAULT_AS_OF, OrgSize


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `soc2 generate`."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--duckdb", type=Path, metavar="PATH", help="DuckDB file to write")
    where.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="DSN",
        help="PostgreSQL: the server of the SOC2_PG_* variables, or a libpq connection string",
    )
    parser.add_argument("--schema", default="cloudquery", help="schema (default: cloudquery)")
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (default: 1)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF.date(),
        metavar="DATE",
        help="evaluation date the data is relative to (default: 2026-06-30)",
    )


def run(args: argparse.Namespace) -> int:
    """Generate the organisation and write it to the target."""
    started = time.perf_counter()
    as_of = datetime.combine(args.as_of, datetime.min.time())
    size = OrgSize().scaled(args.scale)
    tables = generate_organisation(size, seed=args.seed, as_of=as_of)
    total = sum(len(rows) for rows in tables.values())
    print(
        f"generated {total:,} rows in {len(tables)} tables ({size.accounts} accounts, "
        f"scale {args.scale:g}, seed {args.seed}, as of {args.as_of}) "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    target = _target(args)
    stage = time.perf_counter()
    counts = rawdb.write_tables(tables, target, sync_time=as_of)
    print(
        f"wrote {len(counts)} tables to {target.describe()} in {time.perf_counter() - stage:.1f} s",
        flush=True,
    )
    print(f"done: {sum(counts.values()):,} rows in {time.perf_counter() - started:.1f} s")
    return 0


def _target(args: argparse.Namespace) -> rawdb.RawTarget:
    if args.duckdb is not None:
        return rawdb.RawTarget("duckdb", schema=args.schema, path=args.duckdb)
    server = (
        warehouse.PostgresSettings.from_dsn(args.postgres)
        if args.postgres
        else warehouse.postgres_settings()
    )
    return rawdb.RawTarget("postgres", schema=args.schema, postgres=server)
