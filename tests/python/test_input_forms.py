"""The package reads IAM from either of CloudQuery's forms: the per-entity
tables, or aws_iam_account_authorization_details (what `soc2 scan` loads from
an AWS CLI export). The same account given either way yields identical
entitlements and findings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from soc2_tools import authz_export, generator, rawdb, warehouse

DATA = Path(__file__).parent / "data"
AS_OF = "2026-06-30"
ENTITY_TABLES = (
    "aws_iam_users",
    "aws_iam_groups",
    "aws_iam_roles",
    "aws_iam_user_groups",
    "aws_iam_policies",
    "aws_iam_policy_versions",
    "aws_iam_policy_default_versions",
    "aws_iam_user_policies",
    "aws_iam_group_policies",
    "aws_iam_role_policies",
    "aws_iam_user_attached_policies",
    "aws_iam_group_attached_policies",
    "aws_iam_role_attached_policies",
    "aws_iam_instance_profiles",
)
QUERIES = {
    "entitlements": "select principal_arn, action_key, decision, decision_reason, resource_scope"
    " from analytics_soc2_marts.soc2__ciem_entitlements",
    "findings": "select principal_arn, finding_type, coalesce(method, '-'), severity, reason"
    " from analytics_soc2_marts.soc2__ciem_findings",
    "principals": "select principal_arn, principal_type, is_admin_equivalent, input_form"
    " from analytics_soc2_marts.soc2__ciem_principals",
}


def _build(workdir: Path, tables: dict[str, list[dict]]) -> dict[str, list[tuple[object, ...]]]:
    database = workdir / "warehouse.duckdb"
    rawdb.write_tables(tables, rawdb.RawTarget(kind="duckdb", path=database, schema="cloudquery"))
    project = warehouse.UserProject(
        directory=workdir / "project",
        profile={"type": "duckdb", "path": str(database), "schema": "analytics", "threads": 2},
        vars={"soc2_aws_schema": "cloudquery", "soc2_as_of": AS_OF},
    )
    project.install()
    project.dbt(["seed"])
    project.dbt(
        [
            "run",
            "--select",
            "+soc2__ciem_principals",
            "+soc2__ciem_entitlements",
            "+soc2__ciem_findings",
        ]
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        return {name: sorted(connection.execute(sql).fetchall()) for name, sql in QUERIES.items()}


def _split(tables: dict[str, list[dict]]) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """(per-entity form only, authorization-details form only)."""
    entity = {t: rows for t, rows in tables.items() if t != "aws_iam_account_authorization_details"}
    details = {t: rows for t, rows in tables.items() if t not in ENTITY_TABLES}
    return entity, details


def _compare(entity_results, details_results) -> None:
    for name in QUERIES:
        if name == "principals":
            strip = (
                [row[:3] for row in entity_results[name]],
                [row[:3] for row in details_results[name]],
            )
            assert strip[0] == strip[1]
            assert {row[3] for row in entity_results[name]} == {"entity_tables"}
            assert {row[3] for row in details_results[name]} == {"authorization_details"}
        else:
            assert entity_results[name] == details_results[name], name


def test_example_export_gives_identical_entitlements_from_either_form(tmp_path) -> None:
    tables = authz_export.convert_files(DATA / "cloudsplaining-example-authz-details.json")
    entity, details = _split(tables)
    entity_results = _build(tmp_path / "entity", entity)
    details_results = _build(tmp_path / "details", details)
    assert entity_results["entitlements"], "the export must grant something"
    admins = {row[0] for row in entity_results["principals"] if row[2]}
    assert "arn:aws:iam::012345678901:user/obama" in admins
    _compare(entity_results, details_results)


@pytest.mark.parametrize("seed", [3])
def test_generated_organisation_gives_identical_entitlements_from_either_form(
    tmp_path, seed
) -> None:
    generated = generator.generate_organisation(
        generator.OrgSize(accounts=2), seed=seed, as_of=datetime.fromisoformat(AS_OF)
    )
    exports = authz_export.to_authorization_details(generated)
    details_rows: dict[str, list[dict]] = {}
    for account_id, export in exports.items():
        converted = authz_export.convert_export(
            json.loads(json.dumps(export)), account_id=account_id
        )
        for table in ("aws_iam_account_authorization_details",):
            details_rows.setdefault(table, []).extend(converted[table])
    entity = {t: rows for t, rows in generated.items() if t in ENTITY_TABLES}
    entity_results = _build(tmp_path / "entity", entity)
    details_results = _build(tmp_path / "details", details_rows)
    assert len(entity_results["principals"]) > 20
    _compare(entity_results, details_results)
