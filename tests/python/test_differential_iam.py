"""Differential tests: the package's SQL decides the same single requests as
the reference evaluator (soc2_tools.reference_evaluator), on DuckDB,
PostgreSQL and Spark, at the evaluation instant iam_strategies.AS_OF.

Two tests per engine; every build runs dbt three times (fixtures; the
package's seeds and models; one operation running every query):

* fixed cases, in one build: the regression cases (iam_regression_cases.py:
  every counterexample found so far, and hand-written cases), with the
  decision stated in each case, which SQL and reference must both give; and
  the other entitlement paths (effective permissions, admin detection, IAM
  targets) on a NotAction of '*', a malformed Effect and decided time
  conditions;
* drawn batches: Hypothesis draws batches of principals (users and roles;
  inline, managed and group policies; permissions boundaries; service control
  policies; every statement shape the strategies produce, time conditions
  included) and requests. One build holds SOC2_DIFFERENTIAL_BATCHES batches
  (default 1), each in accounts of its own; SOC2_DIFFERENTIAL_EXAMPLES builds
  are made, batch b of build n drawn from seed + n * batches + b. DuckDB draws
  from a fresh seed on every run, printed (a failure names the seed that
  replays it with SOC2_DIFFERENTIAL_SEED), and builds until
  SOC2_DIFFERENTIAL_SECONDS (default 60 unless SOC2_DIFFERENTIAL_EXAMPLES is
  given) have passed; PostgreSQL and Spark check one batch, drawn
  deterministically and built with the fixed cases (one build per engine),
  unless a seed or more builds are asked for. A summary line gives builds,
  batches and requests checked (pytest -s shows it).

The one modelling difference is stated, not hidden: service control policies
are applied as a single level (CloudQuery's public tables carry no policy
targets), so principals get at most one SCP level here.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import iam_regression_cases as cases
from dbt_runs import (
    INTEGRATION_PROJECT,
    IntegrationProject,
    drop_postgres_schemas,
    require_postgres,
)
from iam_regression_cases import CASES
from iam_strategies import AS_OF, AS_OF_VAR, principals, requests
from soc2_tools import warehouse
from soc2_tools.reference_evaluator import Principal, decide

ENGINES = ("duckdb", "postgres", "spark")
EXAMPLES = os.environ.get("SOC2_DIFFERENTIAL_EXAMPLES")
BATCHES_PER_BUILD = int(os.environ.get("SOC2_DIFFERENTIAL_BATCHES", "1"))
# the time box of the default DuckDB run; none when a number of builds is asked for
SECONDS = float(os.environ.get("SOC2_DIFFERENTIAL_SECONDS", "inf" if EXAMPLES else "60"))
SEED = os.environ.get("SOC2_DIFFERENTIAL_SEED")
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


Batch = list[tuple[Principal, list[tuple[str, str]]]]


def draw_batch(batch_seed: int | None, first_index: int) -> Batch:
    """BATCH principals with their requests, as BATCH Hypothesis examples
    drawn from `batch_seed` (None: Hypothesis's derandomised sequence), each
    renamed into an account of its own numbered from `first_index`. One
    example per principal keeps each within Hypothesis's size limit."""
    drawn: Batch = []

    @settings(
        max_examples=BATCH,
        phases=[Phase.generate],
        deadline=None,
        derandomize=batch_seed is None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        principals(),
        st.lists(requests(), min_size=REQUESTS_PER_PRINCIPAL, max_size=REQUESTS_PER_PRINCIPAL),
    )
    def collect(principal: Principal, reqs: list[tuple[str, str]]) -> None:
        drawn.append((principal, reqs))

    (collect if batch_seed is None else seed(batch_seed)(collect))()
    return [
        (_renamed(principal, first_index + index), reqs)
        for index, (principal, reqs) in enumerate(drawn[:BATCH])
    ]


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
        "vars": {"soc2_as_of": AS_OF_VAR},
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


REQUEST_DECISIONS = "{{ soc2.iam_request_decisions(ref('differential_requests')) }}"
ROWS_MARKER = "SOC2_DIFFERENTIAL_ROWS "


def write_queries_macro(directory: Path, queries: Sequence[str]) -> None:
    """One macro that runs every query and prints its rows as JSON: all the
    queries cost one dbt invocation (on Spark, one session) instead of one
    each."""
    blocks = []
    for number, query in enumerate(queries):
        blocks.append(
            f"{{% set query_{number} %}}{query}{{% endset %}}\n"
            f"{{% do queries.append(query_{number}) %}}"
        )
    body = "\n".join(blocks)
    (directory / "macros" / "differential_queries.sql").write_text(
        "{% macro differential_queries() %}\n{% set queries = [] %}\n"
        + body
        + "\n{% for query in queries %}"
        "{% set table = run_query(query) %}{% set rows = [] %}"
        "{% for row in table.rows %}{% set values = {} %}"
        "{% for name in table.column_names %}"
        "{% do values.update({name: none if row[name] is none else row[name] | string}) %}"
        "{% endfor %}{% do rows.append(values) %}{% endfor %}"
        f"{{{{ print('{ROWS_MARKER}' ~ tojson(rows)) }}}}"
        "{% endfor %}\n{% endmacro %}\n"
    )


def sql_results(
    engine: str,
    workdir: Path,
    batch: Batch,
    queries: Sequence[str] = (REQUEST_DECISIONS,),
    models: Sequence[str] = (
        "+int_soc2__aws_principal_statements",
        "+int_soc2__aws_statement_actions",
    ),
    seeds: Sequence[str] = ("soc2__iam_actions",),
) -> list[list[dict]]:
    """Builds the package on the batch and returns the rows of each query, in
    three dbt invocations: the fixtures, the package's seeds and models, the
    queries."""
    request_rows = [
        {"principal_arn": principal.arn, "action": action, "resource_arn": resource}
        for principal, reqs in batch
        for action, resource in reqs
    ]
    project_dir = workdir / "project"
    write_project(project_dir, cloudquery_rows(batch), request_rows)
    write_queries_macro(project_dir, queries)
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
            [
                "build",
                "--select",
                *seeds,
                *models,
                "--exclude",
                "tag:fixtures",
                "tag:raw",
                "--exclude-resource-type",
                "test",
                "unit_test",
            ],
        ):
            completed = project.dbt(arguments)
            assert completed.returncode == 0, f"dbt {arguments} failed:\n{completed.stdout[-4000:]}"
        completed = project.dbt(["run-operation", "differential_queries"])
        assert completed.returncode == 0, completed.stdout[-4000:]
        results = [
            json.loads(line[line.index(ROWS_MARKER) + len(ROWS_MARKER) :])
            for line in completed.stdout.splitlines()
            if ROWS_MARKER in line
        ]
        assert len(results) == len(queries), completed.stdout[-4000:]
        return results
    finally:
        if engine == "postgres":
            drop_postgres_schemas(schema)


