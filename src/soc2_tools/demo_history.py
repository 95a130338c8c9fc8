"""Simulated Type II history for `soc2 demo`.

A real evaluation date costs one build of the package, so the demo builds
one (its evaluation date, --as-of) and simulates the days before it from that
day's results: the package does not decide them from past inventories, this
module invents them. Every simulated row's reason starts with
"[simulated history". The simulation, deterministic from the seed:

* every simulated day holds the real day's result rows, dated that day
  (evaluation_date, evaluated_at, synced_at shifted by the same number of
  days; recorded_at is when the simulation ran), except a few skipped days
  that hold no row at all: the gaps the marts report;
* a resource failing on the real day started failing on a day of the window:
  most were already failing on its first day, the others began on a random
  later day and passed before it;
* some resources passing on the real day had an earlier failure episode of a
  few days to a few weeks (failing, then passing), a few of them two; most
  were remediated early in the window, so the pass rate of each trust
  category rises towards the real day;
* only automated results of an account that pass or fail on the real day
  change status; every other row (not_applicable, not_evaluated, manual,
  excepted, rows without an account) is copied as it is;
* the two registers' history repeats the real day's rows with, for each
  day, whether an exception was in force and which attestations were made,
  current and latest by then, by the rules of the history models.

The package's own SQL then derives the Type II marts (daily status,
episodes, remediation times, effectiveness, gaps) from that history:
`run_derived_models` rebuilds them, and never the three history tables.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import yaml

from soc2_tools import warehouse
from soc2_tools.sql_session import Session, SessionFactory

CONTROL_HISTORY = "soc2__control_history"
EXCEPTION_HISTORY = "soc2__exception_history"
ATTESTATION_HISTORY = "soc2__attestation_history"
# The models computed from the history tables, rebuilt over the simulated days.
DERIVED_SELECTION = (
    "soc2__audit_period",
    "soc2__control_daily_status+",
    "soc2__control_failure_episodes+",
)
SIMULATED_PREFIX = "[simulated history] "

# One skipped day (no evaluation at all) per thirty simulated days.
DAYS_PER_SKIPPED_DAY = 30
# Of the resources failing on the real day, the share already failing on the
# first simulated day; the others began failing on a random later day.
BACKLOG_SHARE = 0.9
# Of the resources passing on the real day, the share with an earlier
# failure episode, its length in days, and the share with a second one.
PAST_EPISODE_SHARE = 0.55
EPISODE_DAYS = (3, 42)
REOPENED_SHARE = 0.15
DAYS_BETWEEN_EPISODES = (3, 14)


@dataclass(frozen=True)
class RealResult:
    """One result row of the real evaluation date, as far as the simulation needs it."""

    result_id: str
    trust_category: str
    status: str
    # An automated result of an account that passes or fails: the simulation may change it.
    changeable: bool


@dataclass(frozen=True)
class Spell:
    """Days, first to last inclusive, on which a resource's simulated status differs from
    its status on the real day."""

    result_id: str
    first_day: dt.date
    last_day: dt.date
    status: str


@dataclass(frozen=True)
class HistoryPlan:
    """The simulated days: which are recorded, which are skipped, and the spells."""

    as_of: dt.date
    window: tuple[dt.date, ...]
    skipped_days: tuple[dt.date, ...]
    spells: tuple[Spell, ...]

    @property
    def first_day(self) -> dt.date:
        return self.window[0]

    @property
    def recorded_days(self) -> tuple[dt.date, ...]:
        skipped = set(self.skipped_days)
        return tuple(day for day in self.window if day not in skipped)


# --- the simulation ----------------------------------------------------------------------------


def window_days(as_of: dt.date, days: int) -> tuple[dt.date, ...]:
    """The simulated days, oldest first: as_of - days ... as_of - 1."""
    if days < 0:
        raise ValueError(f"the number of simulated days must not be negative, got {days}")
    return tuple(as_of - dt.timedelta(days=offset) for offset in range(days, 0, -1))


def choose_skipped_days(window: Sequence[dt.date], rng: random.Random) -> tuple[dt.date, ...]:
    """A few days without any evaluation, never the first one (the period starts on it)
    nor the last one (a failure that began on it is seen before the real day)."""
    count = len(window) // DAYS_PER_SKIPPED_DAY
    return tuple(sorted(rng.sample(list(window[1:-1]), count))) if count else ()


def failing_today_spells(
    result: RealResult, window: Sequence[dt.date], rng: random.Random
) -> list[Spell]:
    """A resource failing on the real day: failing since the first simulated day, or
    since a random later day of the window and passing before it."""
    if len(window) < 2 or rng.random() < BACKLOG_SHARE:
        return []
    started = rng.randrange(1, len(window))
    return [Spell(result.result_id, window[0], window[started - 1], "pass")]


def _closing_index(length: int, rng: random.Random) -> int:
    """The window index of the day an episode closes (its first passing day), as an
    offset from the real day: 1 is the real day itself. Earlier days are likelier
    (weight grows with the square of the offset), so remediation is front-loaded."""
    offsets = range(1, length + 1)
    return rng.choices(offsets, weights=[offset * offset for offset in offsets])[0]


def past_episode_spells(
    result: RealResult, window: Sequence[dt.date], rng: random.Random
) -> list[Spell]:
    """A resource passing on the real day: with PAST_EPISODE_SHARE, one failure episode
    of a few days to a few weeks that closed on or before the real day (an episode may
    have begun before the first simulated day: it is failing on it), and with
    REOPENED_SHARE of those an earlier one too."""
    if not window or rng.random() >= PAST_EPISODE_SHARE:
        return []
    spells: list[Spell] = []
    # Offsets count days back from the real day: offset k is window[-k].
    closes_at = _closing_index(len(window), rng) - 1  # last offset that passes
    failing = rng.randint(*EPISODE_DAYS)
    spells.append(_failing_spell(result, window, closes_at + 1, closes_at + failing))
    if rng.random() < REOPENED_SHARE:
        earlier_last = closes_at + failing + rng.randint(*DAYS_BETWEEN_EPISODES) + 1
        earlier_days = rng.randint(*EPISODE_DAYS)
        if earlier_last <= len(window):
            spells.append(
                _failing_spell(result, window, earlier_last, earlier_last + earlier_days - 1)
            )
    return spells


def _failing_spell(
    result: RealResult, window: Sequence[dt.date], last_offset: int, first_offset: int
) -> Spell:
    """Failing from `first_offset` (clipped to the first simulated day) to `last_offset`
    days before the real day."""
    first = window[-min(first_offset, len(window))]
    return Spell(result.result_id, first, window[-last_offset], "fail")


def plan_history(
    results: Iterable[RealResult], as_of: dt.date, days: int, seed: int
) -> HistoryPlan:
    """The simulated days before `as_of`, deterministic from `seed`."""
    rng = random.Random(f"soc2-demo-history-{seed}")
    window = window_days(as_of, days)
    skipped = choose_skipped_days(window, rng)
    spells: list[Spell] = []
    for result in sorted(results, key=lambda result: result.result_id):
        if not result.changeable or not window:
            continue
        if result.status == "fail":
            spells += failing_today_spells(result, window, rng)
        elif result.status == "pass":
            spells += past_episode_spells(result, window, rng)
    return HistoryPlan(as_of, window, skipped, tuple(spells))


def daily_statuses(
    plan: HistoryPlan, results: Iterable[RealResult]
) -> dict[dt.date, dict[str, str]]:
    """Each recorded simulated day's status per result id, then the real day's."""
    by_result: dict[str, list[Spell]] = defaultdict(list)
    for spell in plan.spells:
        by_result[spell.result_id].append(spell)
    real = {result.result_id: result.status for result in results}
    statuses: dict[dt.date, dict[str, str]] = {}
    for day in plan.recorded_days:
        statuses[day] = {
            result_id: next(
                (
                    spell.status
                    for spell in by_result.get(result_id, ())
                    if spell.first_day <= day <= spell.last_day
                ),
                status,
            )
            for result_id, status in real.items()
        }
    statuses[plan.as_of] = dict(real)
    return statuses


def resource_pass_rates(
    plan: HistoryPlan, results: Sequence[RealResult]
) -> dict[str, list[tuple[dt.date, float]]]:
    """Per trust category, per recorded day (the real day last), the share of its passing
    and failing resources that pass; categories with none are left out."""
    categories = {result.result_id: result.trust_category for result in results}
    rates: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    for day, statuses in daily_statuses(plan, results).items():
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for result_id, status in statuses.items():
            if status in ("pass", "fail"):
                counts[categories[result_id]][status == "fail"] += 1
        for category, (passed, failed) in sorted(counts.items()):
            rates[category].append((day, passed / (passed + failed)))
    return dict(rates)


# --- writing it --------------------------------------------------------------------------------


def read_real_results(session: Session, schema: str, as_of: dt.date) -> list[RealResult]:
    """The real day's rows of the control history."""
    rows = session.query(
        f"""
        select result_id, trust_category, status,
            control_type = 'automated' and account_id is not null
            and status in ('pass', 'fail') as changeable
        from {schema}.{CONTROL_HISTORY}
        where evaluation_date = ?
        order by result_id
        """,
        [as_of],
    )
    return [RealResult(str(row[0]), str(row[1]), str(row[2]), bool(row[3])) for row in rows]


