"""One SQL connection to DuckDB or PostgreSQL behind the same few calls, for the code that
reads or writes the package's tables from Python (`soc2 demo`'s simulated history and its
summary): statements carry `?` marks, and the few dialect bits (an interval of days, a date
as text, a temp table replaced) are methods of the session.

A statement must not hold a literal `?` (PostgreSQL's marks are `%s`; `?` is rewritten) and,
with parameters, its `%` are escaped for psycopg2 here, so callers write plain SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from soc2_tools import warehouse

Engine = Literal["duckdb", "postgres"]
ENGINES: tuple[Engine, ...] = ("duckdb", "postgres")


@dataclass
class Session:
    """An open DB-API connection (duckdb or psycopg2) and the engine it talks to."""

    connection: Any
    engine: Engine

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}; expected one of {ENGINES}")

    # --- running statements ---

    def statement(self, sql: str, has_parameters: bool) -> str:
        """The statement in the engine's parameter style."""
        if self.engine == "duckdb" or not has_parameters:
            return sql
        return sql.replace("%", "%%").replace("?", "%s")

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of one statement."""
        if self.engine == "duckdb":
            rows: list[tuple[Any, ...]] = self.connection.execute(sql, list(parameters)).fetchall()
            return rows
        with self.connection.cursor() as cursor:
            cursor.execute(self.statement(sql, bool(parameters)), tuple(parameters) or None)
            return list(cursor.fetchall()) if cursor.description else []

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> None:
        """Run one statement, ignoring any rows."""
        if self.engine == "duckdb":
            self.connection.execute(sql, list(parameters))
            return
        with self.connection.cursor() as cursor:
            cursor.execute(self.statement(sql, bool(parameters)), tuple(parameters) or None)

    def insert_rows(self, table: str, rows: Sequence[Sequence[object]]) -> None:
        """Insert rows (all of the table's columns, in order) into `table`."""
        if not rows:
            return
        if self.engine == "duckdb":
            marks = ", ".join("?" for _ in rows[0])
            self.connection.executemany(f"insert into {table} values ({marks})", rows)
            return
        from psycopg2.extras import execute_values

        with self.connection.cursor() as cursor:
            execute_values(cursor, f"insert into {table} values %s", rows, page_size=1000)

    def begin(self) -> None:
        """Start a transaction (psycopg2 opens one by itself)."""
        if self.engine == "duckdb":
            self.connection.execute("begin transaction")

    def commit(self) -> None:
        if self.engine == "duckdb":
            self.connection.execute("commit")
        else:
            self.connection.commit()

    # --- dialect ---

    def days(self, expression: str) -> str:
        """An interval of `expression` (an integer) days."""
        if self.engine == "duckdb":
            return f"to_days({expression})"
        return f"make_interval(days => {expression})"

    def iso_date(self, expression: str) -> str:
        """A date as YYYY-MM-DD text."""
        if self.engine == "duckdb":
            return f"strftime({expression}, '%Y-%m-%d')"
        return f"to_char({expression}, 'YYYY-MM-DD')"

    def replace_temp_table(self, name: str, definition: str) -> None:
        """Create temp table `name` from `definition` ("(columns)" or "as select ..."),
        replacing one of this session."""
        if self.engine == "duckdb":
            self.execute(f"create or replace temp table {name} {definition}")
            return
        self.execute(f"drop table if exists pg_temp.{name}")
        self.execute(f"create temp table {name} {definition}")


SessionFactory = Callable[[], AbstractContextManager[Session]]


@contextmanager
def duckdb_session(path: Path | str, *, read_only: bool = False) -> Iterator[Session]:
    """A session on a DuckDB file, closed on exit."""
    import duckdb

    connection = duckdb.connect(str(path), read_only=read_only)
    try:
        yield Session(connection, "duckdb")
    finally:
        connection.close()


@contextmanager
def postgres_session(
    settings: warehouse.PostgresSettings | None = None,
) -> Iterator[Session]:
    """A session on the PostgreSQL server of `settings` (default: SOC2_PG_*), closed on
    exit; what was not committed is rolled back."""
    connection = (settings or warehouse.postgres_settings()).connect()
    try:
        yield Session(connection, "postgres")
    finally:
        connection.close()


def sqlalchemy_uri(settings: warehouse.PostgresSettings) -> str:
    """The SQLAlchemy URI of the server a BI tool would use; a password is shown as a
    placeholder, never written out."""
    user = settings.user + (":<password>" if settings.password else "")
    return f"postgresql://{user}@{settings.host}:{settings.port}/{settings.dbname}"
