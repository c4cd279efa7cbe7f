"""Search requests: filters with Camunda's operators, sorting and paging, as ``port.query``
receives them (the read-model contract of ``cadenza.api.rest._queries``)."""

from __future__ import annotations

from typing import Any

import pytest
from camunda_orchestration_sdk.models import (
    AdvancedDateTimeFilter,
    AdvancedProcessInstanceStateFilter,
    OffsetBasedPagination,
    ProcessInstanceSearchQuery,
    ProcessInstanceSearchQueryFilter,
    ProcessInstanceSearchQueryResult,
    ProcessInstanceSearchQuerySortRequest,
    ProcessInstanceSearchQuerySortRequestField,
    SortOrderEnum,
)
from rest_support import Api, api, assert_problem, order

from cadenza.api.rest import UnsupportedQuery

__all__ = ["api", "order"]  # fixtures


def last_query(api: Api) -> tuple[str, dict[str, Any]]:
    return api.port.queries[-1]


def test_plain_values_are_equality_and_keys_become_ints(api: Api) -> None:
    body = {"filter": {"processInstanceKey": "2251799813685249", "state": "ACTIVE"}}
    api.search("process-instances", body)
    name, params = last_query(api)
    assert name == "process_instances"
    assert params == {
        "filter": {"processInstanceKey": {"$eq": 2251799813685249}, "state": {"$eq": "ACTIVE"}},
        "sort": [],
        "offset": 0,
        "limit": 100,
    }


def test_operators_are_checked_and_converted(api: Api) -> None:
    body = {
        "filter": {
            "processDefinitionKey": {"$in": ["1", "2"]},
            "processDefinitionId": {"$like": "ord*", "$neq": "other"},
            "startDate": {"$gte": "2025-01-01T00:00:00Z", "$lt": "2025-01-02T00:00:00.000+00:00"},
            "processDefinitionVersion": {"$gt": 1},
            "hasIncident": False,
            "parentProcessInstanceKey": {"$exists": False},
            "tags": ["vip", "eu"],
            "variables": [{"name": "orderId", "value": '"o-1"'}],
        }
    }
    api.search("process-instances", body)
    assert last_query(api)[1]["filter"] == {
        "processDefinitionKey": {"$in": [1, 2]},
        "processDefinitionId": {"$like": "ord*", "$neq": "other"},
        "startDate": {"$gte": 1735689600000, "$lt": 1735776000000},
        "processDefinitionVersion": {"$gt": 1},
        "hasIncident": {"$eq": False},
        "parentProcessInstanceKey": {"$exists": False},
        "tags": {"$all": ["vip", "eu"]},
        "variables": {"$all": [{"name": "orderId", "value": '"o-1"'}]},
    }


def test_a_request_built_by_the_official_client_is_understood(api: Api) -> None:
    query = ProcessInstanceSearchQuery(
        filter_=ProcessInstanceSearchQueryFilter(
            process_definition_id="order",
            state=AdvancedProcessInstanceStateFilter.from_dict({"$in": ["ACTIVE", "COMPLETED"]}),
            start_date=AdvancedDateTimeFilter.from_dict({"$gt": "2025-01-01T00:00:00Z"}),
        ),
        sort=[
            ProcessInstanceSearchQuerySortRequest(
                field=ProcessInstanceSearchQuerySortRequestField.STARTDATE,
                order=SortOrderEnum.DESC,
            )
        ],
        page=OffsetBasedPagination(from_=5, limit=10),
    )
    ProcessInstanceSearchQueryResult.from_dict(api.search("process-instances", query.to_dict()))
    params = last_query(api)[1]
    assert params["filter"]["state"] == {"$in": ["ACTIVE", "COMPLETED"]}
    assert params["filter"]["processDefinitionId"] == {"$eq": "order"}
    assert params["sort"] == [("startDate", "DESC")]
    assert (params["offset"], params["limit"]) == (5, 10)


