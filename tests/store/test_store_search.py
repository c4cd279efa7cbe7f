"""Read-model searches: filters, sorting, paging and the errors of a bad query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from store_backends import SELECTED_BACKENDS, shared_store
from store_records import element_value, event, incident_value, numbered, user_task_value

from cadenza.kernel._records import Record, ValueType
from cadenza.store import (
    MAX_PAGE_SIZE,
    ElementInstanceFilter,
    Filter,
    IncidentFilter,
    InvalidQueryError,
    Page,
    ProcessInstance,
    ProcessInstanceFilter,
    Query,
    SqlStore,
    UserTaskFilter,
)

PI = ValueType.PROCESS_INSTANCE
COUNT = 30


def _seed(store: SqlStore) -> None:
    """30 instances: i = 0..29, process "order" when i is even else "refund", started at
    1000 + 10 * (i % 10) (so start dates repeat), completed when i % 3 == 0 at 5000 + i,
    with an open incident when i % 5 == 0 (and a resolved one when i == 1)."""
    records: list[Record] = []
    for i in range(COUNT):
        key = 1000 + i
        process_id = "order" if i % 2 == 0 else "refund"
        value = element_value(key, process_id, "PROCESS", process_id=process_id)
        records.append(event(PI, "ELEMENT_ACTIVATING", key, value, 1000 + 10 * (i % 10)))
        if i % 3 == 0:
            records.append(event(PI, "ELEMENT_COMPLETED", key, value, 5000 + i))
        if i % 5 == 0:
            incident = incident_value(key, key, elementId=process_id)
            records.append(event(ValueType.INCIDENT, "CREATED", 9000 + i, incident, 6000 + i))
    incident = incident_value(1001, 1001)
    records.append(event(ValueType.INCIDENT, "CREATED", 9999, incident, 7000))
    records.append(event(ValueType.INCIDENT, "RESOLVED", 9999, incident, 7001))
    store.append(1, numbered(records))


@pytest.fixture(scope="module", params=SELECTED_BACKENDS)
def seeded(request: pytest.FixtureRequest) -> Iterator[SqlStore]:
    """One seeded store per backend, shared by the read-only tests of this module."""
    with shared_store(str(request.param), request) as store:
        _seed(store)
        yield store


def _keys(store: SqlStore, query: Query[ProcessInstance]) -> list[int]:
    return [item.process_instance_key - 1000 for item in store.search(query).items]


def test_no_filter_matches_everything_in_key_order(seeded: SqlStore) -> None:
    result = seeded.search(Query(ProcessInstanceFilter()))
    assert result.total == COUNT
    assert [i.process_instance_key for i in result.items] == [1000 + i for i in range(COUNT)]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (ProcessInstanceFilter(bpmn_process_id="refund"), [i for i in range(COUNT) if i % 2]),
        (ProcessInstanceFilter(state="COMPLETED"), [i for i in range(COUNT) if i % 3 == 0]),
        (
            ProcessInstanceFilter(state="ACTIVE", bpmn_process_id="order"),
            [i for i in range(COUNT) if i % 3 and i % 2 == 0],
        ),
        (ProcessInstanceFilter(has_incident=True), [0, 5, 10, 15, 20, 25]),
        (
            ProcessInstanceFilter(has_incident=False, state="COMPLETED"),
            [i for i in range(COUNT) if i % 3 == 0 and i % 5],
        ),
        (ProcessInstanceFilter(process_instance_key=1007), [7]),
        (ProcessInstanceFilter(process_instance_key=1), []),
        (
            ProcessInstanceFilter(start_date_from=1020, start_date_to=1040),
            [i for i in range(COUNT) if i % 10 in (2, 3)],
        ),
        (ProcessInstanceFilter(end_date_from=5010, end_date_to=5020), [12, 15, 18]),
        (ProcessInstanceFilter(tenant_id="other"), []),
    ],
    ids=[
        "process-id",
        "state",
        "two-fields",
        "incident",
        "no-incident",
        "key",
        "unknown-key",
        "start-range",
        "end-range",
        "tenant",
    ],
)
def test_filters(seeded: SqlStore, flt: ProcessInstanceFilter, expected: list[int]) -> None:
    result = seeded.search(Query(flt))
    assert [i.process_instance_key - 1000 for i in result.items] == expected
    assert result.total == len(expected)


def test_sort_descending_with_key_as_tie_breaker(seeded: SqlStore) -> None:
    keys = _keys(seeded, Query(ProcessInstanceFilter(), sort=[("startDate", "desc")]))
    expected = sorted(range(COUNT), key=lambda i: (-(1000 + 10 * (i % 10)), i))
    assert keys == expected


def test_sort_by_two_fields(seeded: SqlStore) -> None:
    query = Query(ProcessInstanceFilter(), sort=[("bpmnProcessId", "asc"), ("startDate", "DESC")])
    keys = _keys(seeded, query)
    expected = sorted(
        range(COUNT), key=lambda i: ("order" if i % 2 == 0 else "refund", -(i % 10), i)
    )
    assert keys == expected


def test_sort_puts_missing_values_last(seeded: SqlStore) -> None:
    for order in ("asc", "desc"):
        items = seeded.search(Query(ProcessInstanceFilter(), sort=[("endDate", order)])).items
        ends = [i.end_date for i in items]
        assert ends[-20:] == [None] * 20 and None not in ends[:10]
        assert ends[:10] == sorted(ends[:10], reverse=order == "desc")  # type: ignore[type-var]


def test_pages_cover_the_matches_once(seeded: SqlStore) -> None:
    sort = [("startDate", "asc")]
    everything = _keys(seeded, Query(ProcessInstanceFilter(), sort=sort))
    pages: list[int] = []
    for start in range(0, COUNT, 7):
        result = seeded.search(Query(ProcessInstanceFilter(), sort=sort, page=Page(start, 7)))
        assert result.total == COUNT
        pages.extend(i.process_instance_key - 1000 for i in result.items)
    assert pages == everything


def test_page_beyond_the_end_and_empty_page_still_count(seeded: SqlStore) -> None:
    beyond = seeded.search(Query(ProcessInstanceFilter(), page=Page(from_=100, limit=10)))
    assert (beyond.items, beyond.total) == ((), COUNT)
    count_only = seeded.search(Query(ProcessInstanceFilter(state="COMPLETED"), page=Page(0, 0)))
    assert (count_only.items, count_only.total) == ((), 10)
    last = seeded.search(Query(ProcessInstanceFilter(), page=Page(from_=28, limit=10)))
    assert (len(last.items), last.total) == (2, COUNT)


def test_incident_and_element_searches(seeded: SqlStore) -> None:
    active = seeded.search(Query(IncidentFilter(state="ACTIVE"), sort=[("creationTime", "desc")]))
    assert [i.incident_key for i in active.items] == [9025, 9020, 9015, 9010, 9005, 9000]
    resolved = seeded.search(Query(IncidentFilter(state="RESOLVED")))
    assert [(i.incident_key, i.resolution_time) for i in resolved.items] == [(9999, 7001)]
    range_ = seeded.search(Query(IncidentFilter(creation_time_from=6010, creation_time_to=6021)))
    assert [i.incident_key for i in range_.items] == [9010, 9015, 9020]
    elements = seeded.search(Query(ElementInstanceFilter(element_type="PROCESS", state="ACTIVE")))
    assert elements.total == 20


def test_user_tasks_by_candidate_and_assignee(store: SqlStore) -> None:
    tasks = [
        user_task_value(11, 1, candidateGroupsList=["sales"], candidateUsersList=["ann"]),
        user_task_value(12, 1, candidateGroupsList=["ops", "sales"], candidateUsersList=[]),
        user_task_value(13, 1, candidateGroupsList=[], assignee="bob", candidateUsersList=[]),
    ]
    store.append(
        1, numbered([event(ValueType.USER_TASK, "CREATED", t["userTaskKey"], t) for t in tasks])
    )

    def keys(flt: UserTaskFilter) -> list[int]:
        return [t.user_task_key for t in store.search(Query(flt)).items]

    assert keys(UserTaskFilter(candidate_group="sales")) == [11, 12]
    assert keys(UserTaskFilter(candidate_group="ops")) == [12]
    assert keys(UserTaskFilter(candidate_group="sal")) == []
    assert keys(UserTaskFilter(candidate_user="ann")) == [11]
    assert keys(UserTaskFilter(assignee="bob")) == [13]
    assert keys(UserTaskFilter(state="CREATED")) == [11, 12, 13]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            Query(ProcessInstanceFilter(), sort=[("start_date; DROP TABLE records", "asc")]),
            "cannot sort ProcessInstance by 'start_date; DROP TABLE records'; sortable fields:",
        ),
        (Query(ProcessInstanceFilter(), sort=[("startDate", "up")]), "must be 'asc' or 'desc'"),
        (
            Query(ProcessInstanceFilter(), sort=["startDate"]),  # type: ignore[list-item]
            "a sort entry is (field, order)",
        ),
        (
            Query(UserTaskFilter(), sort=[("candidateGroups", "asc")]),
            "cannot sort UserTask by 'candidateGroups'",
        ),
        (
            Query(ProcessInstanceFilter(process_instance_key="1000")),  # type: ignore[arg-type]
            "ProcessInstanceFilter.process_instance_key must be int or None, not '1000'",
        ),
        (
            Query(ProcessInstanceFilter(version=True)),  # bool is an int to mypy, not to us
            "ProcessInstanceFilter.version must be int or None, not True",
        ),
        (
            Query(ProcessInstanceFilter(state=3)),  # type: ignore[arg-type]
            "ProcessInstanceFilter.state must be str or None",
        ),
        (
            Query(ProcessInstanceFilter(process_instance_key=2**64)),
            "process_instance_key is beyond 64 bits",
        ),
        (Query(Filter()), "no read-model search for Filter"),
    ],
    ids=[
        "injection",
        "order",
        "entry",
        "unsortable",
        "str-for-int",
        "bool-for-int",
        "int-for-str",
        "huge-int",
        "base-filter",
    ],
)
def test_bad_queries_are_refused_with_a_reason(
    seeded: SqlStore, query: Query[Any], message: str
) -> None:
    with pytest.raises(InvalidQueryError) as raised:
        seeded.search(query)
    assert message in str(raised.value)
    assert seeded.search(Query(ProcessInstanceFilter())).total == COUNT  # nothing was dropped


@pytest.mark.parametrize(
    ("from_", "limit"), [(-1, 10), (0, -1), (0, MAX_PAGE_SIZE + 1), (True, 1), (0, 1.5)]
)
def test_bad_pages_are_refused(from_: Any, limit: Any) -> None:
    with pytest.raises(InvalidQueryError, match="page"):
        Page(from_=from_, limit=limit)


def test_not_a_query_is_refused(store: SqlStore) -> None:
    with pytest.raises(InvalidQueryError, match="expected a Query"):
        store.search(ProcessInstanceFilter())  # type: ignore[arg-type]
