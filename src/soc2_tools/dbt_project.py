"""A throwaway dbt project that installs the soc2 package, as a user's would.

The demo, `soc2 scan` and the installation tests all build the package this
way: a project with `packages.yml` pointing at the package, a profile for one
engine, and the vars that locate CloudQuery's tables.
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

import yaml

from soc2_tools import rawdb


class DbtError(RuntimeError):
    """A dbt command failed; the message holds the tail of its output."""


@dataclass(frozen=True)
class UserProject:
    """Where the project lives and what it points at."""

    directory: Path
    profile: Mapping[str, object]
    vars: Mapping[str, object] = field(default_factory=dict)
    package_dir: Path = field(default_factory=rawdb.repository_root)
    name: str = "soc2_user_project"


def write_project(project: UserProject) -> None:
    """Write dbt_project.yml, packages.yml and profiles.yml."""
    project.directory.mkdir(parents=True, exist_ok=True)
    config = {
        "name": project.name,
        "version": "1.0.0",
        "config-version": 2,
        "profile": project.name,
        "vars": dict(project.vars),
        # Spark loads seeds through the package's escaping loader.
        "dispatch": [
            {"macro_namespace": "dbt", "search_order": [project.name, "soc2", "dbt"]},
        ],
    }
    packages = {"packages": [{"local": str(project.package_dir)}]}
    profiles = {project.name: {"target": "main", "outputs": {"main": dict(project.profile)}}}
    for file_name, content in (
        ("dbt_project.yml", config),
        ("packages.yml", packages),
        ("profiles.yml", profiles),
    ):
        (project.directory / file_name).write_text(yaml.safe_dump(content, sort_keys=False))


def dbt_executable() -> str:
    """The dbt of the running interpreter's environment."""
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if found is None:
        raise DbtError("dbt is not installed in this environment; run `make demo` first")
    return found


def run_dbt(
    project: UserProject,
    arguments: Sequence[str],
    *,
    check: bool = True,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one dbt command in the project, capturing its output."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(project.directory), **(extra_env or {})}
    command = [dbt_executable(), *arguments, "--project-dir", str(project.directory)]
    result = subprocess.run(
        command, cwd=project.directory, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise DbtError(f"`dbt {' '.join(arguments)}` failed (exit {result.returncode}):\n{tail}")
    return result


def run_results(project: UserProject) -> list[dict[str, object]]:
    """The results of the last dbt command, from target/run_results.json."""
    path = project.directory / "target" / "run_results.json"
    results: list[dict[str, object]] = json.loads(path.read_text())["results"]
    return results


def build_package(project: UserProject) -> None:
    """Install the package and build it (models, seeds and tests)."""
    write_project(project)
    run_dbt(project, ["deps"])
    run_dbt(project, ["build"])
