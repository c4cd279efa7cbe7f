"""Append throughput of the stores (records/s), read-model projection included, and the rate
of reading the whole log back (the recovery path).

Not a test: run it by hand, e.g.

    python bench/store_bench.py                      # SQLite file, NORMAL and FULL sync
    python bench/store_bench.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

The workload imitates the engine's output for a one-service-task process: per instance about
20 records (commands, element lifecycle events, variables, job events), about half of them
events the read model projects. Each configuration appends batches of the given size into a
fresh database, ``--repeat`` times; the best run is printed (the machine's other load only ever
slows a run down).
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator

from cadenza.kernel._records import Record, RecordType, ValueType
from cadenza.store import PostgresStore, SqliteStore, SqlStore

EVENT = RecordType.EVENT
COMMAND = RecordType.COMMAND
PI = ValueType.PROCESS_INSTANCE


def _instance_records(n: int, now: int) -> Iterator[Record]:
    """The records one process instance with one service task leaves in the log."""
    base = 1_000_000 + n * 100
    pi = base
    common = {
        "bpmnProcessId": "order-process",
        "version": 3,
        "processDefinitionKey": 2251799813685249,
        "processInstanceKey": pi,
        "parentProcessInstanceKey": -1,
        "parentElementInstanceKey": -1,
        "tenantId": "<default>",
    }

    def element(key: int, element_id: str, kind: str, scope: int, intent: str) -> Record:
        value = dict(common, elementId=element_id, bpmnElementType=kind, flowScopeKey=scope)
        value["bpmnEventType"] = "UNSPECIFIED"
        rtype = COMMAND if intent in ("ACTIVATE_ELEMENT", "COMPLETE_ELEMENT") else EVENT
        return Record(key, rtype, PI, intent, value, now)

    yield Record(-1, COMMAND, ValueType.PROCESS_INSTANCE_CREATION, "CREATE", {"x": 1}, now)
    for intent in ("ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"):
        yield element(pi, "order-process", "PROCESS", -1, intent)
    yield Record(
        base + 1,
        EVENT,
        ValueType.VARIABLE,
        "CREATED",
        {
            "name": "order",
            "value": '{"id":42,"items":["a","b"],"total":99.5}',
            "scopeKey": pi,
            "processInstanceKey": pi,
            "processDefinitionKey": 2251799813685249,
            "bpmnProcessId": "order-process",
            "tenantId": "<default>",
        },
        now,
    )
    for intent in ("ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED", "ELEMENT_COMPLETING"):
        yield element(base + 2, "start", "START_EVENT", pi, intent)
    yield element(base + 2, "start", "START_EVENT", pi, "ELEMENT_COMPLETED")
    yield element(base + 3, "flow1", "SEQUENCE_FLOW", pi, "SEQUENCE_FLOW_TAKEN")
    for intent in ("ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED"):
        yield element(base + 4, "charge", "SERVICE_TASK", pi, intent)
    job = dict(
        common,
        type="charge-card",
        worker="",
        retries=3,
        retryBackoff=0,
        deadline=-1,
        timeout=-1,
        errorMessage="",
        errorCode="",
        customHeaders={"region": "eu"},
        variables={},
        elementId="charge",
        elementInstanceKey=base + 4,
        processDefinitionVersion=3,
    )
    yield Record(base + 5, EVENT, ValueType.JOB, "CREATED", job, now)
    yield Record(base + 5, COMMAND, ValueType.JOB, "COMPLETE", {"variables": {"ok": True}}, now)
    yield Record(base + 5, EVENT, ValueType.JOB, "COMPLETED", dict(job, worker="w1"), now)
    for intent in ("ELEMENT_COMPLETING", "ELEMENT_COMPLETED"):
        yield element(base + 4, "charge", "SERVICE_TASK", pi, intent)
    for intent in ("ELEMENT_ACTIVATING", "ELEMENT_ACTIVATED", "ELEMENT_COMPLETED"):
        yield element(base + 6, "end", "END_EVENT", pi, intent)
    for intent in ("ELEMENT_COMPLETING", "ELEMENT_COMPLETED"):
        yield element(pi, "order-process", "PROCESS", -1, intent)


def _batches(total: int, batch_size: int) -> list[list[Record]]:
    now = 1_767_000_000_000
    records: list[Record] = []
    n = 0
    while len(records) < total:
        records.extend(_instance_records(n, now))
        n += 1
    del records[total:]
    for position, record in enumerate(records, start=1):
        record.position = position
        record.source_position = max(position - 1, 0)
    return [records[i : i + batch_size] for i in range(0, total, batch_size)]


def _measure(
    make_store: Callable[[], SqlStore], total: int, batch_size: int
) -> tuple[float, float]:
    """Append rate and full-log read rate (the recovery path), in records/s."""
    batches = _batches(total, batch_size)
    store = make_store()
    try:
        start = time.perf_counter()
        for batch in batches:
            store.append(1, batch)
        appended = time.perf_counter()
        read = sum(1 for _ in store.read(1))
        done = time.perf_counter()
        assert store.last_position(1) == total == read
    finally:
        store.close()
    return total / (appended - start), total / (done - appended)


def main() -> int:
    """Run the configurations and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch-sizes", default="100,1000,5000")
    parser.add_argument("--postgres", metavar="DSN", help="also measure PostgreSQL at DSN")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per configuration; the best one is shown"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.batch_sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        configs: list[tuple[str, Callable[[], SqlStore]]] = []
        for sync in ("NORMAL", "FULL"):

            def sqlite(sync: str = sync) -> SqlStore:
                path = pathlib.Path(tmp) / f"{uuid.uuid4().hex}.sqlite"
                return SqliteStore(path, synchronous="FULL" if sync == "FULL" else "NORMAL")

            configs.append((f"sqlite file, synchronous={sync}", sqlite))
        configs.append(("sqlite :memory:", lambda: SqliteStore(":memory:")))
        if args.postgres:
            configs.append(("postgres", lambda: _fresh_postgres(args.postgres)))
        for name, make in configs:
            for size in sizes:
                runs = [_measure(make, args.records, size) for _ in range(max(args.repeat, 1))]
                append, read = max(r[0] for r in runs), max(r[1] for r in runs)
                print(
                    f"{name:34} batch {size:5}: append {append:9,.0f} records/s, "
                    f"read {read:9,.0f} records/s",
                    flush=True,
                )
    if _SCHEMAS:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as connection:
            for schema in _SCHEMAS:
                connection.execute(f"DROP SCHEMA {schema} CASCADE")
    return 0


_SCHEMAS: list[str] = []


def _fresh_postgres(dsn: str) -> SqlStore:
    """A store on a new schema of ``dsn`` so that runs do not see each other's rows."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    _SCHEMAS.append(schema)
    separator = "&" if "?" in dsn else "?"
    return PostgresStore(f"{dsn}{separator}options=-csearch_path%3D{schema}")


if __name__ == "__main__":
    sys.exit(main())
