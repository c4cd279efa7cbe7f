"""The cheap paths of an append keep the store's behaviour: the projector folding an element's
events while it builds rows, the codec's one-pass encode, the SQLite settings and the indexes
the read-model queries rely on."""

from __future__ import annotations

import dataclasses
import itertools
import pathlib
import re
import sqlite3
from typing import Any

import pytest
from store_records import element_value, event, job_value, numbered

from cadenza.kernel._records import Record, RecordType, ValueType
from cadenza.store import ProcessInstanceFilter, SqliteStore
from cadenza.store._codec import CODEC_EXACT, CODEC_FAST, record_rows
from cadenza.store._projector import MUTABLE_COLUMNS, _merge, project

PI = ValueType.PROCESS_INSTANCE
INSTANCE = 100


def _lifecycles() -> list[Record]:
    """A process instance whose start event completes, whose task is terminated and whose
    end event completes, the events of its elements interleaved as the kernel writes them."""
    process = element_value(INSTANCE, "order", "PROCESS")
    start = element_value(INSTANCE, "start", "START_EVENT", scope=INSTANCE)
    task = element_value(INSTANCE, "task", "SERVICE_TASK", scope=INSTANCE)
    end = element_value(INSTANCE, "end", "END_EVENT", scope=INSTANCE)
    return [
        event(PI, "ELEMENT_ACTIVATING", INSTANCE, process, 1),
        event(PI, "ELEMENT_ACTIVATED", INSTANCE, process, 1),
        event(PI, "ELEMENT_ACTIVATING", 101, start, 2),
        event(PI, "ELEMENT_ACTIVATED", 101, start, 2),
        event(PI, "ELEMENT_COMPLETING", 101, start, 3),
        event(PI, "ELEMENT_COMPLETED", 101, start, 3),
        event(PI, "SEQUENCE_FLOW_TAKEN", 102, start, 3),
        event(PI, "ELEMENT_ACTIVATING", 103, task, 4),
        event(ValueType.JOB, "CREATED", 200, job_value(INSTANCE, 103), 4),
        event(PI, "ELEMENT_ACTIVATED", 103, task, 4),
        event(PI, "ELEMENT_TERMINATING", 103, task, 5),
        event(ValueType.JOB, "CANCELED", 200, job_value(INSTANCE, 103), 5),
        event(PI, "ELEMENT_TERMINATED", 103, task, 6),
        event(PI, "ELEMENT_ACTIVATING", 104, end, 7),
        event(PI, "ELEMENT_ACTIVATED", 104, end, 7),
        event(PI, "ELEMENT_COMPLETING", 104, end, 8),
        event(PI, "ELEMENT_COMPLETED", 104, end, 8),
        event(PI, "ELEMENT_COMPLETING", INSTANCE, process, 9),
        event(PI, "ELEMENT_COMPLETED", INSTANCE, process, 9),
    ]


def _one_by_one(records: list[Record]) -> dict[str, list[tuple[Any, ...]]]:
    """The documented meaning of a batch: each record's rows, then one row per key merged as
    running the upserts one after the other would leave it."""
    singles: dict[str, list[tuple[Any, ...]]] = {name: [] for name in MUTABLE_COLUMNS}
    for record in records:
        for name, rows in project([record]).items():
            singles[name].extend(rows)
    return {name: _merge(rows, MUTABLE_COLUMNS[name]) for name, rows in singles.items()}


@pytest.mark.parametrize("cut", [0, 5, 9, 13, 19])
def test_a_batch_projects_as_its_records_one_by_one(cut: int) -> None:
    records = _lifecycles()
    for batch in (records[:cut], records[cut:]):
        assert project(batch) == _one_by_one(batch)


def test_an_element_is_one_row_with_its_last_state_and_end_date() -> None:
    rows = project(_lifecycles())
    elements = {
        row[0]: (row[4], row[7], row[8], row[9]) for row in rows["project_element_instance"]
    }
    assert elements == {
        INSTANCE: ("order", "COMPLETED", 1, 9),
        101: ("start", "COMPLETED", 2, 3),
        103: ("task", "TERMINATED", 4, 6),
        104: ("end", "COMPLETED", 7, 8),
    }
    [instance] = rows["project_process_instance"]
    assert (instance[0], instance[4], instance[5], instance[6]) == (INSTANCE, "COMPLETED", 1, 9)
    assert all(type(row) is tuple for name in rows for row in rows[name])


def test_the_projection_of_a_batch_does_not_depend_on_how_the_log_was_cut() -> None:
    records = _lifecycles()
    whole = SqliteStore(":memory:")
    pieces = SqliteStore(":memory:")
    try:
        whole.append(1, numbered(_lifecycles()))
        numbered_records = numbered(records)
        for size in itertools.cycle((1, 2, 3, 5)):
            if not numbered_records:
                break
            pieces.append(1, numbered_records[:size])
            numbered_records = numbered_records[size:]
        for table in ("element_instances", "process_instances", "jobs"):
            sql = f"SELECT * FROM {table} ORDER BY 1"
            assert pieces._connection.execute(sql).fetchall() == (
                whole._connection.execute(sql).fetchall()
            )
    finally:
        whole.close()
        pieces.close()