def test_cursor_paging_walks_forward_and_back(order: Api) -> None:
    keys = [order.start() for _ in range(5)]
    sort = [{"field": "processInstanceKey", "order": "ASC"}]
    first = order.search("process-instances", {"sort": sort, "page": {"limit": 2}})
    assert [i["processInstanceKey"] for i in first["items"]] == keys[:2]
    assert first["page"]["totalItems"] == 5
    after = {"after": first["page"]["endCursor"], "limit": 2}
    second = order.search("process-instances", {"sort": sort, "page": after})
    assert [i["processInstanceKey"] for i in second["items"]] == keys[2:4]
    before = {"before": second["page"]["startCursor"], "limit": 2}
    back = order.search("process-instances", {"sort": sort, "page": before})
    assert [i["processInstanceKey"] for i in back["items"]] == keys[:2]
    by_offset = order.search("process-instances", {"sort": sort, "page": {"from": 4, "limit": 9}})
    assert [i["processInstanceKey"] for i in by_offset["items"]] == keys[4:]
    empty = order.search("process-instances", {"page": {"from": 50}})
    assert empty["items"] == [] and empty["page"]["endCursor"] is None


def test_sort_descending_by_key(order: Api) -> None:
    keys = [order.start() for _ in range(3)]
    body = {"sort": [{"field": "processInstanceKey", "order": "DESC"}]}
    found = order.search("process-instances", body)
    assert [i["processInstanceKey"] for i in found["items"]] == keys[::-1]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"filter": {"colour": "red"}}, ["filter.colour"]),
        ({"filter": {"state": {"$gt": "A"}}}, ["filter.state", "$gt"]),
        ({"filter": {"processInstanceKey": "abc"}}, ["filter.processInstanceKey"]),
        ({"filter": {"processInstanceKey": {"$in": "1"}}}, ["filter.processInstanceKey.$in"]),
        ({"filter": {"startDate": "yesterday"}}, ["filter.startDate", "ISO 8601"]),
        ({"filter": {"processDefinitionVersion": "1"}}, ["processDefinitionVersion", "integer"]),
        ({"filter": {"hasIncident": "yes"}}, ["hasIncident", "boolean"]),
        ({"filter": {"state": {}}}, ["filter.state", "operator"]),
        ({"filter": {"tags": "vip"}}, ["filter.tags"]),
        ({"filter": {"variables": [{"name": "a"}]}}, ["filter.variables[0]"]),
        ({"filter": []}, ["filter"]),
        ({"sort": [{"field": "colour"}]}, ["sort[0].field"]),
        ({"sort": [{"field": "state", "order": "UP"}]}, ["sort[0].order"]),
        ({"sort": {"field": "state"}}, ["sort"]),
        ({"page": {"limit": -1}}, ["page.limit"]),
        ({"page": {"limit": 100_000}}, ["page.limit"]),
        ({"page": {"from": 1, "after": "bzE="}}, ["page"]),
        ({"page": {"after": "not a cursor"}}, ["page.after"]),
        ({"page": {"before": 3}}, ["page.before"]),
        ({"page": {"from": -2}}, ["page.from"]),
        ({"page": {"size": 2}}, ["page.size"]),
        ({"query": {}}, ["query"]),
    ],
)
def test_bad_search_requests_name_the_member(
    api: Api, body: dict[str, Any], words: list[str]
) -> None:
    assert_problem(api.post("/process-instances/search", json=body), 400, *words)
    assert api.port.queries == []


def test_search_without_a_body_uses_defaults(order: Api) -> None:
    order.start()
    response = order.post("/process-instances/search")
    assert response.status_code == 200
    assert response.json()["page"]["totalItems"] == 1


def test_a_query_the_read_model_cannot_answer_is_400(api: Api) -> None:
    async def refuse(name: str, **params: Any) -> Any:
        raise UnsupportedQuery("filter.processDefinitionId: $like is not supported")

    api.port.query = refuse  # type: ignore[method-assign]
    body = {"filter": {"processDefinitionId": {"$like": "a*"}}}
    assert_problem(api.post("/process-instances/search", json=body), 400, "$like")
