"""The package's analyses (the Metabase questions, analyses/soc2__question_*.sql) checked
on a built warehouse: `dbt compile --select "resource_type:analysis"` in the user project,
each compiled file run on the same database, and its exact result (columns, rows and
order) compared with the same question answered here, in Python, from the marts' rows.

`query(sql)` runs one statement on that database and returns (column names, rows); a
DuckDB or psycopg2 connection is wrapped by `connection_query`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from soc2_tools import warehouse

Row = tuple[Any, ...]
Result = tuple[list[str], list[Row]]
Query = Callable[[str], Result]

# The marts the questions read: the exposure `metabase_questions` lists exactly these.
QUESTION_MARTS = {
    "soc2__control_results",
    "soc2__control_summary",
    "soc2__criteria_summary",
    "soc2__ciem_findings",
    "soc2__ciem_principals",
    "soc2__trust_category_daily",
}
QUESTIONS = (
    "soc2__question_controls_passing",
    "soc2__question_criteria_status",
    "soc2__question_worst_failing_controls",
    "soc2__question_ciem_findings",
    "soc2__question_pass_rate_trend",
)
# The package's other analysis, checked with them (it compiles in the same run).
OTHER_ANALYSES = ("soc2__failing_resources_by_account",)
SEVERITY_RANK = {"critical": 5, "high": 4, "medium": 3, "low": 2, "info": 1}
WORST_CONTROLS = 10


def connection_query(connection: Any) -> Query:
    """A Query over a DuckDB or psycopg2 connection."""

    def query(sql: str) -> Result:
        cursor = connection.cursor()
        try:
            cursor.execute(sql)
            columns = [str(column[0]) for column in cursor.description]
            return columns, [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    return query


def compile_analyses(project: warehouse.UserProject) -> dict[str, str]:
    """Compile the project's analyses (the package's among them) once; return the package's
    compiled SQL by analysis name."""
    project.dbt(["compile", "--select", "resource_type:analysis"])
    directory = project.directory / "target" / "compiled" / "soc2" / "analyses"
    return {path.stem: path.read_text() for path in sorted(directory.glob("*.sql"))}


def exposure_and_analysis_refs(project: warehouse.UserProject) -> tuple[set[str], set[str]]:
    """From the compile's manifest: the models the exposure `metabase_questions` depends on,
    and the models the question analyses ref."""
    manifest = json.loads((project.directory / "target" / "manifest.json").read_text())
    exposure = manifest["exposures"]["exposure.soc2.metabase_questions"]
    exposed = set(exposure["depends_on"]["nodes"])
    referenced = {
        node
        for name in QUESTIONS
        for node in manifest["nodes"][f"analysis.soc2.{name}"]["depends_on"]["nodes"]
    }
    return exposed, referenced


def _records(query: Query, sql: str) -> list[dict[str, Any]]:
    columns, rows = query(sql)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _nulls_last(value: Any) -> tuple[bool, Any]:
    return (value is None, "" if value is None else value)


def _overall_status(statuses: Counter[str]) -> str:
    """soc2.control_overall_status over one control's results."""
    for status in ("fail", "not_evaluated", "manual", "excepted", "pass"):
        if statuses[status] > 0:
            return status
    return "not_applicable"


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole > 0 else None


def _controls_passing(results: list[dict[str, Any]]) -> Result:
    statuses: dict[tuple[str, str | None], dict[str, Counter[str]]] = defaultdict(
        lambda: defaultdict(Counter)
    )
    for row in results:
        key = (row["trust_category"], row["account_id"])
        statuses[key][row["control_id"]][row["status"]] += 1
    rows = []
    for (category, account), by_control in statuses.items():
        overall = Counter(_overall_status(counts) for counts in by_control.values())
        passing, failing = overall["pass"], overall["fail"]
        other = overall["manual"] + overall["excepted"] + overall["not_applicable"]
        rows.append(
            (
                category,
                account,
                len(by_control),
                passing,
                failing,
                overall["not_evaluated"],
                other,
                _rate(passing, passing + failing),
            )
        )
    rows.sort(key=lambda row: (row[0], _nulls_last(row[1])))
    columns = ["trust_category", "account_id", "controls", "controls_passing"]
    columns += ["controls_failing", "controls_not_evaluated", "controls_other"]
    return [*columns, "control_pass_rate"], rows


CRITERIA_COLUMNS = [
    "criterion_id",
    "trust_category",
    "criterion_group",
    "criterion_title",
    "automation",
    "evidence_basis",
    "control_count",
    "passing_control_count",
    "failing_control_count",
    "not_evaluated_control_count",
    "manual_control_count",
    "current_attestation_count",
    "expired_attestation_count",
    "missing_attestation_count",
    "criterion_status",
    "sort_order",
]


def _criteria_status(criteria: list[dict[str, Any]]) -> Result:
    ordered = sorted(criteria, key=lambda row: (row["sort_order"], row["criterion_id"]))
    return CRITERIA_COLUMNS, [tuple(row[c] for c in CRITERIA_COLUMNS) for row in ordered]


