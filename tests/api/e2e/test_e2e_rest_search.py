"""REST searches against a real ``cadenza serve``: filters the store answers (state, ranges,
candidate groups, scope keys), filters answered over the store's matches (``$in``, variables,
sorts it cannot do), and a clear 400 for what the read model cannot answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from e2e_models import one_task
from e2e_server import CadenzaServer, running_server

GROUP_TASK = one_task("e2e-search-group", "unused").replace(
    '<bpmn:serviceTask id="task"><bpmn:extensionElements>'
    '<zeebe:taskDefinition type="unused"/></bpmn:extensionElements></bpmn:serviceTask>',
    '<bpmn:userTask id="task"><bpmn:extensionElements><zeebe:userTask/>'
    '<zeebe:assignmentDefinition candidateGroups="ops"/></bpmn:extensionElements>'
    "</bpmn:userTask>",
)


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    server: CadenzaServer
    with (
        running_server(tmp_path_factory.mktemp("search-data")) as server,
        httpx.Client(base_url=f"{server.rest_url}/v2", timeout=10) as client,
    ):
        for name, text in (
            ("s.bpmn", one_task("e2e-search", "e2e-search")),
            ("g.bpmn", GROUP_TASK),
        ):
            files = {"resources": (name, text.encode(), "application/xml")}
            assert client.post("/deployments", files=files).status_code == 200
        yield client


@pytest.fixture(scope="module")
def instances(http: httpx.Client) -> list[str]:
    keys = []
    for order_id in ("a", "b", "c"):
        body = {"processDefinitionId": "e2e-search", "variables": {"orderId": order_id}}
        response = http.post("/process-instances", json=body)
        assert response.status_code == 200, response.text
        keys.append(str(response.json()["processInstanceKey"]))
    cancel = http.post(f"/process-instances/{keys[2]}/cancellation", json={})
    assert cancel.status_code == 204, cancel.text
    return keys


def search(http: httpx.Client, entity: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = http.post(f"/{entity}/search", json=body)
    assert response.status_code == 200, response.text
    page = response.json()
    if "page" not in body:
        assert page["page"]["totalItems"] == len(page["items"])
    items: list[dict[str, Any]] = page["items"]
    return items


def keys_of(items: list[dict[str, Any]]) -> list[str]:
    return [str(i["processInstanceKey"]) for i in items]


def ours(state: Any) -> dict[str, Any]:
    return {"filter": {"processDefinitionId": "e2e-search", "state": state}}


def test_state_filters(http: httpx.Client, instances: list[str]) -> None:
    assert keys_of(search(http, "process-instances", ours("TERMINATED"))) == [instances[2]]
    assert sorted(keys_of(search(http, "process-instances", ours("ACTIVE")))) == sorted(
        instances[:2]
    )
    both = search(http, "process-instances", ours({"$in": ["ACTIVE", "TERMINATED"]}))
    assert sorted(keys_of(both)) == sorted(instances)
    assert search(http, "process-instances", ours("COMPLETED")) == []


def test_variable_filter(http: httpx.Client, instances: list[str]) -> None:
    body = {
        "filter": {
            "processDefinitionId": "e2e-search",
            "variables": [{"name": "orderId", "value": json.dumps("b")}],
        }
    }
    assert keys_of(search(http, "process-instances", body)) == [instances[1]]
    body["filter"]["variables"] = [{"name": "orderId", "value": json.dumps("zzz")}]
    assert search(http, "process-instances", body) == []


def test_date_ranges_and_sorts_beyond_the_store(http: httpx.Client, instances: list[str]) -> None:
    everything = search(
        http, "process-instances", {"filter": {"processDefinitionId": "e2e-search"}}
    )
    first = min(i["startDate"] for i in everything)
    since = {"processDefinitionId": "e2e-search", "startDate": {"$gte": first}}
    assert sorted(keys_of(search(http, "process-instances", {"filter": since}))) == sorted(
        instances
    )
    before = {"processDefinitionId": "e2e-search", "startDate": {"$lt": first}}
    assert search(http, "process-instances", {"filter": before}) == []
    by_key_desc = search(
        http,
        "process-instances",
        {
            "filter": {"processDefinitionId": "e2e-search"},
            "sort": [{"field": "hasIncident"}, {"field": "processInstanceKey", "order": "DESC"}],
            "page": {"from": 1, "limit": 1},
        },
    )
    assert keys_of(by_key_desc) == [sorted(instances, key=int)[1]]


def test_candidate_group_and_scope_key(http: httpx.Client, instances: list[str]) -> None:
    created = http.post("/process-instances", json={"processDefinitionId": "e2e-search-group"})
    key = str(created.json()["processInstanceKey"])
    ops = search(http, "user-tasks", {"filter": {"candidateGroup": "ops"}})
    assert keys_of(ops) == [key]
    assert search(http, "user-tasks", {"filter": {"candidateGroup": "sales"}}) == []
    direct = search(http, "element-instances", {"filter": {"elementInstanceScopeKey": key}})
    assert sorted(e["elementId"] for e in direct) == ["start", "task"]


def test_unanswerable_filter_is_a_clear_400(http: httpx.Client, instances: list[str]) -> None:
    body = {"filter": {"processDefinitionId": "e2e-search", "tags": ["vip"]}}
    response = http.post("/process-instances/search", json=body)
    assert response.status_code == 400, response.text
    assert "tags" in response.json()["detail"]


def test_an_activated_job_is_created_for_camunda_clients(
    http: httpx.Client, instances: list[str]
) -> None:
    body = {"type": "e2e-search", "worker": "w", "timeout": 60_000, "maxJobsToActivate": 1}
    activated = http.post("/jobs/activation", json=body)
    assert activated.status_code == 200, activated.text
    [job] = activated.json()["jobs"]
    found = search(http, "jobs", {"filter": {"jobKey": job["jobKey"]}})
    assert [(j["jobKey"], j["state"], j["worker"]) for j in found] == [
        (job["jobKey"], "CREATED", "w")
    ]
    created = search(http, "jobs", {"filter": {"type": "e2e-search", "state": "CREATED"}})
    assert job["jobKey"] in {j["jobKey"] for j in created}
    from camunda_orchestration_sdk.models.job_state_enum import JobStateEnum

    assert all(JobStateEnum(j["state"]) for j in found + created)