def _columns(session: Session, schema: str, table: str) -> list[str]:
    rows = session.query(
        """
        select column_name from information_schema.columns
        where table_schema = ? and table_name = ?
        order by ordinal_position
        """,
        [schema, table],
    )
    if not rows:
        raise warehouse.WarehouseError(f"{schema}.{table} does not exist; build the package first")
    return [str(row[0]) for row in rows]


def _insert_from_real_day(
    session: Session,
    schema: str,
    table: str,
    expressions: Mapping[str, str],
    joins: str = "",
    where: str = "true",
) -> None:
    """Insert into `table`, for each simulated day in temp table simulated_days (column
    `day`), the real day's rows (alias `real`) with `expressions` replacing columns."""
    columns = _columns(session, schema, table)
    select = ",\n            ".join(
        f"{expressions.get(column, f'real.{column}')} as {column}" for column in columns
    )
    session.execute(
        f"""
        insert into {schema}.{table} ({", ".join(columns)})
        select
            {select}
        from {schema}.{table} as real
        cross join simulated_days as days
        {joins}
        where real.evaluation_date = (select as_of from simulation_settings) and ({where})
        """
    )


def write_simulated_history(
    session: Session, schema: str, plan: HistoryPlan, recorded_at: dt.datetime
) -> None:
    """Write the plan's recorded days into the three history tables, replacing any rows
    of the simulated window (never the real day's)."""
    for table in (CONTROL_HISTORY, EXCEPTION_HISTORY, ATTESTATION_HISTORY):
        session.execute(
            f"delete from {schema}.{table} where evaluation_date >= ? and evaluation_date < ?",
            [plan.first_day, plan.as_of],
        )
    session.replace_temp_table(
        "simulation_settings",
        f"as select cast('{plan.as_of.isoformat()}' as date) as as_of,"
        f" cast('{recorded_at.isoformat(sep=' ')}' as timestamp) as recorded_at",
    )
    session.replace_temp_table("simulated_days", "(day date)")
    session.insert_rows("simulated_days", [[day] for day in plan.recorded_days])
    session.replace_temp_table(
        "simulated_spells", "(result_id varchar, first_day date, last_day date, status varchar)"
    )
    session.insert_rows(
        "simulated_spells",
        [[s.result_id, s.first_day, s.last_day, s.status] for s in plan.spells],
    )
    shift = session.days("cast(days.day - real.evaluation_date as integer)")
    recorded = "(select recorded_at from simulation_settings)"
    _insert_from_real_day(
        session,
        schema,
        CONTROL_HISTORY,
        {
            "status": "coalesce(spells.status, real.status)",
            "reason": (
                "case when spells.status is null"
                f" then '{SIMULATED_PREFIX}' || coalesce(real.reason, '')"
                " else '[simulated history: ' || spells.status || ' on this day, '"
                " || real.status || ' on ' || "
                f"{session.iso_date('real.evaluation_date')}"
                " || '] ' || coalesce(real.reason, '') end"
            ),
            "synced_at": f"real.synced_at + {shift}",
            "evaluated_at": f"real.evaluated_at + {shift}",
            "recorded_at": recorded,
            "evaluation_date": "days.day",
        },
        joins=(
            "left join simulated_spells as spells on spells.result_id = real.result_id"
            " and days.day between spells.first_day and spells.last_day"
        ),
    )
    _insert_from_real_day(
        session,
        schema,
        EXCEPTION_HISTORY,
        {
            # soc2.exception_in_force
            "is_in_force": (
                "(real.approved_on is null or real.approved_on <= days.day)"
                " and real.expires_on >= days.day"
            ),
            "recorded_at": recorded,
            "evaluation_date": "days.day",
        },
    )
    _insert_from_real_day(
        session,
        schema,
        ATTESTATION_HISTORY,
        {
            # soc2__attestation_history: made by the day, current, the latest made by then
            "is_current": "real.expires_on >= days.day",
            "is_latest": (
                "row_number() over (partition by days.day, real.control_id"
                " order by real.attested_on desc, real.expires_on desc) = 1"
            ),
            "recorded_at": recorded,
            "evaluation_date": "days.day",
        },
        where="real.attested_on <= days.day",
    )