def sql_decisions(engine: str, workdir: Path, batch: Batch) -> dict[tuple[str, str, str], str]:
    (rows,) = sql_results(engine, workdir, batch)
    return {(r["principal_arn"], r["action"], r["resource_arn"]): r["decision"] for r in rows}


def mismatches(batch: Batch, decisions: dict[tuple[str, str, str], str]) -> list[str]:
    found = []
    for principal, reqs in batch:
        for action, resource in reqs:
            expected = decide(principal, action, resource, AS_OF).value
            actual = decisions.get((principal.arn, action, resource))
            if actual != expected:
                found.append(
                    f"{principal.arn} {action} {resource}: sql={actual} reference={expected}"
                )
    return found


PATH_PRINCIPALS = {
    "deny_not_action_star": cases.user(cases.ADMIN, cases.policy(cases.deny("*", not_action=True))),
    "allow_not_action_star": cases.user(cases.policy(cases.allow(["*"], not_action=True))),
    "expired_admin": cases.user(
        cases.policy(
            cases.allow("*", Condition={"DateLessThan": {"aws:CurrentTime": "2020-01-01"}})
        )
    ),
    "admin_until_later": cases.user(
        cases.policy(cases.allow("*", Condition={"DateLessThan": {"aws:EpochTime": "1893456000"}}))
    ),
    "admin_from_later": cases.user(
        cases.policy(
            cases.allow("*", Condition={"DateGreaterThan": {"aws:CurrentTime": "2030-01-01"}})
        )
    ),
    "malformed_effects_only": cases.user(
        cases.policy(
            {"Effect": "allow", "Action": "*", "Resource": "*"},
            {"Effect": "Permit", "Action": "iam:PassRole", "Resource": "*"},
        )
    ),
    "admin_malformed_boundary": cases.user(
        cases.ADMIN,
        boundary=cases.policy({"Effect": "allow", "Action": "*", "Resource": "*"}),
    ),
    "pass_role_expired": cases.role(
        cases.policy(
            cases.allow(
                "iam:PassRole", Condition={"NumericLessThan": {"aws:EpochTime": "1577836800"}}
            )
        )
    ),
    "pass_role_beside_deny_not_action_star": cases.role(
        cases.policy(
            cases.allow("iam:PassRole"), cases.deny(["*", "iam:PassRole"], not_action=True)
        )
    ),
}


