"""Migrations equal the documented schema; named queries load for both dialects."""

from __future__ import annotations

import pathlib
import re
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from store_backends import SELECTED_BACKENDS, pg_schema_dsn

from cadenza.store import MigrationError, SqliteStore, SqlStore
from cadenza.store._projector import PROJECTION_STATEMENTS
from cadenza.store._sql import (
    Dialect,
    load_migrations,
    load_queries,
    load_schema,
    parse_queries,
    to_psycopg,
)
from cadenza.store._sqlite import _statements


def _sqlite_shape(connection: sqlite3.Connection) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    objects = connection.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for kind, name, table in objects:
        if kind == "table":
            columns = connection.execute(f"PRAGMA table_xinfo({name})").fetchall()
            sql = connection.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (name,)
            ).fetchone()[0]
            shape[name] = ("table", columns, "WITHOUT ROWID" in sql.upper())
        elif kind == "index":
            columns = connection.execute(f"PRAGMA index_xinfo({name})").fetchall()
            shape[name] = ("index", table, columns)
    return shape


def test_sqlite_migrations_equal_the_documented_schema() -> None:
    migrated = SqliteStore(":memory:")
    try:
        documented = sqlite3.connect(":memory:")
        for statement in _statements(load_schema(Dialect.SQLITE)):
            documented.execute(statement)
        assert _sqlite_shape(migrated._connection) == _sqlite_shape(documented)
        assert "records" in _sqlite_shape(documented)
        documented.close()
    finally:
        migrated.close()


def _pg_shape(connection: Any, schema: str) -> dict[str, Any]:
    columns = connection.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default, "
        "ordinal_position FROM information_schema.columns WHERE table_schema = %s "
        "ORDER BY table_name, ordinal_position",
        (schema,),
    ).fetchall()
    indexes = connection.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY indexname",
        (schema,),
    ).fetchall()
    return {
        "columns": columns,
        "indexes": [(name, definition.replace(f"{schema}.", "")) for name, definition in indexes],
    }


def test_postgres_migrations_equal_the_documented_schema(request: pytest.FixtureRequest) -> None:
    if "postgres" not in SELECTED_BACKENDS:
        pytest.skip("postgres is not in CADENZA_TEST_STORES")
    import psycopg

    pg_server = str(request.getfixturevalue("pg_server"))

    from cadenza.store import PostgresStore

    with psycopg.connect(pg_server, autocommit=True) as connection:
        connection.execute("CREATE SCHEMA migrated")
        connection.execute("CREATE SCHEMA documented")
        try:
            PostgresStore(pg_schema_dsn(pg_server, "migrated")).close()
            with connection.transaction():
                connection.execute("SET LOCAL search_path TO documented")
                connection.execute(load_schema(Dialect.POSTGRES).encode())
            migrated = _pg_shape(connection, "migrated")
            documented = _pg_shape(connection, "documented")
        finally:
            connection.execute("DROP SCHEMA migrated CASCADE")
            connection.execute("DROP SCHEMA documented CASCADE")
    assert migrated == documented
    assert any(row[0] == "records" for row in migrated["columns"])


def test_reopening_applies_no_migration_twice(open_store: Callable[[], SqlStore]) -> None:
    open_store().close()
    store = open_store()
    rows = store._query("applied_migrations", {})
    assert [row[0] for row in rows] == [m.version for m in load_migrations(Dialect.SQLITE)]


def test_a_database_newer_than_the_code_is_refused(
    open_store: Callable[[], SqlStore],
) -> None:
    store = open_store()
    with store._transaction() as cursor:
        cursor.execute(store._queries["record_migration"], {"version": 999, "name": "9999_x.sql"})
    store.close()
    with pytest.raises(MigrationError, match="schema version 999, newer than this code"):
        open_store()


def test_migrations_are_numbered_without_gaps_in_both_dialects() -> None:
    for dialect in Dialect:
        migrations = load_migrations(dialect)
        assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
        assert migrations[0].name == "0001_initial.sql"
    assert [m.name for m in load_migrations(Dialect.SQLITE)] == [
        m.name for m in load_migrations(Dialect.POSTGRES)
    ]


# Lifecycle and status columns must say, in a comment on their line, what moves them.
LIFECYCLE_COLUMN = re.compile(r"^\s+(state|record_type|value_codec|fencing_token)\s+\w+")


@pytest.mark.parametrize("dialect", list(Dialect), ids=lambda d: d.value)
def test_every_lifecycle_column_is_commented(dialect: Dialect) -> None:
    lines = load_schema(dialect).splitlines()
    found = [line for line in lines if LIFECYCLE_COLUMN.match(line)]
    assert len(found) >= 9
    bare = [line for line in found if "--" not in line]
    assert bare == []


@pytest.mark.parametrize("dialect", list(Dialect), ids=lambda d: d.value)
def test_named_queries_exist_for_every_statement_used(dialect: Dialect) -> None:
    queries = load_queries(dialect)
    needed = {
        *PROJECTION_STATEMENTS,
        "append_record",
        "read_records",
        "last_position",
        "search_user_tasks",
        "check_partition_lease",
        "page",
        "count",
    }
    assert needed <= set(queries)
    assert all(not sql.rstrip().endswith(";") and "--" not in sql for sql in queries.values())


def test_postgres_queries_use_psycopg_placeholders() -> None:
    queries = load_queries(Dialect.POSTGRES)
    assert "%(partition_id)s" in queries["read_records"]
    assert "?" not in queries["append_record"] and "%s" in queries["append_record"]
    assert "json_each" not in queries["search_user_tasks"]


def test_placeholder_rewriting_keeps_casts_and_escapes_percent() -> None:
    sql = "SELECT a::bigint, '%' FROM t WHERE b = :b AND c = ? AND d = :d_2"
    assert to_psycopg(sql) == (
        "SELECT a::bigint, '%%' FROM t WHERE b = %(b)s AND c = %s AND d = %(d_2)s"
    )


def test_query_files_reject_a_name_defined_twice() -> None:
    text = "-- name: one\nSELECT 1;\n-- name: one\nSELECT 2;\n"
    with pytest.raises(MigrationError, match=r"x\.sql:3: query 'one' is defined twice"):
        parse_queries(text, "x.sql")
    assert parse_queries("-- name: a\n-- doc\nSELECT 1; -- why\n", "y.sql") == {"a": "SELECT 1"}


def test_an_older_sqlite_database_is_migrated_on_open(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    first = load_migrations(Dialect.SQLITE)[0]
    for statement in _statements(first.sql):
        old.execute(statement)
    old.execute(load_queries(Dialect.SQLITE)["create_schema_version"])
    old.execute("INSERT INTO schema_version VALUES (1, ?)", (first.name,))
    old.execute(
        "INSERT INTO records VALUES (1, 1, -1, 5, 2, 15, 'CREATED', '{\"a\":1}', 1, 7, 0, '', 1)"
    )
    old.commit()
    old.close()
    store = SqliteStore(path)
    try:
        versions = [row[0] for row in store._query("applied_migrations", {})]
        assert versions == [m.version for m in load_migrations(Dialect.SQLITE)]
        assert len(versions) >= 2
        assert [r.value for r in store.read(1)] == [{"a": 1}]
        assert store.form(1) is None  # the table of migration 0002 exists
    finally:
        store.close()
