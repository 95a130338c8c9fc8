"""The raw-table writer: declared types, DuckDB and PostgreSQL round trips, bad input."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from soc2_tools import rawdb, warehouse
from soc2_tools.generator import OrgSize, generate_organisation

SYNC = datetime(2026, 6, 30, 1, 2, 3)
PG = warehouse.postgres_settings()
EDGE_SPECS = {
    "edge": [
        ("_cq_id", "uuid"),
        ("t", "text"),
        ("j", "json"),
        ("b", "boolean"),
        ("i", "bigint"),
        ("d", "double"),
        ("ts", "timestamp"),
        ("a", "text_array"),
        ("bin", "binary"),
        ("_cq_source_name", "text"),
        ("_cq_sync_time", "timestamp"),
    ]
}
EDGE_ROWS = [
    {
        "t": "tab\there\nnew\\line \"double\" 'single' zoë \r end",
        "j": {"k": 'v\n"x"', "n": [1, None], "ü": True},
        "b": True,
        "i": 2**62,
        "d": 1.5,
        "ts": datetime(2026, 1, 1, 12, 30, tzinfo=timezone(timedelta(hours=2))),
        "a": ["a,b", 'q"uote', None, "back\\slash", "{brace}", ""],
        "bin": b"\x00\x01\xff\\",
    },
    {"t": "", "j": '"just a string"', "b": False, "i": 7, "ts": "2026-06-30T00:00:00Z", "a": []},
    {"t": "\\N"},
]
EDGE_EXPECTED = [
    (
        "tab\there\nnew\\line \"double\" 'single' zoë \r end",
        {"k": 'v\n"x"', "n": [1, None], "ü": True},
        True,
        2**62,
        1.5,
        datetime(2026, 1, 1, 10, 30),
        ["a,b", 'q"uote', None, "back\\slash", "{brace}", ""],
        b"\x00\x01\xff\\",
    ),
    ("", "just a string", False, 7, None, datetime(2026, 6, 30), [], None),
    ("\\N", None, None, None, None, None, None, None),
]


@pytest.fixture(scope="module")
def org() -> dict[str, list[dict]]:
    return generate_organisation(OrgSize())


@pytest.fixture
def pg_schema():
    """A uniquely named PostgreSQL schema, dropped afterwards. An unreachable server fails."""
    name = f"soc2_test_{uuid.uuid4().hex[:12]}"
    yield name
    warehouse.drop_schemas(name)


def _pg_fetch(sql: str, params: tuple = ()) -> list[tuple]:
    connection = PG.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def _duck(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path))


def test_specs_come_from_the_sources_yaml():
    specs = rawdb.load_table_specs()
    users = dict(specs["aws_iam_users"])
    assert users["_cq_id"] == "uuid"
    assert users["tags"] == "json"
    assert users["create_date"] == "timestamp"
    assert dict(specs["aws_iam_accounts"])["aliases"] == "text_array"
    assert dict(specs["aws_iam_credential_reports"])["password_enabled"] == "text"
    assert {t for cols in specs.values() for _, t in cols} <= set(rawdb.PACKAGE_TYPES)


def test_specs_from_an_explicit_file(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(
        "version: 2\nsources:\n  - name: x\n    tables:\n      - name: t\n        columns:\n"
        "          - name: a\n            data_type: bigint\n"
    )
    assert rawdb.load_table_specs(path) == {"t": [("a", "bigint")]}
    path.write_text(path.read_text().replace("bigint", "varchar"))
    with pytest.raises(ValueError, match="unknown data_type"):
        rawdb.load_table_specs(path)


def test_duckdb_round_trip(tmp_path, org):
    path = tmp_path / "raw.duckdb"
    counts = rawdb.write_tables(org, rawdb.RawTarget("duckdb", path=path), sync_time=SYNC)
    assert counts == {table: len(rows) for table, rows in org.items()}
    with _duck(path) as con:
        for table, rows in org.items():
            assert con.execute(f"select count(*) from cloudquery.{table}").fetchone()[0] == len(
                rows
            )
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'cloudquery' and table_name = 'aws_iam_policy_versions'"
            ).fetchall()
        )
        assert types["document_json"] == "JSON"
        assert types["create_date"] == "TIMESTAMP"
        assert types["_cq_id"] == "UUID"
        assert types["is_default_version"] == "BOOLEAN"
        aliases = con.execute(
            "select data_type from information_schema.columns where table_schema = 'cloudquery' "
            "and table_name = 'aws_iam_accounts' and column_name = 'aliases'"
        ).fetchone()[0]
        assert aliases == "VARCHAR[]"
        users = con.execute(
            "select user_name, create_date, _cq_id::varchar, _cq_sync_time, _cq_source_name "
            "from cloudquery.aws_iam_users"
        ).fetchall()
        broken = con.execute(
            "select count(*) from cloudquery.aws_iam_policy_versions where document_json is null"
        ).fetchone()[0]
        statement = con.execute(
            "select json_type(document_json -> '$.Statement') "
            "from cloudquery.aws_iam_policy_versions where document_json ->> '$.Statement' = '42'"
        ).fetchall()
    expected = [
        (u["user_name"], u["create_date"], u["_cq_id"], u["_cq_sync_time"], "aws")
        for u in org["aws_iam_users"]
    ]
    assert sorted(users) == sorted(expected)
    assert broken == sum(1 for v in org["aws_iam_policy_versions"] if v["document_json"] is None)
    assert statement == [("UBIGINT",)]


def test_postgres_round_trip(pg_schema, org):
    target = rawdb.RawTarget("postgres", schema=pg_schema, postgres=PG)
    counts = rawdb.write_tables(org, target, sync_time=SYNC)
    assert counts == {table: len(rows) for table, rows in org.items()}
    for table, rows in org.items():
        assert _pg_fetch(f'select count(*) from "{pg_schema}".{table}') == [(len(rows),)]
    types = dict(
        _pg_fetch(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = %s and table_name = 'aws_iam_policy_versions'",
            (pg_schema,),
        )
    )
    assert types["document_json"] == "jsonb"
    assert types["create_date"] == "timestamp without time zone"
    assert types["_cq_id"] == "uuid"
    roles = _pg_fetch(
        f'select arn, assume_role_policy_document from "{pg_schema}".aws_iam_roles order by arn'
    )
    expected = sorted((r["arn"], r["assume_role_policy_document"]) for r in org["aws_iam_roles"])
    assert roles == expected
    user = org["aws_iam_users"][0]
    assert _pg_fetch(
        f'select user_name, create_date, _cq_sync_time from "{pg_schema}".aws_iam_users '
        "where _cq_id = %s",
        (user["_cq_id"],),
    ) == [(user["user_name"], user["create_date"], user["_cq_sync_time"])]


def test_postgres_dsn_target(pg_schema):
    dsn = f"host={PG.host} port={PG.port} user={PG.user} dbname={PG.dbname} connect_timeout=9"
    server = warehouse.PostgresSettings.from_dsn(dsn)
    assert server.options == (("connect_timeout", "9"),)
    target = rawdb.RawTarget("postgres", schema=pg_schema, postgres=server)
    assert rawdb.write_tables({"edge": EDGE_ROWS}, target, specs=EDGE_SPECS) == {"edge": 3}
    assert target.describe() == f"postgres {PG.host}:{PG.port}/{PG.dbname}, schema {pg_schema}"


def test_edge_values_survive_both_engines(tmp_path, pg_schema):
    path = tmp_path / "edge.duckdb"
    rawdb.write_tables({"edge": EDGE_ROWS}, rawdb.RawTarget("duckdb", path=path), specs=EDGE_SPECS)
    rawdb.write_tables(
        {"edge": EDGE_ROWS},
        rawdb.RawTarget("postgres", schema=pg_schema, postgres=PG),
        specs=EDGE_SPECS,
    )
    columns = "t, j, b, i, d, ts, a, bin"
    with _duck(path) as con:
        duck_rows = con.execute(f"select {columns} from cloudquery.edge order by rowid").fetchall()
    pg_rows = _pg_fetch(f'select {columns} from "{pg_schema}".edge order by ctid')
    duck_rows = [(r[0], None if r[1] is None else json.loads(r[1]), *r[2:]) for r in duck_rows]
    pg_rows = [(*r[:7], None if r[7] is None else bytes(r[7])) for r in pg_rows]
    assert duck_rows == EDGE_EXPECTED
    assert pg_rows == EDGE_EXPECTED


def test_system_column_defaults(tmp_path):
    path = tmp_path / "raw.duckdb"
    rows = [
        {"account_id": "000000000001", "user_name": "a"},
        {"account_id": "000000000001", "user_name": "a"},
    ]
    before = datetime.now(UTC).replace(tzinfo=None)
    rawdb.write_tables({"aws_iam_users": rows}, rawdb.RawTarget("duckdb", path=path))
    with _duck(path) as con:
        written = con.execute(
            "select _cq_id::varchar, _cq_source_name, _cq_sync_time from cloudquery.aws_iam_users"
        ).fetchall()
    assert written[0][0] == written[1][0] == rawdb.deterministic_id("aws_iam_users", rows[0])
    assert written[0][1] == "aws"
    assert written[0][2] >= before - timedelta(seconds=1)
    other = rawdb.deterministic_id("aws_iam_users", {**rows[0], "user_name": "b"})
    assert other != written[0][0]
    assert rawdb.deterministic_id("aws_iam_roles", rows[0]) != written[0][0]
    assert rawdb.deterministic_id("aws_iam_users", {**rows[0], "path": None}) == written[0][0]


def test_replace_append_and_untouched_tables(tmp_path, org):
    target = rawdb.RawTarget("duckdb", path=tmp_path / "org.duckdb", schema="raw")
    rawdb.write_tables(
        {"aws_iam_users": org["aws_iam_users"], "aws_s3_buckets": org["aws_s3_buckets"]}, target
    )
    rawdb.write_tables({"aws_iam_users": org["aws_iam_users"][:2]}, target)
    rawdb.write_tables({"aws_iam_users": org["aws_iam_users"][:1]}, target, replace=False)
    with _duck(target.path) as con:
        assert con.execute("select count(*) from raw.aws_iam_users").fetchone()[0] == 3
        buckets = con.execute("select count(*) from raw.aws_s3_buckets").fetchone()[0]
    assert buckets == len(org["aws_s3_buckets"])
    with pytest.raises(ValueError, match="does not exist"):
        rawdb.write_tables({"aws_iam_roles": []}, target, create_missing=False)


def test_empty_table_is_created(tmp_path):
    target = rawdb.RawTarget("duckdb", path=tmp_path / "raw.duckdb")
    assert rawdb.write_tables({"aws_iam_mfa_devices": []}, target) == {"aws_iam_mfa_devices": 0}
    with _duck(target.path) as con:
        assert con.execute("select count(*) from cloudquery.aws_iam_mfa_devices").fetchone() == (0,)


def test_unknown_column_is_rejected(tmp_path):
    target = rawdb.RawTarget("duckdb", path=tmp_path / "raw.duckdb")
    rows = [{"account_id": "000000000001", "user_nmae": "typo"}]
    with pytest.raises(ValueError, match=r"aws_iam_users.*user_nmae"):
        rawdb.write_tables({"aws_iam_users": rows}, target)
    assert not (tmp_path / "raw.duckdb").exists()


def test_unknown_table_is_rejected(tmp_path):
    target = rawdb.RawTarget("duckdb", path=tmp_path / "raw.duckdb")
    with pytest.raises(ValueError, match="aws_iam_userz"):
        rawdb.write_tables({"aws_iam_userz": []}, target)


def test_bad_target_kind():
    with pytest.raises(ValueError):
        rawdb.RawTarget("sqlite", path="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        rawdb.RawTarget("duckdb")


def test_write_is_fast(tmp_path):
    """200,000 rows in well under a minute."""
    org = generate_organisation(OrgSize().scaled(250))
    rows = sum(len(r) for r in org.values())
    assert rows >= 200_000
    started = time.perf_counter()
    rawdb.write_tables(org, rawdb.RawTarget("duckdb", path=tmp_path / "big.duckdb"))
    assert time.perf_counter() - started < 30