def test_a_batch_with_a_value_orjson_refuses_marks_only_that_row() -> None:
    records = numbered(
        [
            Record(1, RecordType.EVENT, ValueType.VARIABLE, "CREATED", {"v": 1}, 5),
            Record(2, RecordType.EVENT, ValueType.VARIABLE, "CREATED", {"v": 2**64}, 5),
            Record(3, RecordType.EVENT, ValueType.VARIABLE, "CREATED", {"v": "é"}, 5),
        ]
    )
    rows = record_rows(1, records)
    assert [row[8] for row in rows] == [CODEC_FAST, CODEC_EXACT, CODEC_FAST]
    assert [row[7] for row in rows] == ['{"v":1}', '{"v":18446744073709551616}', '{"v":"é"}']
    assert [row[:7] for row in rows] == [
        (1, r.position, r.source_position, r.key, r.record_type, r.value_type, r.intent)
        for r in records
    ]


def test_sqlite_file_settings_keep_commits_durable_and_checkpoints_rare(
    tmp_path: pathlib.Path,
) -> None:
    store = SqliteStore(tmp_path / "settings.sqlite")
    try:
        connection = store._connection

        def pragma(name: str) -> Any:
            return connection.execute(f"PRAGMA {name}").fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 1  # NORMAL: a commit in the WAL survives SIGKILL
        assert pragma("wal_autocheckpoint") == 16384
        assert pragma("journal_size_limit") == 64 * 1024 * 1024
    finally:
        store.close()


def _plan(connection: sqlite3.Connection, sql: str, params: dict[str, Any]) -> str:
    return " | ".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_read_model_queries_use_the_indexes_kept() -> None:
    store = SqliteStore(":memory:")
    try:
        connection = store._connection
        queries = store._queries
        statistics = _plan(connection, queries["element_statistics"], {"process_definition_key": 1})
        assert "USING INDEX element_instances_by_element" in statistics
        assert "incidents_by_element_instance" in statistics
        newest = queries["page"].format(
            base=queries["search_process_instances"], order="start_date DESC"
        )
        params: dict[str, Any] = {f.name: None for f in dataclasses.fields(ProcessInstanceFilter)}
        plan = _plan(connection, newest, {**params, "limit": 50, "offset": 0})
        assert "process_instances_by_start" in plan
        assert "incidents_by_instance" in plan
    finally:
        store.close()


def test_the_busiest_read_model_tables_carry_only_the_indexes_kept() -> None:
    store = SqliteStore(":memory:")
    try:
        indexes = store._connection.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
            "('process_instances', 'element_instances', 'variables', 'jobs') ORDER BY 1, 2"
        ).fetchall()
        assert indexes == [
            ("element_instances", "element_instances_by_element"),
            ("element_instances", "element_instances_by_instance"),
            ("process_instances", "process_instances_by_start"),
            ("variables", "variables_by_instance"),
            ("variables", "variables_by_scope"),
        ]
    finally:
        store.close()


def test_optional_filters_are_resolved_before_planning() -> None:
    from cadenza.store._search import specialize

    base = (
        "SELECT * FROM v WHERE (CAST(:a AS BIGINT) IS NULL OR v.a = :a)\n"
        "  AND (CAST(%(b)s AS TEXT) IS NULL OR v.b IN (SELECT x FROM y WHERE f(x) = %(b)s))"
    )
    assert specialize(base, frozenset({"a"})) == "SELECT * FROM v WHERE (v.a = :a)\n  AND 1=1"
    assert specialize(base, frozenset({"b"})) == (
        "SELECT * FROM v WHERE 1=1\n  AND (v.b IN (SELECT x FROM y WHERE f(x) = %(b)s))"
    )


def test_a_search_by_process_instance_uses_an_index() -> None:
    from cadenza.store._search import specialize
    from cadenza.store._sql import Dialect, load_queries

    store = SqliteStore(":memory:")
    try:
        for query, key in (
            ("search_variables", "process_instance_key"),
            ("search_element_instances", "process_instance_key"),
            ("search_variables", "scope_key"),
        ):
            text = specialize(load_queries(Dialect.SQLITE)[query], frozenset({key}))
            params = {name: None for name in re.findall(r":(\w+)", text)} | {key: 1}
            plan = store._connection.execute("EXPLAIN QUERY PLAN " + text, params).fetchall()
            assert any("USING INDEX" in str(row) for row in plan), (query, key, plan)
    finally:
        store.close()
