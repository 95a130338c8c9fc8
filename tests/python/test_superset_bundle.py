"""The Superset bundle (dashboards/superset) and `soc2 superset-import`'s rewriting and
zipping, without a server: the bundle hangs together (charts on its datasets, datasets on
the package's marts, the dashboard placing every chart), the exposure `superset_dashboard`
names what it reads, and the rewrite points every file at the user's warehouse. The import
against a real Superset is tests/dashboards/test_superset.py (`make dashboard`)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

import question_checks
from soc2_tools import cli, superset, warehouse

ROOT = warehouse.repository_root()
BUNDLE = superset.load_bundle(superset.bundle_directory())
TARGET = superset.Target(
    "postgresql://bi_reader:s%40cret%2Fx@db.example.com:5433/analytics",
    "Analytics_soc2_marts",
    "warehouse marts",
)


def of_kind(kind: str) -> dict[str, dict]:
    return {name: content for name, content in BUNDLE.items() if name.startswith(f"{kind}/")}


def mart_names() -> set[str]:
    names = set()
    for path in (ROOT / "models" / "marts").rglob("*.yml"):
        document = yaml.safe_load(path.read_text()) or {}
        names |= {model["name"] for model in document.get("models", [])}
    return names


def dataset_tables() -> set[str]:
    """The marts the datasets read: physical tables, and the tables of the virtual SQL."""
    tables = set()
    for dataset in of_kind("datasets").values():
        if dataset["sql"]:
            tables |= set(re.findall(rf"{superset.SCHEMA_PLACEHOLDER}\.(\w+)", dataset["sql"]))
        else:
            tables.add(dataset["table_name"])
    return tables


def test_bundle_layout() -> None:
    assert set(of_kind("databases")) == {"databases/soc2_marts.yaml"}
    assert len(of_kind("datasets")) == 7
    assert len(of_kind("charts")) == 8
    assert list(of_kind("dashboards")) == ["dashboards/soc2_compliance.yaml"]
    assert BUNDLE["metadata.yaml"]["type"] == "Dashboard"
    uuids = [content["uuid"] for name, content in BUNDLE.items() if name != "metadata.yaml"]
    assert len(uuids) == len(set(uuids)) == 17


def test_the_bundle_holds_no_secret_and_placeholders_only() -> None:
    (database,) = of_kind("databases").values()
    assert database["sqlalchemy_uri"] == (
        f"postgresql://soc2_bi:{superset.PASSWORD_MASK}@localhost:5432/warehouse"
    )
    assert database["database_name"] == superset.DEFAULT_DATABASE_NAME
    assert {d["schema"] for d in of_kind("datasets").values()} == {superset.SCHEMA_PLACEHOLDER}


def test_datasets_read_the_package_marts() -> None:
    (database,) = of_kind("databases").values()
    marts = mart_names()
    for name, dataset in of_kind("datasets").items():
        assert dataset["database_uuid"] == database["uuid"], name
        if not dataset["sql"]:
            assert dataset["table_name"] in marts, name
        else:
            # every table of the SQL is a mart of the placeholder schema
            assert set(re.findall(r"\bfrom\s+([\w.]+)|\bjoin\s+([\w.]+)", dataset["sql"]))
            for match in re.findall(r"\b(?:from|join)\s+([\w.]+)", dataset["sql"]):
                schema, _, table = match.partition(".")
                if table:  # a CTE has no schema
                    assert schema == superset.SCHEMA_PLACEHOLDER, (name, match)
                    assert table in marts, (name, table)
    # the dashboard reads the marts the Metabase questions read
    assert dataset_tables() == question_checks.QUESTION_MARTS


def test_exposure_lists_the_marts_the_datasets_read() -> None:
    document = yaml.safe_load((ROOT / "models/marts/_soc2_marts__exposures.yml").read_text())
    (exposure,) = [e for e in document["exposures"] if e["name"] == "superset_dashboard"]
    refs = {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in exposure["depends_on"]}
    assert refs == dataset_tables()


def chart_columns(chart: dict) -> set[str]:
    """The dataset columns a chart's params name."""
    params = chart["params"]
    names = set(params.get("all_columns", [])) | set(params.get("groupby", []))
    if isinstance(params.get("x_axis"), str):
        names.add(params["x_axis"])
    names |= {json.loads(order)[0] for order in params.get("order_by_cols", [])}
    for metric in [*params.get("metrics", []), params.get("metric")]:
        if isinstance(metric, dict):
            names.add(metric["column"]["column_name"])
    return names


def test_charts_use_columns_and_metrics_of_their_dataset() -> None:
    datasets = {d["uuid"]: d for d in of_kind("datasets").values()}
    for name, chart in of_kind("charts").items():
        dataset = datasets[chart["dataset_uuid"]]
        columns = {c["column_name"] for c in dataset["columns"]}
        assert chart_columns(chart) <= columns, (name, chart_columns(chart) - columns)
        metrics = {m["metric_name"] for m in dataset["metrics"]}
        named = [
            m for m in [*chart["params"].get("metrics", []), chart["params"].get("metric")] if m
        ]
        assert {m for m in named if isinstance(m, str)} <= metrics, name


