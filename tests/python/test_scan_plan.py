"""The compiled plan of `soc2 scan`, without dbt: its key, its order, its cache, and
running it on DuckDB. (tests/python/test_scan.py compiles a real one with dbt and
compares what it builds with a full `dbt build`.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from soc2_tools import scan_plan
from soc2_tools.scan_plan import Plan, PlanError, Relation, Step

PROFILE = {"type": "duckdb", "path": "/somewhere/soc2_scan.duckdb", "schema": "main"}
COLUMNS = [("aws_iam_users", "arn", "VARCHAR")]


def model(uid: str, *parents: str, materialized: str = "table") -> dict[str, object]:
    name = uid.rsplit(".", 1)[-1]
    return {
        "database": "soc2_scan",
        "schema": "main_soc2",
        "alias": name,
        "config": {"materialized": materialized},
        "depends_on": {"nodes": list(parents)},
        "compiled_code": f"select 1 as {name}",
    }


@pytest.fixture
def package(tmp_path) -> Path:
    root = tmp_path / "package"
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: soc2\n")
    (root / "models" / "a.sql").write_text("select 1")
    (root / "README.md").write_text("not compiled")
    return root


def test_key_follows_what_the_package_compiles_from(package):
    key = scan_plan.plan_key(package, COLUMNS, {"soc2_aws_schema": "cloudquery"}, PROFILE)
    same = scan_plan.plan_key(package, list(COLUMNS), {"soc2_aws_schema": "cloudquery"}, PROFILE)
    assert key == same
    (package / "README.md").write_text("still not compiled")
    assert scan_plan.plan_key(package, COLUMNS, {"soc2_aws_schema": "cloudquery"}, PROFILE) == key
    moved = {**PROFILE, "path": "/elsewhere/soc2_scan.duckdb", "threads": 8}
    assert scan_plan.plan_key(package, COLUMNS, {"soc2_aws_schema": "cloudquery"}, moved) == key
    others = [
        scan_plan.plan_key(package, [*COLUMNS, ("aws_iam_roles", "arn", "VARCHAR")], {}, PROFILE),
        scan_plan.plan_key(package, COLUMNS, {"soc2_as_of": "2026-06-30"}, PROFILE),
        scan_plan.plan_key(package, COLUMNS, {}, {**PROFILE, "path": "/x/other.duckdb"}),
    ]
    (package / "models" / "a.sql").write_text("select 2")
    others.append(scan_plan.plan_key(package, COLUMNS, {"soc2_aws_schema": "cloudquery"}, PROFILE))
    assert len({key, *others}) == 5


def test_models_come_after_what_they_read_ties_by_id():
    models = {
        "model.soc2.c": model("model.soc2.c", "model.soc2.a", "seed.soc2.s"),
        "model.soc2.b": model("model.soc2.b"),
        "model.soc2.a": model("model.soc2.a", "model.soc2.b"),
        "model.soc2.d": model("model.soc2.d"),
    }
    order = scan_plan._dependency_order(models)
    assert order == ["model.soc2.b", "model.soc2.a", "model.soc2.c", "model.soc2.d"]
    models["model.soc2.b"] = model("model.soc2.b", "model.soc2.c")
    with pytest.raises(PlanError, match="cycle"):
        scan_plan._dependency_order(models)


def test_manifest_reading_refuses_what_a_plan_cannot_run():
    nodes = {
        "model.soc2.a": model("model.soc2.a"),
        "model.soc2.i": model("model.soc2.i", materialized="incremental"),
    }
    ok = [{"unique_id": "model.soc2.a", "status": "success"}]
    seeds, hooks, steps = scan_plan._read_manifest({"nodes": nodes}, ok)
    assert (seeds, hooks) == ([], [])
    assert steps == [
        Step("model.soc2.a", Relation("soc2_scan", "main_soc2", "a"), "table", "select 1 as a")
    ]
    with pytest.raises(PlanError, match="incremental"):
        scan_plan._read_manifest(
            {"nodes": nodes}, [*ok, {"unique_id": "model.soc2.i", "status": "success"}]
        )
    with pytest.raises(PlanError, match=r"did not build model\.soc2\.a"):
        scan_plan._read_manifest(
            {"nodes": nodes}, [{"unique_id": "model.soc2.a", "status": "error"}]
        )


def write_plan(cache: Path, key: str) -> Plan:
    """A plan of one seed, a view over it and a table over the view, cached under `key`."""
    directory = cache / key
    directory.mkdir(parents=True)
    with duckdb.connect(str(directory / scan_plan.SEEDS_FILE)) as connection:
        connection.execute("create schema main_soc2")
        connection.execute("create table main_soc2.s as select * from range(3) t(n)")
    seed = Relation("soc2_scan", "main_soc2", "s")
    view_sql = 'select n * 2 as n from "soc2_scan"."main_soc2"."s" -- ends in a comment'
    view = Step("model.soc2.v", Relation("soc2_scan", "main_soc2", "v"), "view", view_sql)
    table_sql = 'select sum(n) as total from "soc2_scan"."main_soc2"."v"'
    table = Step("model.soc2.t", Relation("soc2_scan", "main_soc2", "t"), "table", table_sql)
    document = {
        "format": scan_plan.PLAN_FORMAT,
        "seeds": [seed.__dict__],
        "hooks": ["select 1"],
        "steps": [{**step.__dict__, "relation": step.relation.__dict__} for step in (view, table)],
    }
    (directory / scan_plan.PLAN_FILE).write_text(json.dumps(document))
    plan = scan_plan.load(cache, key)
    assert plan is not None
    return plan


def test_a_plan_runs_on_duckdb_in_order(tmp_path):
    plan = write_plan(tmp_path / "cache", "k1")
    database = tmp_path / "scan" / "soc2_scan.duckdb"
    database.parent.mkdir()
    duckdb.connect(str(database)).close()
    assert scan_plan.execute(plan, database) == 2
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("select total from main_soc2.t").fetchall() == [(6,)]
        kinds = connection.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = 'main_soc2' order by 1"
        ).fetchall()
    assert kinds == [("s", "BASE TABLE"), ("t", "BASE TABLE"), ("v", "VIEW")]


def test_a_plan_runs_only_on_a_file_of_its_name(tmp_path):
    plan = write_plan(tmp_path / "cache", "k1")
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(PlanError, match=r"named soc2_scan\.duckdb, not other\.duckdb"):
        scan_plan.execute(plan, other)


def test_the_cache_ignores_broken_entries_and_keeps_the_plans_used_last(tmp_path):
    cache = tmp_path / "cache"
    for age, key in enumerate(["k3", "k2", "k1"]):
        write_plan(cache, key)
        os.utime(cache / key, (1_000_000 + age, 1_000_000 + age))
    (cache / "k2" / scan_plan.SEEDS_FILE).unlink()
    assert scan_plan.load(cache, "k2") is None
    assert scan_plan.load(cache, "absent") is None
    assert scan_plan.load(cache, "k3") is not None  # now the most recently used
    (cache / "k2" / scan_plan.SEEDS_FILE).touch()
    os.utime(cache / "k2", (1, 1))
    scan_plan._prune(cache, keep=2)
    assert sorted(p.name for p in cache.iterdir()) == ["k1", "k3"]
