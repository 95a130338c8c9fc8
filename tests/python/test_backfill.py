"""`soc2 backfill`'s arguments and errors. The backfill itself (dbt per date
from append-mode syncs) runs in the history series on DuckDB
(tests/python/history_series.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from soc2_tools import backfill, cli


def test_dates_between_covers_both_ends() -> None:
    days = list(backfill.dates_between(dt.date(2026, 2, 27), dt.date(2026, 3, 2)))
    assert [d.isoformat() for d in days] == [
        "2026-02-27",
        "2026-02-28",
        "2026-03-01",
        "2026-03-02",
    ]


def test_dates_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(backfill.BackfillError, match="after"):
        list(backfill.dates_between(dt.date(2026, 3, 2), dt.date(2026, 3, 1)))


def test_vars_must_not_set_what_backfill_sets() -> None:
    assert backfill.user_vars("{soc2_aws_schema: raw}") == {"soc2_aws_schema": "raw"}
    with pytest.raises(backfill.BackfillError, match="soc2_as_of"):
        backfill.user_vars("{soc2_as_of: '2026-01-01'}")
    with pytest.raises(backfill.BackfillError, match="mapping"):
        backfill.user_vars("[1, 2]")


def test_a_directory_without_a_dbt_project_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["backfill", "--from", "2026-01-01", "--to", "2026-01-02"]
    assert cli.main([*arguments, "--project-dir", str(tmp_path)]) == 1
    assert "has no dbt_project.yml" in capsys.readouterr().err


def test_a_bad_date_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["backfill", "--from", "2026-13-01", "--to", "2026-01-02"])
    assert exit_info.value.code == 2
    assert "not a date written YYYY-MM-DD" in capsys.readouterr().err
