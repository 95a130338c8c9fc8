"""Differential tests: the package's SQL decides the same single requests as
the reference evaluator (soc2_tools.reference_evaluator), on DuckDB,
PostgreSQL and Spark.

Hypothesis draws a batch of principals (users and roles; inline, managed and
group policies; permissions boundaries; service control policies; every
statement shape the strategies produce) and requests. The batch is written as
CloudQuery tables, the package is built on it, and `soc2.iam_request_decisions`
must agree with the reference on every request. One batch per engine by
default; SOC2_DIFFERENTIAL_EXAMPLES=N draws N batches.

The one modelling difference is stated, not hidden: service control policies
are applied as a single level (CloudQuery's public tables carry no policy
targets), so principals get at most one SCP level here.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dbt_runs import (
    INTEGRATION_PROJECT,
    IntegrationProject,
    drop_postgres_schemas,
    require_postgres,
)
from iam_strategies import principals, requests
from soc2_tools import warehouse
from soc2_tools.reference_evaluator import Principal, decide

ENGINES = ("duckdb", "postgres", "spark")
EXAMPLES = int(os.environ.get("SOC2_DIFFERENTIAL_EXAMPLES", "1"))
BATCH = 24
REQUESTS_PER_PRINCIPAL = 12
SYNC = "2026-06-29 23:00:00"
TABLES = (
    "aws_iam_users",
    "aws_iam_roles",
    "aws_iam_groups",
    "aws_iam_user_groups",
    "aws_iam_policies",
    "aws_iam_policy_versions",
    "aws_iam_user_policies",
    "aws_iam_role_policies",
    "aws_iam_group_policies",
    "aws_iam_user_attached_policies",
    "aws_iam_role_attached_policies",
    "aws_iam_group_attached_policies",
    "aws_organizations_accounts",
    "aws_organizations_policies",
)


def _account(index: int) -> str:
    return f"{100000000000 + index:012d}"


def _renamed(principal: Principal, index: int) -> Principal:
    """A unique ARN per principal (its own account) and at most one SCP level."""
    account = _account(index)
    kind_and_name = principal.arn.split(":", 5)[5]
    return replace(
        principal,
        arn=f"arn:aws:iam::{account}:{kind_and_name}-{index}",
        scps=principal.scps[:1],
    )


def batches() -> st.SearchStrategy[list[tuple[Principal, list[tuple[str, str]]]]]:
    one = st.tuples(
        principals(),
        st.lists(requests(), min_size=REQUESTS_PER_PRINCIPAL, max_size=REQUESTS_PER_PRINCIPAL),
    )
    return (
        st.lists(one, min_size=BATCH, max_size=BATCH)
        .map(lambda items: [(_renamed(p, i), reqs) for i, (p, reqs) in enumerate(items)])
        .filter(_is_varied)
    )


def _is_varied(batch: list[tuple[Principal, list[tuple[str, str]]]]) -> bool:
    """Rejects near-empty batches (such as Hypothesis's simplest example) so
    that one build exercises policies, boundaries and SCPs."""
    people = [principal for principal, _ in batch]
    with_policies = sum(1 for p in people if p.identity_policies)
    return (
        with_policies >= len(people) // 2
        and sum(1 for p in people if p.boundary is not None) >= 3
        and sum(1 for p in people if p.scps) >= 3
        and len({r for _, reqs in batch for r in reqs}) >= 20
    )


def cloudquery_rows(batch: list[tuple[Principal, list[tuple[str, str]]]]) -> dict[str, list[dict]]:
    """The batch as CloudQuery rows: identity policies spread over inline,
    attached managed and (for users) group policies."""
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}

    def managed(account: str, name: str, document: dict) -> str:
        arn = f"arn:aws:iam::{account}:policy/{name}"
        rows["aws_iam_policies"].append(
            {"account_id": account, "arn": arn, "policy_name": name, "default_version_id": "v1"}
        )
        rows["aws_iam_policy_versions"].append(
            {
                "account_id": account,
                "policy_arn": arn,
                "version_id": "v1",
                "is_default_version": "true",
                "document_json": json.dumps(document),
                "document": json.dumps(document),
            }
        )
        return arn

    for index, (principal, _) in enumerate(batch):
        account = _account(index)
        path_and_name = principal.arn.split(":", 5)[5].split("/", 1)[1]
        name = path_and_name.rsplit("/", 1)[-1]
        path = "/" + path_and_name.rsplit("/", 1)[0] + "/" if "/" in path_and_name else "/"
        boundary = None
        if principal.boundary is not None:
            boundary_arn = managed(account, f"boundary-{index}", principal.boundary)
            boundary = json.dumps(
                {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary_arn}
            )
        entity = {
            "account_id": account,
            "arn": principal.arn,
            "path": path,
            "permissions_boundary": boundary,
        }
        group_arn = f"arn:aws:iam::{account}:group/group-{index}"
        if principal.kind == "user":
            rows["aws_iam_users"].append({**entity, "user_name": name})
            rows["aws_iam_groups"].append(
                {"account_id": account, "arn": group_arn, "group_name": f"group-{index}"}
            )
            rows["aws_iam_user_groups"].append(
                {
                    "account_id": account,
                    "user_arn": principal.arn,
                    "arn": group_arn,
                    "group_name": f"group-{index}",
                }
            )
        else:
            trust = {"Version": "2012-10-17", "Statement": []}
            rows["aws_iam_roles"].append(
                {**entity, "role_name": name, "assume_role_policy_document": json.dumps(trust)}
            )
        holder = "user" if principal.kind == "user" else "role"
        for number, document in enumerate(principal.identity_policies):
            placement = number % 3
            if placement == 0:
                rows[f"aws_iam_{holder}_policies"].append(
                    {
                        "account_id": account,
                        f"{holder}_arn": principal.arn,
                        "policy_name": f"inline-{number}",
                        "policy_document": json.dumps(document),
                    }
                )
            elif placement == 1 or principal.kind == "role":
                arn = managed(account, f"managed-{index}-{number}", document)
                rows[f"aws_iam_{holder}_attached_policies"].append(
                    {
                        "account_id": account,
                        f"{holder}_arn": principal.arn,
                        "policy_arn": arn,
                        "policy_name": arn.rsplit("/", 1)[1],
                    }
                )
            elif number % 2:
                rows["aws_iam_group_policies"].append(
                    {
                        "account_id": account,
                        "group_arn": group_arn,
                        "policy_name": f"group-inline-{number}",
                        "policy_document": json.dumps(document),
                    }
                )
            else:
                arn = managed(account, f"group-managed-{index}-{number}", document)
                rows["aws_iam_group_attached_policies"].append(
                    {
                        "account_id": account,
                        "group_arn": group_arn,
                        "policy_arn": arn,
                        "policy_name": arn.rsplit("/", 1)[1],
                    }
                )
        if principal.scps:
            management = f"{900000000000 + index:012d}"
            rows["aws_organizations_accounts"].append(
                {
                    "request_account_id": management,
                    "id": account,
                    "arn": f"arn:aws:organizations::{management}:account/o-x/{account}",
                }
            )
            for number, document in enumerate(principal.scps[0]):
                rows["aws_organizations_policies"].append(
                    {
                        "account_id": management,
                        "arn": f"arn:aws:organizations::{management}:policy/o-x/"
                        f"service_control_policy/p-{index}-{number}",
                        "type": "SERVICE_CONTROL_POLICY",
                        "name": f"scp-{index}-{number}",
                        "content": json.dumps(document),
                    }
                )
    return rows


def write_project(directory: Path, rows: dict[str, list[dict]], request_rows: list[dict]) -> None:
    """A small dbt project like integration_tests: text seeds cast into
    CloudQuery's types by `raw` models, plus the requests."""
    (directory / "seeds").mkdir(parents=True)
    (directory / "models").mkdir()
    (directory / "macros").mkdir()
    shutil.copy(INTEGRATION_PROJECT / "macros" / "cast_fixture.sql", directory / "macros")
    for table, table_rows in rows.items():
        if not table_rows:
            continue
        columns = sorted({key for row in table_rows for key in row} | {"_cq_sync_time"})
        with (directory / "seeds" / f"fixture_{table}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in table_rows:
                writer.writerow(
                    {"_cq_sync_time": SYNC, **{k: ("" if v is None else v) for k, v in row.items()}}
                )
        (directory / "models" / f"{table}.sql").write_text(f"{{{{ cast_fixture('{table}') }}}}\n")
    with (directory / "seeds" / "differential_requests.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["principal_arn", "action", "resource_arn"])
        writer.writeheader()
        writer.writerows(request_rows)
    text_type = "{{ 'string' if target.type == 'spark' else 'varchar' }}"
    config = {
        "name": "soc2_integration_tests",
        "version": "1.0.0",
        "config-version": 2,
        "profile": "soc2_integration_tests",
        "dispatch": [
            {"macro_namespace": "dbt", "search_order": ["soc2_integration_tests", "soc2", "dbt"]}
        ],
        "seeds": {
            "soc2_integration_tests": {
                "+quote_columns": True,
                "+column_types": {
                    column: text_type
                    for column in (
                        "account_id",
                        "request_account_id",
                        "id",
                        "principal_arn",
                        "action",
                        "resource_arn",
                        "version_id",
                    )
                },
                "+tags": ["fixtures"],
            }
        },
        "models": {"soc2_integration_tests": {"+materialized": "table", "+tags": ["raw"]}},
    }
    import yaml

    (directory / "dbt_project.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (directory / "packages.yml").write_text(
        yaml.safe_dump({"packages": [{"local": str(INTEGRATION_PROJECT.parent)}]})
    )


class DifferentialProject(IntegrationProject):
    project_dir: Path

    def dbt(self, arguments, variables=None):  # type: ignore[override]
        command = [warehouse.dbt_executable(), *arguments, "--project-dir", str(self.project_dir)]
        completed = subprocess.run(
            command, cwd=self.workdir, env=self.env(), capture_output=True, text=True, check=False
        )
        return completed


def sql_decisions(engine: str, workdir: Path, batch) -> dict[tuple[str, str, str], str]:
    request_rows = [
        {"principal_arn": principal.arn, "action": action, "resource_arn": resource}
        for principal, reqs in batch
        for action, resource in reqs
    ]
    project_dir = workdir / "project"
    write_project(project_dir, cloudquery_rows(batch), request_rows)
    schema = f"soc2_diff_{engine}_{os.getpid()}"
    if engine == "postgres":
        require_postgres()
        drop_postgres_schemas(schema)
    project = DifferentialProject(engine, workdir, schema)
    project.project_dir = project_dir
    try:
        for arguments in (
            ["deps"],
            ["build", "--select", "tag:fixtures", "tag:raw"],
            ["seed", "--select", "soc2__iam_actions"],
            [
                "run",
                "--select",
                "+int_soc2__aws_principal_statements",
                "+int_soc2__aws_statement_actions",
            ],
        ):
            completed = project.dbt(arguments)
            assert completed.returncode == 0, f"dbt {arguments} failed:\n{completed.stdout[-4000:]}"
        completed = project.dbt(
            [
                "show",
                "--inline",
                "{{ soc2.iam_request_decisions(ref('differential_requests')) }}",
                "--limit",
                "-1",
                "--output",
                "json",
                "--log-format",
                "json",
            ]
        )
        assert completed.returncode == 0, completed.stdout[-4000:]
        preview = None
        for line in completed.stdout.splitlines():
            event = json.loads(line)
            data = event.get("data", {})
            if "preview" in data:
                preview = json.loads(data["preview"])
        assert preview is not None, completed.stdout[-2000:]
        return {
            (r["principal_arn"], r["action"], r["resource_arn"]): r["decision"] for r in preview
        }
    finally:
        if engine == "postgres":
            drop_postgres_schemas(schema)


@pytest.mark.parametrize("engine", ENGINES)
def test_sql_agrees_with_reference_evaluator(
    engine: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    @settings(
        max_examples=EXAMPLES,
        phases=[Phase.generate],
        deadline=None,
        derandomize=EXAMPLES == 1,
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=batches())
    def check(batch) -> None:
        workdir = tmp_path_factory.mktemp(f"differential_{engine}")
        decisions = sql_decisions(engine, workdir, batch)
        mismatches = []
        for principal, reqs in batch:
            for action, resource in reqs:
                expected = decide(principal, action, resource).value
                actual = decisions.get((principal.arn, action, resource))
                if actual != expected:
                    mismatches.append(
                        f"{principal.arn} {action} {resource}: sql={actual} reference={expected}"
                    )
        assert not mismatches, (
            f"{len(mismatches)} of {sum(len(r) for _, r in batch)} requests differ:\n"
            + "\n".join(mismatches[:20])
        )

    check()
