"""The record log and snapshots: round-trips, positions, partitions, reopening, errors."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from store_records import numbered

from cadenza.kernel._records import Record, RecordType, RejectionType, ValueType
from cadenza.store import (
    LogStore,
    PositionConflictError,
    ReadModel,
    Snapshot,
    SqliteStore,
    SqlStore,
    StoreError,
)
from cadenza.store._base import READ_CHUNK

NESTED: dict[str, Any] = {
    "order": {"items": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": None}], "ok": True},
    "float": 0.1,
    "whole_float": 2.0,
    "negative": -7,
    "max64": 2**63 - 1,
    "min64": -(2**63),
    "empty": {},
    "list": [],
    "unicode": "Grüße, 東京, emoji 🎉, rtl שלום, nul \u0000 end",
}


def _record(position: int, value: dict[str, Any], partition_id: int = 1) -> Record:
    return Record(
        key=(partition_id << 51) + position,
        record_type=RecordType.COMMAND_REJECTION,
        value_type=ValueType.JOB,
        intent="COMPLETE",
        value=value,
        timestamp=1_767_225_600_123 + position,
        position=position,
        source_position=position - 1,
        partition_id=partition_id,
        rejection_type=RejectionType.INVALID_STATE,
        rejection_reason="Expected job to be activatable, but it is 'COMPLETED' ✓",
        request_id=99,
        version=1,
    )


def _comparable(record: Record) -> tuple[Any, ...]:
    # request_id is not persisted; everything else must come back as written.
    return (
        record.key,
        record.record_type,
        record.value_type,
        record.intent,
        record.value,
        record.timestamp,
        record.position,
        record.source_position,
        record.partition_id,
        record.rejection_type,
        record.rejection_reason,
        record.version,
    )


def test_is_a_log_store_and_a_read_model(store: SqlStore) -> None:
    log: LogStore = store
    read_model: ReadModel = store
    assert log.last_position(1) == 0
    assert read_model.process_definition_xml(1) is None


def test_every_field_round_trips(store: SqlStore) -> None:
    written = [_record(1, NESTED), _record(2, {"x": 1})]
    store.append(1, written)
    read = list(store.read(1))
    assert [_comparable(r) for r in read] == [_comparable(r) for r in written]
    assert read[0].request_id == -1  # not persisted
    assert type(read[0].value["float"]) is float and type(read[0].value["whole_float"]) is float
    assert read[0].record_type is RecordType.COMMAND_REJECTION
    assert read[0].value_type is ValueType.JOB
    assert read[0].rejection_type is RejectionType.INVALID_STATE


@pytest.mark.parametrize(
    "value",
    [
        {"big": 2**64},
        {"big": -(2**100), "nested": [{"deep": 10**40}]},
        {"u64max": 2**64 - 1},
        {"lone_surrogate": "a\ud800b"},
    ],
    ids=["2^64", "negative-huge-nested", "u64-max", "lone-surrogate"],
)
def test_values_beyond_the_fast_codec_round_trip_exactly(
    store: SqlStore, value: dict[str, Any]
) -> None:
    store.append(1, [_record(1, value), _record(2, NESTED)])
    first, second = store.read(1)
    assert first.value == value
    assert second.value == NESTED
    if "big" in value:
        assert type(first.value["big"]) is int


def test_a_value_that_is_not_json_is_refused_with_its_position(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="position 7: record value is not JSON"):
        store.append(1, [_record(7, {"when": object()})])
    assert store.last_position(1) == 0


def test_read_after_position_and_last_position(store: SqlStore) -> None:
    store.append(1, [_record(p, {"p": p}) for p in range(1, 6)])
    store.append(1, [_record(p, {"p": p}) for p in range(6, 9)])
    assert store.last_position(1) == 8
    assert [r.position for r in store.read(1, after_position=5)] == [6, 7, 8]
    assert [r.value["p"] for r in store.read(1)] == list(range(1, 9))
    assert list(store.read(1, after_position=8)) == []


def test_positions_may_have_gaps_but_must_increase(store: SqlStore) -> None:
    store.append(1, [_record(10, {}), _record(20, {})])
    assert store.last_position(1) == 20
    with pytest.raises(PositionConflictError, match="position 20 does not follow the last"):
        store.append(1, [_record(20, {})])
    with pytest.raises(PositionConflictError):
        store.append(1, [_record(15, {})])
    with pytest.raises(PositionConflictError):
        store.append(1, [_record(30, {}), _record(25, {})])
    assert [r.position for r in store.read(1)] == [10, 20]


def test_a_failed_append_writes_nothing(store: SqlStore) -> None:
    store.append(1, [_record(1, {})])
    with pytest.raises(PositionConflictError):
        store.append(1, [_record(2, {}), _record(2, {})])
    assert store.last_position(1) == 1
    store.append(1, [_record(2, {"again": True})])
    assert [r.value for r in store.read(1)] == [{}, {"again": True}]


def test_partitions_are_separate_logs(store: SqlStore) -> None:
    store.append(1, [_record(p, {"partition": 1}) for p in (1, 2, 3)])
    store.append(2, [_record(p, {"partition": 2}, partition_id=2) for p in (1, 2)])
    assert store.last_position(1) == 3
    assert store.last_position(2) == 2
    assert store.last_position(3) == 0
    assert {r.value["partition"] for r in store.read(2)} == {2}
    assert [r.partition_id for r in store.read(2)] == [2, 2]


def test_a_record_of_another_partition_is_refused(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="belongs to partition 2, appended to partition 1"):
        store.append(1, [_record(1, {}, partition_id=2)])


def test_empty_append_is_a_no_op(store: SqlStore) -> None:
    store.append(1, [])
    assert store.last_position(1) == 0


def test_read_pages_through_a_long_log(store: SqlStore) -> None:
    count = READ_CHUNK * 2 + 7
    store.append(1, [_record(p, {"p": p}) for p in range(1, count + 1)])
    positions = [r.position for r in store.read(1)]
    assert positions == list(range(1, count + 1))
    assert [r.position for r in store.read(1, after_position=READ_CHUNK)][:2] == [
        READ_CHUNK + 1,
        READ_CHUNK + 2,
    ]


def test_records_survive_reopening(open_store: Callable[[], SqlStore]) -> None:
    first = open_store()
    first.append(1, numbered([_record(0, NESTED), _record(0, {"big": 2**70})]))
    first.save_snapshot(Snapshot(1, 2, b"state", 3))
    first.close()
    second = open_store()
    assert second.last_position(1) == 2
    assert [r.value for r in second.read(1)] == [NESTED, {"big": 2**70}]
    assert second.latest_snapshot(1) == Snapshot(1, 2, b"state", 3)


def test_snapshots_latest_wins_and_partitions_are_separate(store: SqlStore) -> None:
    assert store.latest_snapshot(1) is None
    store.save_snapshot(Snapshot(1, 10, b"\x00\x01ten", 1))
    store.save_snapshot(Snapshot(1, 20, b"\xff" * 70_000, 2))
    store.save_snapshot(Snapshot(2, 5, b"p2", 1))
    assert store.latest_snapshot(1) == Snapshot(1, 20, b"\xff" * 70_000, 2)
    assert store.latest_snapshot(2) == Snapshot(2, 5, b"p2", 1)
    assert store.latest_snapshot(3) is None


def test_saving_a_snapshot_at_the_same_position_replaces_it(store: SqlStore) -> None:
    store.save_snapshot(Snapshot(1, 10, b"old", 1))
    store.save_snapshot(Snapshot(1, 10, b"new", 2))
    assert store.latest_snapshot(1) == Snapshot(1, 10, b"new", 2)


def test_a_closed_store_refuses_calls(store: SqlStore) -> None:
    store.close()
    store.close()  # twice is harmless
    with pytest.raises(StoreError, match="closed"):
        store.last_position(1)
    with pytest.raises(StoreError, match="closed"):
        store.append(1, [_record(1, {})])


def test_sqlite_in_memory() -> None:
    store = SqliteStore(":memory:")
    try:
        store.append(1, [_record(1, NESTED)])
        assert [r.value for r in store.read(1)] == [NESTED]
    finally:
        store.close()


def test_sqlite_full_synchronous_option(tmp_path: Any) -> None:
    store = SqliteStore(tmp_path / "full.sqlite", synchronous="FULL")
    try:
        store.append(1, [_record(1, {})])
        assert store.last_position(1) == 1
        assert store._connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert store._connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()
    with pytest.raises(ValueError, match="synchronous"):
        SqliteStore(tmp_path / "x.sqlite", synchronous="OFF")  # type: ignore[arg-type]


def test_sqlite_error_on_a_file_that_is_not_a_database(tmp_path: Any) -> None:
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"garbage\.sqlite"):
        SqliteStore(path)


def test_threads_may_share_a_store(store: SqlStore) -> None:
    errors: list[BaseException] = []

    def write(partition_id: int) -> None:
        try:
            for batch in range(20):
                positions = range(batch * 10 + 1, batch * 10 + 11)
                store.append(partition_id, [_record(p, {"p": p}, partition_id) for p in positions])
                assert store.last_position(partition_id) >= positions[-1]
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(partition,)) for partition in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for partition in (1, 2, 3, 4):
        assert [r.position for r in store.read(partition)] == list(range(1, 201))


def test_a_record_of_an_unknown_value_type_is_reported_with_its_position(
    store: SqlStore,
) -> None:
    store.append(1, [_record(1, {})])
    with store._transaction() as cursor:  # as a newer version with more value types would
        row = (1, 2, 1, 9, 2, 999, "FUTURE", "{}", 1, 5, 0, "", 2)
        cursor.execute(store._queries["append_record"], row)
    with pytest.raises(StoreError, match=r"position 2: unknown enum number 999"):
        list(store.read(1))


def test_reads_see_only_committed_records_and_do_not_wait_for_the_writer(
    store: SqlStore,
) -> None:
    store.append(1, [_record(1, {})])
    answers: list[int] = []
    with store._lock, store._transaction() as cursor:  # an append in progress
        row = (1, 2, 1, 9, 2, int(ValueType.JOB), "COMPLETE", "{}", 1, 5, 0, "", 1)
        cursor.execute(store._queries["append_record"], row)
        reader = threading.Thread(target=lambda: answers.append(store.last_position(1)))
        reader.start()
        reader.join(timeout=60)  # a guard against a hang, not a speed check
        assert answers == [1]
    assert store.last_position(1) == 2