def _worst_failing_controls(results: list[dict[str, Any]]) -> Result:
    failing = [row for row in results if row["status"] == "fail"]
    by_control: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in failing:
        by_control[row["control_id"]].append(row)
    worst = sorted(
        by_control,
        key=lambda c: (-SEVERITY_RANK[by_control[c][0]["severity"]], -len(by_control[c]), c),
    )[:WORST_CONTROLS]
    rows = []
    for rank, control_id in enumerate(worst, start=1):
        resources = sorted(
            by_control[control_id],
            key=lambda r: (_nulls_last(r["account_id"]), r["region"], r["resource_id"]),
        )
        first = resources[0]
        rows += [
            (
                rank,
                control_id,
                first["control_title"],
                first["trust_category"],
                first["severity"],
                len(resources),
                r["account_id"],
                r["region"],
                r["resource_type"],
                r["resource_id"],
                r["reason"],
            )
            for r in resources
        ]
    columns = ["control_rank", "control_id", "control_title", "trust_category", "severity"]
    columns += ["fail_count", "account_id", "region", "resource_type", "resource_id", "reason"]
    return columns, rows


def _ciem_findings(findings: list[dict[str, Any]], principals: list[dict[str, Any]]) -> Result:
    by_arn = {row["principal_arn"]: row for row in principals}
    per_principal = Counter(
        (row["finding_type"], row["severity"], row["principal_arn"]) for row in findings
    )
    type_findings = Counter((row["finding_type"], row["severity"]) for row in findings)
    type_principals = Counter((kind, severity) for kind, severity, _ in per_principal)
    rows = []
    for (kind, severity, arn), count in per_principal.items():
        principal = by_arn.get(arn, {})
        rows.append(
            (
                kind,
                severity,
                type_findings[(kind, severity)],
                type_principals[(kind, severity)],
                principal.get("account_id"),
                arn,
                principal.get("principal_type"),
                principal.get("principal_name"),
                principal.get("is_admin_equivalent"),
                count,
                principal.get("finding_count"),
                principal.get("finding_types"),
            )
        )
    rows.sort(key=lambda row: (-SEVERITY_RANK[row[1]], row[0], row[5]))
    columns = ["finding_type", "severity", "type_findings", "type_principals", "account_id"]
    columns += ["principal_arn", "principal_type", "principal_name", "is_admin_equivalent"]
    columns += ["principal_findings", "principal_finding_count", "principal_finding_types"]
    return columns, rows


TREND_COLUMNS = [
    "evaluation_date",
    "trust_category",
    "controls_evaluated",
    "controls_passing",
    "control_pass_rate",
    "criteria_evaluated",
    "criteria_passing",
    "criteria_pass_rate",
]


def _pass_rate_trend(daily: list[dict[str, Any]]) -> Result:
    ordered = sorted(daily, key=lambda row: (row["evaluation_date"], row["trust_category"]))
    return TREND_COLUMNS, [tuple(row[c] for c in TREND_COLUMNS) for row in ordered]


def _failing_resources_by_account(results: list[dict[str, Any]]) -> Result:
    failing = [row for row in results if row["status"] == "fail"]
    counts = Counter((row["account_id"], row["severity"]) for row in failing)
    controls: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for row in failing:
        controls[(row["account_id"], row["severity"])].add(row["control_id"])
    rows = [
        (account, severity, n, len(controls[(account, severity)]))
        for (account, severity), n in counts.items()
    ]
    rows.sort(key=lambda row: (_nulls_last(row[0]), -SEVERITY_RANK[row[1]]))
    return ["account_id", "severity", "failing_results", "failing_controls"], rows


def expected_answers(query: Query, schema: str) -> dict[str, Result]:
    """Every analysis's answer, computed from the marts' rows in `schema`."""

    def mart(name: str, columns: Iterable[str] = ("*",)) -> list[dict[str, Any]]:
        return _records(query, f"select {', '.join(columns)} from {schema}.{name}")

    results = mart(
        "soc2__control_results",
        [
            "control_id",
            "control_title",
            "trust_category",
            "severity",
            "account_id",
            "region",
            "resource_type",
            "resource_id",
            "status",
            "reason",
        ],
    )
    return {
        "soc2__question_controls_passing": _controls_passing(results),
        "soc2__question_criteria_status": _criteria_status(mart("soc2__criteria_summary")),
        "soc2__question_worst_failing_controls": _worst_failing_controls(results),
        "soc2__question_ciem_findings": _ciem_findings(
            mart("soc2__ciem_findings"), mart("soc2__ciem_principals")
        ),
        "soc2__question_pass_rate_trend": _pass_rate_trend(mart("soc2__trust_category_daily")),
        "soc2__failing_resources_by_account": _failing_resources_by_account(results),
    }


def assert_questions_answer(
    project: warehouse.UserProject, compiled: dict[str, str], query: Query, schema: str
) -> dict[str, int]:
    """Run each compiled analysis (`compile_analyses`; compile before opening a DuckDB
    connection, which locks the file) on the warehouse and compare it exactly with its
    answer from the marts; return the row count of each, for the caller's own checks."""
    assert set(compiled) == {*QUESTIONS, *OTHER_ANALYSES}
    exposed, referenced = exposure_and_analysis_refs(project)
    assert exposed == referenced == {f"model.soc2.{name}" for name in QUESTION_MARTS}
    expected = expected_answers(query, schema)
    counts = {}
    for name, sql in compiled.items():
        columns, rows = query(sql)
        assert columns == expected[name][0], name
        assert rows == expected[name][1], name
        counts[name] = len(rows)
    return counts