@dataclass
class FixedBuild:
    """One build per engine of the fixed cases, the entitlement-path
    principals and, on PostgreSQL and Spark, the deterministic drawn batch
    (in accounts after theirs): one build checks all three."""

    cases: Batch
    arn_names: dict[str, str]
    decisions: dict[tuple[str, str, str], str]
    permission_rows: list[dict]
    admin_rows: list[dict]
    target_rows: list[dict]
    drawn: Batch


_FIXED_BUILDS: dict[str, FixedBuild] = {}


def deterministic_batch_in_fixed_build(engine: str) -> bool:
    """PostgreSQL and Spark check one deterministic batch, in the fixed
    build, unless a seed or a number of builds is asked for."""
    return engine != "duckdb" and SEED is None and EXAMPLES is None


def fixed_build(engine: str, tmp_path_factory: pytest.TempPathFactory) -> FixedBuild:
    if engine in _FIXED_BUILDS:
        return _FIXED_BUILDS[engine]
    batch = [
        (_renamed(case.principal, i), [(a, r) for a, r, _ in case.expected])
        for i, case in enumerate(CASES)
    ]
    names = list(PATH_PRINCIPALS)
    paths = [(_renamed(PATH_PRINCIPALS[name], len(CASES) + i), []) for i, name in enumerate(names)]
    arn_names = {principal.arn: name for name, (principal, _) in zip(names, paths, strict=True)}
    drawn = (
        draw_batch(None, len(batch) + len(paths))
        if deterministic_batch_in_fixed_build(engine)
        else []
    )
    request_rows, permission_rows, admin_rows, target_rows = sql_results(
        engine,
        tmp_path_factory.mktemp(f"fixed_{engine}"),
        batch + paths + drawn,
        queries=(
            REQUEST_DECISIONS,
            "select principal_arn, action_key, decision"
            " from {{ ref('int_soc2__aws_principal_permissions') }} where action_key = '*'",
            "select principal_arn from {{ ref('int_soc2__aws_admin_principals') }}",
            "select targets.principal_arn, targets.action_key, nodes.target_arn"
            " from {{ ref('int_soc2__aws_principal_iam_targets') }} as targets"
            " inner join {{ ref('int_soc2__aws_iam_target_nodes') }} as nodes"
            " on targets.node_id = nodes.node_id",
        ),
        models=(
            "+int_soc2__aws_principal_iam_targets",
            "+int_soc2__aws_iam_target_nodes",
            "+int_soc2__aws_admin_principals",
            "+int_soc2__aws_statement_actions",
        ),
        seeds=(
            "soc2__iam_actions",
            "soc2__privilege_escalation_methods",
            "soc2__privilege_escalation_method_actions",
        ),
    )
    _FIXED_BUILDS[engine] = FixedBuild(
        cases=batch,
        arn_names=arn_names,
        decisions={
            (r["principal_arn"], r["action"], r["resource_arn"]): r["decision"]
            for r in request_rows
        },
        permission_rows=permission_rows,
        admin_rows=admin_rows,
        target_rows=target_rows,
        drawn=drawn,
    )
    return _FIXED_BUILDS[engine]


