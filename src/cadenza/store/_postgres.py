"""The PostgreSQL store, for several nodes sharing one database (psycopg 3).

A commit is durable on the server when ``append`` returns (with PostgreSQL's default
``synchronous_commit = on``); PostgreSQL's replication gives the data its redundancy. The log
rows of an append go in with COPY; the busiest read-model tables take one multi-row upsert per
batch (``unnest`` of column arrays, ``sql/postgres/projection.sql``), the others pipelined
executemany.
psycopg is an optional dependency: ``pip install 'cadenza[postgres]'``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from cadenza.store._base import Cursor, SqlStore
from cadenza.store._codec import RecordRow
from cadenza.store._errors import MigrationError, StoreError
from cadenza.store._sql import Dialect, Migration, load_migrations, load_queries

if TYPE_CHECKING:
    import psycopg


class PostgresStore(SqlStore):
    """The record log, snapshots and read model in a PostgreSQL database.

    ``dsn`` is a libpq connection string or URL
    (``"postgresql://postgres@127.0.0.1:5432/cadenza"``). The schema is created or migrated on
    open; nodes starting together serialise on an advisory lock.
    """

    def __init__(self, dsn: str) -> None:
        try:
            import psycopg
        except ImportError as error:  # the optional extra is not installed
            raise StoreError(
                "PostgresStore needs psycopg 3: pip install 'cadenza[postgres]'"
            ) from error
        super().__init__(load_queries(Dialect.POSTGRES), (psycopg.Error,))
        try:
            self._connection: psycopg.Connection[Any] = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to PostgreSQL: {error}") from error
        try:
            self._migrate(load_migrations(Dialect.POSTGRES))
            # Searches and log reads use their own connection, so they never wait for an append.
            self._reader: psycopg.Connection[Any] = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as error:
            self._connection.close()
            raise StoreError(f"cannot use PostgreSQL: {error}") from error
        except BaseException:
            self._connection.close()
            raise
        self._read_lock = threading.Lock()

    def _migrate(self, migrations: tuple[Migration, ...]) -> None:
        with self._connection.transaction(), self._connection.cursor() as cursor:
            cursor.execute(self._queries["lock_migrations"])
            cursor.execute(self._queries["create_schema_version"])
            cursor.execute(self._queries["applied_migrations"])
            applied = {int(row[0]) for row in cursor.fetchall()}
            newest = max(applied, default=0)
            if newest > len(migrations):
                raise MigrationError(
                    f"database has schema version {newest}, newer than this code knows "
                    f"({len(migrations)})"
                )
            for migration in migrations:
                if migration.version not in applied:
                    # A script without parameters may hold several statements.
                    cursor.execute(cast("Any", migration.sql))
                    cursor.execute(
                        self._queries["record_migration"],
                        {"version": migration.version, "name": migration.name},
                    )

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self._connection.transaction(), self._connection.cursor() as cursor:
            yield cursor

    @contextmanager
    def _reading(self) -> Iterator[Cursor]:
        with self._read_lock:
            self._check_open()
            with self._reader.cursor() as cursor:
                yield cursor

    def _insert_records(self, cursor: Cursor, rows: list[RecordRow]) -> None:
        pg_cursor = cast("psycopg.Cursor[Any]", cursor)
        with pg_cursor.copy(cast("Any", self._queries["copy_records"])) as copy:
            for row in rows:
                copy.write_row(row)

    def _write_projection(self, cursor: Cursor, name: str, rows: list[tuple[Any, ...]]) -> None:
        columnar = self._queries.get(f"{name}_unnest")
        if columnar is None or len(rows) == 1:
            cursor.executemany(self._queries[name], rows)
        else:
            cursor.execute(columnar, [list(column) for column in zip(*rows, strict=True)])

    def _close_connection(self) -> None:
        self._connection.close()
        with self._read_lock:
            self._reader.close()
