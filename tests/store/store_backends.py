"""Backend selection and store factories shared by the store tests and their fixtures."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from cadenza.store import PostgresStore, SqliteStore, SqlStore

PG_HOST = "127.0.0.1"
PG_PORT = 5432
BACKENDS = ("sqlite", "postgres")


def _selected_backends() -> list[str]:
    raw = os.environ.get("CADENZA_TEST_STORES", ",".join(BACKENDS))
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = sorted(set(names) - set(BACKENDS))
    if unknown:
        raise pytest.UsageError(f"CADENZA_TEST_STORES: unknown backends {unknown}")
    return names


def pg_dsn(database: str) -> str:
    """The DSN of ``database`` on the test server."""
    return f"postgresql://postgres@{PG_HOST}:{PG_PORT}/{database}"


counter = itertools.count()


def pg_schema_dsn(server_dsn: str, schema: str) -> str:
    """``server_dsn`` with ``schema`` as the search path, so the store's tables go there."""
    return f"{server_dsn}?options=-csearch_path%3D{schema}"


@contextmanager
def shared_store(backend: str, request: pytest.FixtureRequest) -> Iterator[SqlStore]:
    """A store on a fresh database for fixtures wider than one test (read-only tests)."""
    if backend == "sqlite":
        directory = request.getfixturevalue("tmp_path_factory").mktemp("shared")
        store: SqlStore = SqliteStore(directory / "shared.sqlite")
        try:
            yield store
        finally:
            store.close()
        return
    import psycopg

    server = str(request.getfixturevalue("pg_server"))
    schema = f"shared{next(counter)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        store = PostgresStore(pg_schema_dsn(server, schema))
        try:
            yield store
        finally:
            store.close()
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


SELECTED_BACKENDS = _selected_backends()
