"""The SQLite store: the embedded default, one file (or ``":memory:"``) for every partition.

Durability: the database runs in WAL mode. With ``synchronous="NORMAL"`` (the default) a commit
is in the WAL file when ``append`` returns, so it survives a crash or SIGKILL of the process;
a power loss or OS crash may lose the last transactions (the database stays consistent).
``synchronous="FULL"`` syncs the WAL at every commit and survives power loss too, at the cost
of one fsync per append (a few ms on most disks, so batch appends become fsync-bound).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Literal

from cadenza.store._base import Cursor, SqlStore
from cadenza.store._codec import RecordRow
from cadenza.store._errors import MigrationError, StoreError
from cadenza.store._sql import Dialect, Migration, load_migrations, load_queries

Synchronous = Literal["NORMAL", "FULL"]


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script, split where SQLite sees a complete one."""
    buffer: list[str] = []
    for line in script.splitlines():
        buffer.append(line)
        text = "\n".join(buffer)
        if sqlite3.complete_statement(text):
            yield text
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest and any(not ln.strip().startswith("--") for ln in rest.splitlines() if ln.strip()):
        raise MigrationError(f"migration ends with an incomplete statement: {rest[:80]!r}")


class SqliteStore(SqlStore):
    """The record log, snapshots and read model in one SQLite database.

    ``path`` is a file path or ``":memory:"`` (kept in ``self.path``). The schema is created or
    migrated on open. See the module docstring for ``synchronous``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: Synchronous = "NORMAL",
        busy_timeout_ms: int = 10_000,
    ) -> None:
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be 'NORMAL' or 'FULL', not {synchronous!r}")
        super().__init__(load_queries(Dialect.SQLITE), (sqlite3.Error, OverflowError))
        try:
            self._connection = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, cached_statements=256
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot open SQLite database {os.fspath(path)!r}: {error}") from error
        self.path = os.fspath(path)
        connection = self._connection
        self._reader: sqlite3.Connection | None = None
        try:
            settings = {"busy_timeout_ms": int(busy_timeout_ms), "synchronous": synchronous}
            self._configure(connection, "configure_connection", settings)
            self._migrate(load_migrations(Dialect.SQLITE))
            # In WAL mode readers do not block the writer nor see its open transaction; an
            # in-memory database exists only on its own connection, so it reads there.
            if self.path not in (":memory:", ""):
                self._reader = sqlite3.connect(
                    path, isolation_level=None, check_same_thread=False, cached_statements=256
                )
                self._configure(self._reader, "configure_reader", settings)
        except BaseException as error:
            for opened in (connection, self._reader):
                if opened is not None:
                    opened.close()
            if isinstance(error, sqlite3.DatabaseError):
                raise StoreError(f"cannot use SQLite database {self.path!r}: {error}") from error
            raise
        self._read_lock = threading.Lock() if self._reader is not None else self._lock

    def _configure(
        self, connection: sqlite3.Connection, name: str, settings: Mapping[str, object]
    ) -> None:
        for statement in _statements(self._queries[name] + ";"):
            connection.execute(statement.format(**settings))

    def _migrate(self, migrations: tuple[Migration, ...]) -> None:
        connection = self._connection
        connection.execute(self._queries["begin_write"])
        try:
            connection.execute(self._queries["create_schema_version"])
            applied = {row[0] for row in connection.execute(self._queries["applied_migrations"])}
            newest = max(applied, default=0)
            if newest > len(migrations):
                raise MigrationError(
                    f"database {self.path!r} has schema version {newest}, newer than this "
                    f"code knows ({len(migrations)})"
                )
            for migration in migrations:
                if migration.version in applied:
                    continue
                for statement in _statements(migration.sql):
                    connection.execute(statement)
                connection.execute(
                    self._queries["record_migration"],
                    {"version": migration.version, "name": migration.name},
                )
            connection.execute(self._queries["commit"])
        except BaseException:
            connection.execute(self._queries["rollback"])
            raise

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        connection = self._connection
        connection.execute(self._queries["begin_write"])
        try:
            yield connection.cursor()
            connection.execute(self._queries["commit"])
        except BaseException:
            # A failed COMMIT (disk full, I/O error) leaves the transaction open.
            if connection.in_transaction:
                connection.execute(self._queries["rollback"])
            raise

    @contextmanager
    def _reading(self) -> Iterator[Cursor]:
        with self._read_lock:
            self._check_open()
            reader = self._connection if self._reader is None else self._reader
            yield reader.cursor()

    def _insert_records(self, cursor: Cursor, rows: list[RecordRow]) -> None:
        cursor.executemany(self._queries["append_record"], rows)

    def _close_connection(self) -> None:
        self._connection.close()
        if self._reader is not None:
            with self._read_lock:
                self._reader.close()
