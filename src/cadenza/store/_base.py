"""What the SQLite and PostgreSQL stores share: append with projection, paged reads,
snapshots, partition leases and searches, over a dialect's named queries.

A backend supplies a transaction (``_transaction``), a read cursor (``_reading``) and the
record insert (``_insert_records``); everything else is here. Writes go through one connection
under a lock; reads (searches, log reads) through a second connection under their own lock
where the database allows it, so a long search never holds up an append. A store may be shared
by the threads of one process.
"""

from __future__ import annotations

import abc
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from cadenza.kernel._records import Record
from cadenza.store._codec import RecordRow, record_rows, row_record
from cadenza.store._errors import (
    LeaseHeldError,
    PositionConflictError,
    StaleFencingTokenError,
    StoreError,
)
from cadenza.store._interface import Snapshot
from cadenza.store._items import ElementStatistics
from cadenza.store._projector import PROJECTION_STATEMENTS, Rows, project
from cadenza.store._queries import Query, SearchResult
from cadenza.store._search import Searcher

T = TypeVar("T")

READ_CHUNK = 2_000  # records fetched per query by ``read``


class Cursor(Protocol):
    """The part of a DB-API cursor the stores use (sqlite3 and psycopg both fit)."""

    def execute(self, sql: Any, params: Any = ..., /) -> Any:
        """Run one statement."""
        ...

    def executemany(self, sql: Any, params: Any, /) -> Any:
        """Run one statement for every parameter row."""
        ...

    def fetchone(self) -> Any:
        """The next row or None."""
        ...

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        ...


