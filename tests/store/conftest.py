"""Store fixtures: every store test runs against each backend named in CADENZA_TEST_STORES.

``CADENZA_TEST_STORES=sqlite,postgres`` (the default) runs both; PostgreSQL tests use the
server at 127.0.0.1:5432 (user postgres, trust auth) with a database per test session and a
fresh schema per test (the store migrates it on open), and skip with a reason when it is down.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable, Iterator

import pytest
from store_backends import (
    PG_HOST,
    PG_PORT,
    SELECTED_BACKENDS,
    counter,
    pg_dsn,
    pg_schema_dsn,
)

from cadenza.store import PostgresStore, SqliteStore, SqlStore


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The DSN of a database of this test session, dropped at its end."""
    try:
        import psycopg
    except ImportError as error:
        pytest.skip(f"psycopg is not installed: {error}")
    try:
        admin = psycopg.connect(pg_dsn("postgres"), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT}: {error}")
    name = f"cadenza_store_test_{os.getpid()}"
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield pg_dsn(name)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """The DSN of a fresh, empty schema for one test (a schema is much cheaper to make than a
    database), dropped afterwards."""
    import psycopg

    schema = f"t{next(counter)}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield pg_schema_dsn(pg_server, schema)
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=SELECTED_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test."""
    return str(request.param)


@pytest.fixture
def target(backend: str, request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> str:
    """Where the backend keeps its data: a SQLite file or a PostgreSQL DSN."""
    if backend == "postgres":
        return str(request.getfixturevalue("pg_database"))
    return str(tmp_path / "cadenza.sqlite")


@pytest.fixture
def open_store(backend: str, target: str) -> Iterator[Callable[[], SqlStore]]:
    """Opens (or reopens) a store on the test's database; every store opened is closed."""
    opened: list[SqlStore] = []

    def open_() -> SqlStore:
        store: SqlStore = PostgresStore(target) if backend == "postgres" else SqliteStore(target)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], SqlStore]) -> SqlStore:
    """A store on a fresh database."""
    return open_store()