def simulate(
    open_session: SessionFactory, schema: str, as_of: dt.date, days: int, seed: int
) -> tuple[HistoryPlan, list[RealResult]]:
    """Plan and write the simulated days into the history tables in `schema` (the marts'),
    in one transaction of a session from `open_session` (DuckDB or PostgreSQL)."""
    with open_session() as session:
        results = read_real_results(session, schema, as_of)
        if not results:
            raise warehouse.WarehouseError(
                f"{schema}.{CONTROL_HISTORY} has no row for {as_of}; build the package first"
            )
        plan = plan_history(results, as_of, days, seed)
        recorded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        session.begin()
        write_simulated_history(session, schema, plan, recorded_at)
        session.commit()
    return plan, results


def run_derived_models(project: warehouse.UserProject, plan: HistoryPlan) -> list[str]:
    """Rebuild the models computed from the history (not the history tables), with the
    project's vars and the audit period starting on the first simulated day; return the
    names of the models built."""
    variables = {**project.vars, "soc2_period_start": plan.first_day.isoformat()}
    project.dbt(
        [
            "run",
            "--select",
            *DERIVED_SELECTION,
            "--vars",
            yaml.safe_dump(variables, default_flow_style=True).strip(),
        ]
    )
    models = [r for r in project.run_results() if str(r["unique_id"]).startswith("model.")]
    failed = [str(r["unique_id"]) for r in models if r["status"] != "success"]
    if failed:
        raise warehouse.DbtError(f"dbt run over the simulated history failed: {failed}")
    return sorted(str(r["unique_id"]).rsplit(".", 1)[-1] for r in models)