def test_charts_carry_their_query_context() -> None:
    for name, chart in of_kind("charts").items():
        context = json.loads(chart["query_context"])
        assert context["form_data"] == chart["params"], name
        assert chart["params"]["viz_type"] == chart["viz_type"], name
        (query,) = context["queries"]
        assert query["columns"], name
        raw = chart["params"].get("query_mode") == "raw"
        # a raw table has no metrics: Superset would GROUP BY its columns otherwise
        assert ("metrics" not in query) == raw, name
        if raw:
            assert query["columns"] == chart["params"]["all_columns"], name
            ordering = [json.loads(o) for o in chart["params"]["order_by_cols"]]
            assert query["orderby"] == ordering, name


def test_dashboard_places_every_chart_once() -> None:
    (dashboard,) = of_kind("dashboards").values()
    placed = [
        item["meta"]["uuid"]
        for item in dashboard["position"].values()
        if isinstance(item, dict) and item.get("type") == "CHART"
    ]
    assert sorted(placed) == sorted(c["uuid"] for c in of_kind("charts").values())
    for key, item in dashboard["position"].items():
        if isinstance(item, dict) and "children" in item:
            for child in item["children"]:
                assert child in dashboard["position"], (key, child)
    for item in dashboard["position"].values():
        if isinstance(item, dict) and item.get("type") == "ROW":
            widths = [dashboard["position"][c]["meta"]["width"] for c in item["children"]]
            assert sum(widths) == 12, item["id"]
    assert superset.dashboard_slug(BUNDLE) == superset.DASHBOARD_SLUG


def test_rewrite_points_every_file_at_the_target() -> None:
    rewritten = superset.rewrite_bundle(BUNDLE, TARGET)
    (database,) = [c for n, c in rewritten.items() if n.startswith("databases/")]
    assert database["sqlalchemy_uri"] == (
        f"postgresql://bi_reader:{superset.PASSWORD_MASK}@db.example.com:5433/analytics"
    )
    assert database["database_name"] == "warehouse marts"
    for name, dataset in rewritten.items():
        if name.startswith("datasets/"):
            assert dataset["schema"] == "Analytics_soc2_marts"
            if dataset["sql"]:
                assert '"Analytics_soc2_marts".soc2__' in dataset["sql"]
    text = json.dumps(rewritten)
    assert superset.SCHEMA_PLACEHOLDER not in text
    assert "s%40cret" not in text and "s@cret" not in text
    # the bundle itself is untouched
    assert of_kind("databases")["databases/soc2_marts.yaml"]["database_name"] == "soc2 marts"


def test_the_password_goes_in_the_passwords_field_decoded() -> None:
    assert superset.passwords(BUNDLE, TARGET) == {"databases/soc2_marts.yaml": "s@cret/x"}
    no_password = superset.Target("postgresql://postgres@127.0.0.1:5432/test", "s")
    assert superset.passwords(BUNDLE, no_password) == {}
    assert superset.split_password("postgresql://postgres@127.0.0.1:5432/test") == (
        "postgresql://postgres@127.0.0.1:5432/test",
        None,
    )
    assert superset.split_password("duckdb:////data/soc2.duckdb") == (
        "duckdb:////data/soc2.duckdb",
        None,
    )


def test_zip_has_one_root_folder_and_the_endpoint_type() -> None:
    rewritten = superset.rewrite_bundle(BUNDLE, TARGET)
    archive = zipfile.ZipFile(io.BytesIO(superset.zip_bundle(rewritten, "SqlaTable")))
    names = archive.namelist()
    assert sorted(names) == sorted(f"{superset.ZIP_ROOT}/{name}" for name in BUNDLE)
    metadata = yaml.safe_load(archive.read(f"{superset.ZIP_ROOT}/metadata.yaml"))
    assert metadata["type"] == "SqlaTable"
    chart = yaml.safe_load(
        archive.read(f"{superset.ZIP_ROOT}/charts/controls_by_trust_category.yaml")
    )
    assert chart == rewritten["charts/controls_by_trust_category.yaml"]


@pytest.mark.parametrize(
    ("uri", "schema", "message"),
    [
        ("not a uri", "marts", "is not a SQLAlchemy URI"),
        ("postgresql://u@h/d", "", "--schema must name the marts schema"),
    ],
)
def test_bad_input_is_named(uri: str, schema: str, message: str) -> None:
    with pytest.raises(superset.SupersetError, match=message):
        superset.rewrite_bundle(BUNDLE, superset.Target(uri, schema))


def test_missing_bundle_is_named(tmp_path: Path) -> None:
    with pytest.raises(superset.SupersetError, match="no Superset bundle in"):
        superset.load_bundle(tmp_path)


def test_unreachable_superset_fails_with_its_address(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        [
            "superset-import", "--url", "http://127.0.0.1:9", "--database-uri",
            "postgresql://u@h/d", "--schema", "marts",
        ]
    )  # fmt: skip
    assert code == 1
    out = capsys.readouterr().out
    assert "Superset at http://127.0.0.1:9 is unreachable" in out