@pytest.mark.parametrize("engine", ENGINES)
def test_fixed_cases(engine: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """One build: every regression case gets the decision it states, and
    effective permissions, admin detection and IAM targets see a NotAction of
    '*', a malformed Effect and decided time conditions as the request
    decisions do."""
    build = fixed_build(engine, tmp_path_factory)
    decisions, arn_names = build.decisions, build.arn_names
    wrong = [
        f"{case.name}: {action} {resource}: sql={decisions.get((principal.arn, action, resource))} "
        f"expected={expected.value}"
        for case, (principal, _) in zip(CASES, build.cases, strict=True)
        for action, resource, expected in case.expected
        if decisions.get((principal.arn, action, resource)) != expected.value
    ]
    assert not wrong, "\n".join(wrong)
    permissions = [r for r in build.permission_rows if r["principal_arn"] in arn_names]
    admins = [r for r in build.admin_rows if r["principal_arn"] in arn_names]
    targets = [r for r in build.target_rows if r["principal_arn"] in arn_names]
    assert {arn_names[r["principal_arn"]]: r["decision"] for r in permissions} == {
        "deny_not_action_star": "allowed",
        "admin_until_later": "allowed",
        "admin_from_later": "allowed_conditionally",
        "admin_malformed_boundary": "denied",
    }
    # a grant of '*' that is still conditional is not on every resource
    # unconditionally (resource_scope 'scoped'), so it is no admin
    assert {arn_names[r["principal_arn"]] for r in admins} == {
        "deny_not_action_star",
        "admin_until_later",
    }
    # (admin_from_later, conditional, has targets of its own, as before)
    assert {
        (arn_names[r["principal_arn"]], r["action_key"], arn_names.get(r["target_arn"]))
        for r in targets
        if arn_names[r["principal_arn"]] != "admin_from_later"
    } == {
        (
            "pass_role_beside_deny_not_action_star",
            "iam:passrole",
            "pass_role_beside_deny_not_action_star",
        )
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_sql_agrees_with_reference_evaluator(
    engine: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Builds of BATCHES_PER_BUILD batches; batch b of build n is drawn from
    seed + n * BATCHES_PER_BUILD + b, so any failing build can be replayed
    alone. On DuckDB (or when asked) the seed is fresh; otherwise PostgreSQL
    and Spark check the deterministic batch that the fixed build holds."""
    if deterministic_batch_in_fixed_build(engine):
        build = fixed_build(engine, tmp_path_factory)
        found = mismatches(build.drawn, build.decisions)
        requests_checked = sum(len(reqs) for _, reqs in build.drawn)
        print(f"\n[differential {engine}] deterministic batch: {requests_checked} requests checked")
        assert requests_checked > 0
        assert not found, f"the deterministic batch\n{failure_report(build.drawn, found)}"
        return
    # DuckDB: as many fresh builds as the time box holds, unless told otherwise
    examples = int(EXAMPLES) if EXAMPLES else (1000 if engine == "duckdb" else 1)
    fresh = engine == "duckdb" or SEED is not None or examples > 1
    first_seed = int(SEED) if SEED is not None else random.SystemRandom().randrange(2**32)
    if fresh:
        print(f"\n[differential {engine}] seeds from {first_seed} (SOC2_DIFFERENTIAL_SEED)")
    started = time.monotonic()
    totals = {"builds": 0, "batches": 0, "requests": 0}
    try:
        for number in range(examples):
            if number and fresh and time.monotonic() - started > SECONDS:
                break
            build_seed = first_seed + number * BATCHES_PER_BUILD
            build = [
                draw_batch(build_seed + b if fresh else None, b * BATCH)
                for b in range(BATCHES_PER_BUILD if fresh else 1)
            ]
            everyone = [item for batch in build for item in batch]
            workdir = tmp_path_factory.mktemp(f"differential_{engine}")
            found = mismatches(everyone, sql_decisions(engine, workdir, everyone))
            totals["builds"] += 1
            totals["batches"] += len(build)
            totals["requests"] += sum(len(reqs) for _, reqs in everyone)
            replay = (
                f"replay: SOC2_DIFFERENTIAL_SEED={build_seed} SOC2_DIFFERENTIAL_EXAMPLES=1 "
                f"SOC2_DIFFERENTIAL_BATCHES={BATCHES_PER_BUILD}"
                if fresh
                else "the deterministic build"
            )
            assert not found, f"{replay}\n{failure_report(everyone, found)}"
    finally:
        print(
            f"[differential {engine}] {totals['builds']} builds, {totals['batches']} batches, "
            f"{totals['requests']} requests checked in {time.monotonic() - started:.0f} s"
        )


def failure_report(batch: Batch, found: list[str]) -> str:
    """The differing requests, and the policies of the first principals
    concerned, as JSON to paste into iam_regression_cases.py."""
    arns = list(dict.fromkeys(line.split(" ", 1)[0] for line in found))[:3]
    people = {principal.arn: principal for principal, _ in batch}
    shown = [
        json.dumps(
            {
                "arn": people[arn].arn,
                "kind": people[arn].kind,
                "identity_policies": people[arn].identity_policies,
                "boundary": people[arn].boundary,
                "scps": people[arn].scps,
                "is_service_linked": people[arn].is_service_linked,
            }
        )
        for arn in arns
    ]
    return (
        f"{len(found)} of {sum(len(r) for _, r in batch)} requests differ:\n"
        + "\n".join(found[:20])
        + "\nprincipals:\n"
        + "\n".join(shown)
    )
