"""The raw CloudQuery tables as dbt sources, on DuckDB: lineage that `dbt ls` can
select exactly, `dbt source freshness` that an absent table never fails, the one
message for an adapter the package does not support, and a default for every
dialect macro."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dbt_runs import REPOSITORY, DbtRun, IntegrationProject

SOURCE = "source:soc2.cloudquery_aws"
CONTROL_RESULT_MARTS = {
    "soc2__availability",
    "soc2__confidentiality",
    "soc2__control_results",
    "soc2__control_summary",
    "soc2__criteria_summary",
    "soc2__privacy",
    "soc2__processing_integrity",
    "soc2__security",
}
# The fixtures of the integration project have no aws_iam_accounts,
# aws_iam_mfa_devices, ... table; aws_s3_buckets is disabled by var below.
FIXTURE_TABLES = {
    path.stem.removeprefix("fixture_")
    for path in (REPOSITORY / "integration_tests/seeds/fixtures").glob("fixture_*.csv")
}
DISABLED = "aws_s3_buckets"
LIST_MODELS_JSON = ("--quiet", "ls", "--resource-type", "model", "--output", "json")
UNSUPPORTED_SNOWFLAKE = (
    "The soc2 package does not support the 'snowflake' adapter. Supported adapters: "
    "duckdb, postgres, spark (and adapters built on them, such as databricks on spark)."
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IntegrationProject]:
    workdir: Path = tmp_path_factory.mktemp("sources_duckdb")
    project = IntegrationProject("duckdb", workdir, f"soc2_src_{os.getpid()}")
    for arguments in (["deps"], ["build", "--select", "tag:fixtures", "tag:raw"]):
        run = project.dbt(arguments)
        assert run.returncode == 0, run.tail()
    yield project


def _listed(project: IntegrationProject, *arguments: str) -> set[str]:
    run = project.dbt(["--quiet", "ls", "--output", "name", *arguments])
    assert run.returncode == 0, run.tail()
    return {line.strip() for line in run.output.splitlines() if line.strip()}


def _declared_tables(project: IntegrationProject) -> set[str]:
    names = _listed(project, "--resource-type", "source", "--select", f"{SOURCE}.*")
    return {name.removeprefix("cloudquery_aws.") for name in names}


def _readers_of_the_account_list() -> set[str]:
    """The models that read int_soc2__aws_accounts, directly or through
    another model, found from the SQL text rather than from dbt: a model
    reads what it names with ref('...'), itself or in a package macro it
    calls, and the combine step reads every control family of
    macros/controls/control_families.sql."""
    refs = r"ref\(\s*'([a-z0-9_]+)'\s*\)"
    macro_refs: dict[str, set[str]] = {}
    for path in (REPOSITORY / "macros").rglob("*.sql"):
        for name, body in re.findall(
            r"{%-?\s*macro\s+([a-z0-9_]+)\(.*?%}(.*?){%-?\s*endmacro", path.read_text(), re.S
        ):
            macro_refs[name] = set(re.findall(refs, body))
    models = {path.stem: path.read_text() for path in (REPOSITORY / "models").rglob("*.sql")}
    reads = {
        name: set(re.findall(refs, text)).union(
            *(macro_refs.get(called, set()) for called in re.findall(r"soc2\.([a-z0-9_]+)\(", text))
        )
        for name, text in models.items()
    }
    families = re.findall(
        r"'(int_soc2__controls_[a-z0-9_]+)'",
        (REPOSITORY / "macros/controls/control_families.sql").read_text(),
    )
    reads["int_soc2__control_results_automated"] |= set(families)
    found = {"int_soc2__aws_accounts"}
    while True:
        more = {name for name, parents in reads.items() if parents & found} - found
        if not more:
            return found
        found |= more


def test_the_account_readers_include_the_combine_step_and_its_marts() -> None:
    readers = _readers_of_the_account_list()
    assert {"int_soc2__controls_aws_iam_root", "int_soc2__control_results_automated"} <= readers
    assert readers >= CONTROL_RESULT_MARTS
    assert not {"soc2__ciem_findings", "stg_soc2__aws_iam_users"} & readers


def test_a_raw_table_selects_exactly_the_models_that_read_it(
    project: IntegrationProject,
) -> None:
    selected = _listed(
        project, "--resource-type", "model", "--select", f"{SOURCE}.aws_s3_bucket_versionings+"
    )
    # The account list reads every account-bearing staging model, so the
    # controls that enumerate accounts read this table too.
    assert selected == {"stg_soc2__aws_s3_bucket_versionings", *_readers_of_the_account_list()}


def test_a_raw_table_read_for_the_account_list_selects_the_account_controls(
    project: IntegrationProject,
) -> None:
    selected = _listed(
        project, "--resource-type", "model", "--select", f"{SOURCE}.aws_iam_password_policies+"
    )
    assert selected == {"stg_soc2__aws_iam_password_policies", *_readers_of_the_account_list()}


def test_each_declared_table_is_read_by_its_staging_model_only(
    project: IntegrationProject,
) -> None:
    run = project.dbt([*LIST_MODELS_JSON, "--output-keys", "name depends_on"])
    assert run.returncode == 0, run.tail()
    nodes = [json.loads(line) for line in run.output.splitlines() if line.startswith("{")]
    prefix = "source.soc2.cloudquery_aws."
    read = {
        node["name"]: {
            parent.removeprefix(prefix)
            for parent in node["depends_on"]["nodes"]
            if parent.startswith("source.")
        }
        for node in nodes
    }
    declared = _declared_tables(project)
    assert len(declared) >= 30
    # Every declared table is read, by its own staging model and nothing else;
    # the availability model reads the graph, not the tables.
    assert {name: tables for name, tables in read.items() if tables} == {
        f"stg_soc2__{table}": {table} for table in declared
    }
    assert read["stg_soc2__aws_source_tables"] == set()


def _freshness(
    project: IntegrationProject, arguments: list[str], variables: dict[str, object]
) -> tuple[DbtRun, dict[str, str]]:
    sources_json = project.workdir / "target" / "sources.json"
    sources_json.unlink(missing_ok=True)
    run = project.dbt(["source", "freshness", *arguments], variables)
    if not sources_json.exists():
        return run, {}
    results = json.loads(sources_json.read_text())["results"]
    return run, {str(r["unique_id"]).rsplit(".", 1)[-1]: str(r["status"]) for r in results}


def test_freshness_is_off_by_default(project: IntegrationProject) -> None:
    run, statuses = _freshness(project, [], {})
    assert run.returncode == 0, run.tail()
    assert statuses == {}
    assert "Nothing to do" in run.output


def test_absent_and_disabled_tables_never_fail_freshness(project: IntegrationProject) -> None:
    declared = _declared_tables(project)
    present = (FIXTURE_TABLES & declared) - {DISABLED}
    stale = {"error_after": {"count": 1, "period": "hour"}}
    variables: dict[str, object] = {
        "soc2_source_freshness": stale,
        "soc2_disabled_source_tables": [DISABLED],
    }
    run, statuses = _freshness(project, [], variables)
    # The fixtures were synced on 2026-06-29: every present table is stale.
    assert statuses == {
        **{table: "error" for table in present},
        **{table: "pass" for table in declared - present},
    }
    assert run.returncode == 1
    absent = sorted(declared - present)
    run, statuses = _freshness(
        project, ["--select", *(f"{SOURCE}.{table}" for table in absent)], variables
    )
    assert run.returncode == 0, run.tail()
    assert statuses == dict.fromkeys(absent, "pass")


def _operation(project: IntegrationProject, macro: str, arguments: dict[str, object]) -> DbtRun:
    return project.dbt(["run-operation", macro, "--args", json.dumps(arguments)])


def test_an_unsupported_adapter_stops_with_one_message(project: IntegrationProject) -> None:
    run = _operation(project, "soc2.assert_supported_adapter", {"adapter_type": "snowflake"})
    assert run.returncode != 0
    assert UNSUPPORTED_SNOWFLAKE in " ".join(run.output.split())
    # The target's own adapter (DuckDB here) is supported.
    run = _operation(project, "soc2.assert_supported_adapter", {})
    assert run.returncode == 0, run.tail()


def test_a_dialect_macro_without_portable_sql_names_the_supported_adapters(
    project: IntegrationProject,
) -> None:
    run = _operation(
        project,
        "soc2.default__unnest_lateral",
        {"array_expr": "a", "element_alias": "e", "index_alias": "i", "relation_alias": "r"},
    )
    assert run.returncode != 0
    message = " ".join(run.output.split())
    assert "The soc2 package does not support the 'duckdb' adapter." in message
    assert "soc2.unnest_lateral has no portable SQL." in message


DISPATCH = re.compile(r"adapter\.dispatch\('(\w+)', 'soc2'\)")
MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\s*\(")


def test_every_dispatched_macro_has_a_default() -> None:
    sources = [path.read_text() for path in (REPOSITORY / "macros").rglob("*.sql")]
    dispatched = {name for text in sources for name in DISPATCH.findall(text)}
    defined = {name for text in sources for name in MACRO.findall(text)}
    assert len(dispatched) >= 15
    assert {f"default__{name}" for name in dispatched} - defined == set()


HIVE_VIEW_TEXT_LIMIT = 32_700  # characters of a view's text a Hive metastore keeps


def test_every_view_fits_a_hive_metastore(project: IntegrationProject) -> None:
    """Spark stores a view's SQL in its metastore, which keeps 32,700 characters:
    a longer model must be a table (DECISIONS 101)."""
    run = project.dbt(["compile", "--select", "package:soc2", "config.materialized:view"])
    assert run.returncode == 0, run.tail()
    manifest = json.loads((project.workdir / "target" / "manifest.json").read_text())
    views = {
        node["name"]: len(node["compiled_code"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["config"]["materialized"] == "view"
        and node.get("compiled_code")
    }
    assert len(views) > 100, "the staging views were not compiled"
    assert {name: size for name, size in views.items() if size >= HIVE_VIEW_TEXT_LIMIT} == {}
