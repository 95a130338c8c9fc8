"""The simulated Type II history of `soc2 demo` (src/soc2_tools/demo_history.py): the plan
is deterministic from the seed and tells a plausible story, and its rows are written into
real DuckDB history tables the way the history models would have recorded them (the same on
PostgreSQL: tests/python/test_demo_postgres.py)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from soc2_tools import demo_history as history
from soc2_tools.sql_session import Session, duckdb_session

AS_OF = dt.date(2026, 6, 30)
DAYS = 90
CATEGORIES = ("security", "availability", "confidentiality", "processing_integrity")


def _results() -> list[history.RealResult]:
    """A made-up real day: per category, 300 resources passing and 150 failing (a share
    like the demo's), plus rows the simulation must leave alone."""
    rng = random.Random(5)
    results = []
    for category in CATEGORIES:
        for number in range(450):
            status = "fail" if rng.random() < 1 / 3 else "pass"
            results.append(
                history.RealResult(f"control_{category}|{number:04d}", category, status, True)
            )
        results.append(history.RealResult(f"na_{category}", category, "not_applicable", False))
        results.append(history.RealResult(f"manual_{category}", category, "manual", False))
    return results


@pytest.fixture(scope="module")
def results() -> list[history.RealResult]:
    return _results()


@pytest.fixture(scope="module")
def plan(results) -> history.HistoryPlan:
    return history.plan_history(results, AS_OF, DAYS, seed=7)


@pytest.fixture(scope="module")
def statuses(plan, results) -> dict[dt.date, dict[str, str]]:
    return history.daily_statuses(plan, results)


def test_the_same_seed_gives_the_same_plan(plan, results) -> None:
    assert history.plan_history(list(reversed(results)), AS_OF, DAYS, seed=7) == plan
    assert history.plan_history(results, AS_OF, DAYS, seed=8) != plan


def test_the_window_and_the_skipped_days(plan) -> None:
    assert plan.window == tuple(AS_OF - dt.timedelta(days=n) for n in range(DAYS, 0, -1))
    assert plan.first_day == dt.date(2026, 4, 1)
    assert len(plan.skipped_days) == DAYS // history.DAYS_PER_SKIPPED_DAY == 3
    assert set(plan.skipped_days) < set(plan.window[1:-1])
    assert plan.recorded_days == tuple(d for d in plan.window if d not in plan.skipped_days)
    assert history.plan_history([], AS_OF, 0, seed=7).window == ()
    assert history.plan_history([], AS_OF, 29, seed=7).skipped_days == ()


def test_every_recorded_day_holds_the_real_days_resources(plan, results, statuses) -> None:
    assert list(statuses) == [*plan.recorded_days, AS_OF]
    real = {result.result_id: result.status for result in results}
    for day_statuses in statuses.values():
        assert set(day_statuses) == set(real)
    assert statuses[AS_OF] == real


def test_only_passing_and_failing_automated_results_change(plan, results, statuses) -> None:
    fixed = {r.result_id: r.status for r in results if not r.changeable}
    for day_statuses in statuses.values():
        assert {key: day_statuses[key] for key in fixed} == fixed
        assert set(day_statuses.values()) <= {"pass", "fail", "not_applicable", "manual"}
    assert {spell.status for spell in plan.spells} == {"pass", "fail"}


def _first_failure(statuses: dict[dt.date, dict[str, str]], result_id: str) -> dt.date:
    return min(day for day, by_id in statuses.items() if by_id[result_id] == "fail")


def test_failing_today_resources_began_failing_in_the_window(plan, results, statuses) -> None:
    failing = [r.result_id for r in results if r.status == "fail"]
    first_failures = {result_id: _first_failure(statuses, result_id) for result_id in failing}
    assert all(plan.first_day <= day < AS_OF for day in first_failures.values())
    # once failing, failing every recorded day up to the real day
    for result_id, first in first_failures.items():
        assert all(by_id[result_id] == "fail" for day, by_id in statuses.items() if day >= first)
    backlog = sum(day == plan.first_day for day in first_failures.values()) / len(failing)
    assert backlog == pytest.approx(history.BACKLOG_SHARE, abs=0.03)
    assert len({day for day in first_failures.values() if day > plan.first_day}) > 30


def _episodes(statuses: dict[dt.date, dict[str, str]], result_id: str) -> list[tuple[int, int]]:
    """(first, last) indexes of the runs of failing recorded days."""
    runs: list[tuple[int, int]] = []
    for index, by_id in enumerate(statuses.values()):
        if by_id[result_id] != "fail":
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def test_some_passing_resources_had_episodes_and_a_few_reopened(results, statuses) -> None:
    passing = [r.result_id for r in results if r.status == "pass"]
    episodes = {result_id: _episodes(statuses, result_id) for result_id in passing}
    with_episodes = [runs for runs in episodes.values() if runs]
    assert len(with_episodes) / len(passing) == pytest.approx(history.PAST_EPISODE_SHARE, abs=0.04)
    assert all(runs[-1][1] < len(statuses) - 1 for runs in with_episodes)  # passes today
    reopened = [runs for runs in with_episodes if len(runs) > 1]
    assert 0.05 < len(reopened) / len(with_episodes) < history.REOPENED_SHARE
    # a few days to a few weeks, unless it was already failing on the first day
    lengths = [last - first + 1 for runs in with_episodes for first, last in runs if first > 0]
    assert min(lengths) >= 2  # a skipped day may shorten a 3-day episode by one
    assert max(lengths) <= history.EPISODE_DAYS[1]
    assert sum(runs[0][0] == 0 for runs in with_episodes) > 0


def test_the_pass_rate_of_each_category_rises(plan, results) -> None:
    rates = history.resource_pass_rates(plan, results)
    assert sorted(rates) == sorted(CATEGORIES)
    for category, series in rates.items():
        values = [rate for _, rate in series]
        third = len(values) // 3
        early, late = sum(values[:third]) / third, sum(values[-third:]) / third
        assert late - early > 0.08, (category, early, late)
        assert values[-1] == pytest.approx(2 / 3, abs=0.05)


HISTORY_DDL = {
    history.CONTROL_HISTORY: """
        result_id varchar, control_id varchar, control_type varchar, trust_category varchar,
        account_id varchar, status varchar, reason varchar, synced_at timestamp,
        evaluated_at timestamp, recorded_at timestamp, evaluation_date date""",
    history.EXCEPTION_HISTORY: """
        control_id varchar, approved_on date, expires_on date, is_in_force boolean,
        recorded_at timestamp, evaluation_date date""",
    history.ATTESTATION_HISTORY: """
        control_id varchar, attested_on date, expires_on date, is_current boolean,
        is_latest boolean, recorded_at timestamp, evaluation_date date""",
}
RECORDED_AT = dt.datetime(2026, 11, 29, 12, 0)


def tiny_warehouse(session: Session, schema: str) -> None:
    """The three history tables (the columns the simulation reads or rewrites, and one it
    copies) with one real day, in a new `schema`."""
    session.execute(f"create schema {schema}")
    for table, columns in HISTORY_DDL.items():
        session.execute(f"create table {schema}.{table} ({columns})")
    real = f"timestamp '{AS_OF}', timestamp '{AS_OF}', timestamp '2026-07-01', date '{AS_OF}'"
    session.execute(
        f"""
        insert into {schema}.{history.CONTROL_HISTORY} values
        ('c1|a|r|b1', 'c1', 'automated', 'security', 'a', 'fail', 'b1 is public', {real}),
        ('c1|a|r|b2', 'c1', 'automated', 'security', 'a', 'pass', 'b2 is private', {real}),
        ('c1|a|r|b3', 'c1', 'automated', 'security', 'a', 'pass', 'b3 is private', {real}),
        ('manual_cc1_1|-|global|x', 'manual_cc1_1', 'manual', 'security', null, 'manual',
            'not attested', null, timestamp '{AS_OF}', timestamp '2026-07-01', date '{AS_OF}')
        """
    )
    session.execute(
        f"""
        insert into {schema}.{history.EXCEPTION_HISTORY} values
        ('c1', date '2026-06-20', date '2026-12-31', true, timestamp '2026-07-01', '{AS_OF}'),
        ('c1', null, date '2026-06-10', false, timestamp '2026-07-01', '{AS_OF}')
        """
    )
    session.execute(
        f"""
        insert into {schema}.{history.ATTESTATION_HISTORY} values
        ('m1', date '2026-01-01', date '2026-06-15', false, false, timestamp '2026-07-01',
            '{AS_OF}'),
        ('m1', date '2026-06-25', date '2027-06-25', true, true, timestamp '2026-07-01',
            '{AS_OF}')
        """
    )


def written_history(session: Session, schema: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the three history tables, per table, sorted."""
    return {
        table: sorted(
            session.query(f"select * from {schema}.{table}"),
            key=lambda row: tuple((value is None, str(value)) for value in row),
        )
        for table in HISTORY_DDL
    }


def simulate_tiny(
    session: Session, schema: str
) -> tuple[history.HistoryPlan, list[history.RealResult]]:
    """The tiny warehouse's real day, the plan of 30 days from it (seed 8), written twice."""
    tiny_warehouse(session, schema)
    results = history.read_real_results(session, schema, AS_OF)
    plan = history.plan_history(results, AS_OF, 30, seed=8)
    history.write_simulated_history(session, schema, plan, RECORDED_AT)
    history.write_simulated_history(session, schema, plan, RECORDED_AT)  # idempotent
    return plan, results


def test_written_rows_follow_the_plan_and_the_register_rules(tmp_path) -> None:
    with duckdb_session(tmp_path / "history.duckdb") as session:
        _check_written_rows(session)


def _check_written_rows(session: Session) -> None:
    connection = session.connection
    plan, results = simulate_tiny(session, "main_soc2")
    assert [(r.result_id, r.changeable) for r in results] == [
        ("c1|a|r|b1", True),
        ("c1|a|r|b2", True),
        ("c1|a|r|b3", True),
        ("manual_cc1_1|-|global|x", False),
    ]
    assert {spell.status for spell in plan.spells} == {"pass", "fail"}  # both kinds of change

    expected = history.daily_statuses(plan, results)
    rows = connection.execute(
        f"""
        select evaluation_date, result_id, status, reason, evaluated_at, synced_at, recorded_at
        from main_soc2.{history.CONTROL_HISTORY} order by evaluation_date, result_id
        """
    ).fetchall()
    written: dict[dt.date, dict[str, str]] = {}
    for day, result_id, status, reason, evaluated_at, synced_at, recorded_at in rows:
        written.setdefault(day, {})[result_id] = status
        if day == AS_OF:
            assert not reason.startswith("[simulated history")
            continue
        assert evaluated_at == dt.datetime.combine(day, dt.time())
        assert synced_at is None or synced_at == dt.datetime.combine(day, dt.time())
        assert recorded_at == RECORDED_AT
        real_status = expected[AS_OF][result_id]
        if status == real_status:
            assert reason.startswith(history.SIMULATED_PREFIX)
        else:
            assert reason.startswith(f"[simulated history: {status} on this day, {real_status}")
    assert written == expected
    assert len(written) == 30 - 1 + 1  # one skipped day in 30

    exceptions = connection.execute(
        f"""
        select evaluation_date, list(is_in_force order by approved_on nulls last)
        from main_soc2.{history.EXCEPTION_HISTORY} group by 1 order by 1
        """
    ).fetchall()
    assert [day for day, _ in exceptions] == [*plan.recorded_days, AS_OF]
    for day, in_force in exceptions:
        assert in_force == [day >= dt.date(2026, 6, 20), day <= dt.date(2026, 6, 10)]

    attestations: dict[dt.date, list[tuple[object, ...]]] = {}
    for day, *made in connection.execute(
        f"""
        select evaluation_date, attested_on, is_current, is_latest
        from main_soc2.{history.ATTESTATION_HISTORY} order by evaluation_date, attested_on
        """
    ).fetchall():
        attestations.setdefault(day, []).append(tuple(made))
    assert list(attestations) == [*plan.recorded_days, AS_OF]
    for day, made in attestations.items():
        old = (dt.date(2026, 1, 1), day <= dt.date(2026, 6, 15), day < dt.date(2026, 6, 25))
        new = (dt.date(2026, 6, 25), True, True)
        assert made == ([old, new] if day >= dt.date(2026, 6, 25) else [old]), day