class SqlStore(abc.ABC):
    """A ``LogStore`` with a read model, over one SQL connection."""

    def __init__(
        self, queries: Mapping[str, str], database_errors: tuple[type[Exception], ...]
    ) -> None:
        self._queries = queries
        self._database_errors = database_errors
        self._lock = threading.RLock()
        self._tokens: dict[int, int] = {}  # partition -> fencing token this store holds
        self._closed = False
        self._searcher = Searcher(queries, self._fetch_all)

    # -- backend -------------------------------------------------------------------------------

    @abc.abstractmethod
    def _transaction(self) -> AbstractContextManager[Cursor]:
        """A cursor in a write transaction: committed on normal exit, rolled back on error."""

    @abc.abstractmethod
    def _reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads outside a write transaction, holding the lock that guards it;
        raises ``StoreError`` once the store is closed."""

    @abc.abstractmethod
    def _insert_records(self, cursor: Cursor, rows: list[RecordRow]) -> None:
        """Insert the log rows of one append."""

    @abc.abstractmethod
    def _close_connection(self) -> None:
        """Close the connection."""

    # -- helpers ------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed")

    def _fetch_all(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        with self._reading() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]

    def _query(self, name: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return self._fetch_all(self._queries[name], params)

    # -- LogStore -----------------------------------------------------------------------------

    def append(self, partition_id: int, records: Sequence[Record]) -> None:
        """Append ``records`` (positions assigned, increasing) and project their events, in ONE
        transaction; when this returns the records are durable.

        Raises ``PositionConflictError`` when a position does not follow the log,
        ``StaleFencingTokenError`` when another node took the partition over, ``ValueError``
        when a record belongs to another partition or its value is not JSON.
        """
        if not records:
            return
        rows = record_rows(partition_id, records)
        previous = rows[0][1] - 1
        for record in records:
            if record.partition_id != partition_id:
                raise ValueError(
                    f"record at position {record.position} belongs to partition "
                    f"{record.partition_id}, appended to partition {partition_id}"
                )
            if record.position <= previous:
                raise PositionConflictError(partition_id, record.position, previous)
            previous = record.position
        projection = project(records)
        with self._lock:
            self._check_open()
            try:
                self._append_rows(partition_id, rows, projection)
            except self._database_errors as error:
                raise StoreError(
                    f"partition {partition_id}: append of positions {rows[0][1]}..{rows[-1][1]} "
                    f"failed: {error}"
                ) from error

    def _append_rows(self, partition_id: int, rows: list[RecordRow], projection: Rows) -> None:
        with self._transaction() as cursor:
            token = self._tokens.get(partition_id)
            if token is not None:
                self._check_fence(cursor, partition_id, token)
            cursor.execute(self._queries["last_position"], {"partition_id": partition_id})
            last = int(cursor.fetchone()[0])
            if rows[0][1] <= last:
                raise PositionConflictError(partition_id, rows[0][1], last)
            self._insert_records(cursor, rows)
            for name in PROJECTION_STATEMENTS:
                params = projection[name]
                if params:
                    self._write_projection(cursor, name, params)

    def _write_projection(self, cursor: Cursor, name: str, rows: list[tuple[Any, ...]]) -> None:
        """Run projection statement ``name`` for ``rows``; backends may do it in bulk."""
        cursor.executemany(self._queries[name], rows)

    def read(self, partition_id: int, after_position: int = 0) -> Iterator[Record]:
        """The records of a partition with position > ``after_position``, in order, read in
        chunks so that a long log is never held in memory at once."""
        position = after_position
        while True:
            rows = self._query(
                "read_records",
                {"partition_id": partition_id, "after_position": position, "limit": READ_CHUNK},
            )
            for row in rows:
                yield row_record(row)
            if len(rows) < READ_CHUNK:
                return
            position = rows[-1][1]

    def last_position(self, partition_id: int) -> int:
        """The highest position appended to the partition (0 when empty)."""
        return int(self._query("last_position", {"partition_id": partition_id})[0][0])

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Store a snapshot durably and drop the partition's older ones."""
        params = {
            "partition_id": snapshot.partition_id,
            "position": snapshot.position,
            "format_version": snapshot.format_version,
            "state": bytes(snapshot.state),
        }
        with self._lock:
            self._check_open()
            with self._transaction() as cursor:
                cursor.execute(self._queries["insert_snapshot"], params)
                cursor.execute(self._queries["drop_older_snapshots"], params)

    def latest_snapshot(self, partition_id: int) -> Snapshot | None:
        """The newest snapshot of the partition, or None."""
        rows = self._query("latest_snapshot", {"partition_id": partition_id})
        if not rows:
            return None
        partition, position, format_version, state = rows[0]
        return Snapshot(partition, position, bytes(state), format_version)

    def close(self) -> None:
        """Close the connection; later calls raise ``StoreError``. Closing twice is harmless."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._close_connection()

    # -- read model ---------------------------------------------------------------------------

    def search(self, query: Query[T]) -> SearchResult[T]:
        """One page of read-model items matching ``query`` and the total number of matches.

        Raises ``InvalidQueryError`` for an unknown sort field or a mistyped filter field.
        """
        return self._searcher.search(query)

    def rebuild_read_model(self) -> int:
        """Empty the read model and project the whole log again, in one transaction; returns
        the number of records read. For a read model lost or changed by a migration: nothing
        in it is needed to execute, and the log has everything it shows."""
        clear = [name for name in self._queries if name.startswith("clear_")]
        with self._lock:
            self._check_open()
            partitions = [int(row[0]) for row in self._query("log_partitions", {})]
            count = 0
            with self._transaction() as cursor:
                for name in clear:
                    cursor.execute(self._queries[name])
                for partition_id in partitions:
                    position = 0
                    while True:
                        cursor.execute(
                            self._queries["read_records"],
                            {
                                "partition_id": partition_id,
                                "after_position": position,
                                "limit": READ_CHUNK,
                            },
                        )
                        records = [row_record(row) for row in cursor.fetchall()]
                        count += len(records)
                        projection = project(records)
                        for statement in PROJECTION_STATEMENTS:
                            if projection[statement]:
                                self._write_projection(cursor, statement, projection[statement])
                        if len(records) < READ_CHUNK:
                            break
                        position = records[-1].position
        return count

    def process_definition_xml(self, process_definition_key: int) -> str | None:
        """The deployed resource (BPMN XML) of a process definition, or None if unknown."""
        rows = self._query("process_definition_resource", {"key": process_definition_key})
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def decision_requirements_xml(self, decision_requirements_key: int) -> str | None:
        """The deployed resource (DMN XML) of a decision requirements graph, or None."""
        rows = self._query("decision_requirements_resource", {"key": decision_requirements_key})
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def element_statistics(self, process_definition_key: int) -> tuple[ElementStatistics, ...]:
        """Instance counts per element of a process definition (diagram overlays, heat maps),
        ordered by element id; elements never reached are absent."""
        rows = self._query("element_statistics", {"process_definition_key": process_definition_key})
        return tuple(
            ElementStatistics(str(element_id), int(active), int(incidents), int(done), int(ended))
            for element_id, active, incidents, done, ended in rows
        )

    def form(self, form_key: int) -> dict[str, Any] | None:
        """A deployed form by key, with the FORM record's field names (``formId``, ``version``,
        ``formKey``, ``resourceName``, ``checksum``, ``resource``, ``tenantId``), or None."""
        rows = self._query("form_by_key", {"key": form_key})
        if not rows:
            return None
        key, form_id, version, resource_name, checksum, resource, tenant_id = rows[0]
        return {
            "formKey": key,
            "formId": form_id,
            "version": version,
            "resourceName": resource_name,
            "checksum": checksum,
            "resource": resource,
            "tenantId": tenant_id,
        }

    # -- partition leases (groundwork for several nodes) ----------------------------------------

    def acquire_partition(
        self, partition_id: int, node_id: str, lease_ms: int, *, now_ms: int | None = None
    ) -> int:
        """Take or renew the lease of ``partition_id`` for ``node_id``; returns the fencing token.

        A node taking over gets a greater token than the previous owner; from then on this
        store's appends to the partition check that token and the previous owner's appends
        fail with ``StaleFencingTokenError``. Raises ``LeaseHeldError`` while another node's
        lease runs. ``now_ms`` defaults to this machine's clock.
        """
        now = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        params = {"partition_id": partition_id, "node_id": node_id, "lease_until": now + lease_ms}
        with self._lock:
            self._check_open()
            with self._transaction() as cursor:
                cursor.execute(self._queries["lock_partition_lease"], params)
                lease = cursor.fetchone()
                if lease is None:
                    cursor.execute(self._queries["insert_partition_lease"], params)
                else:
                    owner, _token, lease_until = lease
                    if owner != node_id and lease_until > now:
                        raise LeaseHeldError(partition_id, owner, lease_until)
                    cursor.execute(self._queries["update_partition_lease"], params)
                cursor.execute(self._queries["lock_partition_lease"], params)
                token = int(cursor.fetchone()[1])
        self._tokens[partition_id] = token
        return token

    def _check_fence(self, cursor: Cursor, partition_id: int, token: int) -> None:
        cursor.execute(self._queries["check_partition_lease"], {"partition_id": partition_id})
        lease = cursor.fetchone()
        if lease is None or int(lease[1]) != token:
            owner, current = (lease[0], int(lease[1])) if lease else ("", 0)
            raise StaleFencingTokenError(partition_id, token, current, owner)
