"""The criteria summary of the integration fixtures, derived here in Python from
the expected control results, the catalog and the criteria (an implementation
independent of the SQL): the expected seed that dbt compares the mart with on
every engine must equal it, so the seed cannot drift from the rule."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
EXPECTED = REPOSITORY / "integration_tests" / "seeds" / "expected"
CATALOG = REPOSITORY / "seeds" / "soc2__control_catalog.csv"
CRITERIA = REPOSITORY / "seeds" / "soc2__trust_services_criteria.csv"
STATUS_ORDER = ("fail", "not_evaluated", "manual", "excepted", "pass")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def overall_status(statuses: set[str]) -> str:
    """A control's overall status from its result rows (soc2__control_summary)."""
    if not statuses:
        return "not_evaluated"
    for status in STATUS_ORDER:
        if status in statuses:
            return status
    return "not_applicable"


def criterion_status(automation: str, automated: list[str], attested: list[str]) -> str:
    """The criterion rule of DECISIONS 75, from the overall statuses of its
    automated and manual controls."""
    if not automated and not attested:
        return "no_control"
    if "fail" in automated or "fail" in attested:
        return "fail"
    if "not_evaluated" in automated:
        return "not_evaluated"
    current = attested.count("pass")
    if current < len(attested) or (automation != "automated" and current == 0):
        return "manual"
    return "pass"


def evidence_basis(automated: list[str], attested: list[str]) -> str:
    if automated and attested:
        return "automated_and_attestation"
    return "automated" if automated else "attestation" if attested else "none"


def derived_summary() -> list[dict[str, str]]:
    statuses: dict[str, set[str]] = defaultdict(set)
    for row in _rows(EXPECTED / "expected_control_results_full.csv"):
        statuses[row["control_id"]].add(row["status"])
    catalog = _rows(CATALOG)
    rows = []
    for criterion in _rows(CRITERIA):
        automated: list[str] = []
        attested: list[str] = []
        for control in catalog:
            if criterion["criterion_id"] not in control["criteria"].split(";"):
                continue
            status = overall_status(statuses[control["control_id"]])
            (attested if control["control_type"] == "manual" else automated).append(status)
        rows.append(
            {
                "criterion_id": criterion["criterion_id"],
                "evidence_basis": evidence_basis(automated, attested),
                "automated_control_count": str(len(automated)),
                "attestation_control_count": str(len(attested)),
                "current_attestation_count": str(attested.count("pass")),
                "expired_attestation_count": str(attested.count("fail")),
                "criterion_status": criterion_status(criterion["automation"], automated, attested),
            }
        )
    return rows


def test_expected_criteria_summary_follows_from_the_expected_results() -> None:
    assert _rows(EXPECTED / "expected_criteria_summary.csv") == derived_summary()


def test_every_criterion_status_of_the_rule_occurs_in_the_fixtures_or_the_cases() -> None:
    seen = {row["criterion_status"] for row in derived_summary()}
    seen |= {row["expected_status"] for row in _rows(EXPECTED / "criterion_status_cases.csv")}
    assert seen == {"no_control", "fail", "not_evaluated", "manual", "pass"}
