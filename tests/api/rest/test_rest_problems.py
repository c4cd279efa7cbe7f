"""Every kind of bad request and engine failure ends in an RFC 9457 problem, and the server
keeps serving afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rest_fake_port import FakePort
from rest_support import Api, api, assert_problem, order

from cadenza.api._port import AnswerTimeout, Backpressure, CommandRejected
from cadenza.api.rest import RestSettings
from cadenza.kernel._records import RejectionType

__all__ = ["api", "order"]  # fixtures

ACTIVATION = {"type": "charge", "timeout": 1000, "maxJobsToActivate": 1, "requestTimeout": -1}


@pytest.mark.parametrize(
    ("rejection", "status"),
    [
        (RejectionType.NOT_FOUND, 404),
        (RejectionType.INVALID_ARGUMENT, 400),
        (RejectionType.INVALID_STATE, 409),
        (RejectionType.ALREADY_EXISTS, 409),
        (RejectionType.UNAUTHORIZED, 401),
        (RejectionType.FORBIDDEN, 403),
        (RejectionType.PROCESSING_ERROR, 500),
    ],
)
def test_rejections_map_to_camunda_statuses(
    api: Api, rejection: RejectionType, status: int
) -> None:
    api.port.fail_with = CommandRejected(rejection, "job 5 is gone")
    body = assert_problem(api.post("/jobs/5/completion", json={}), status, "job 5 is gone")
    assert body["title"] == rejection.name


def test_backpressure_is_503_and_timeout_504(api: Api) -> None:
    api.port.fail_with = Backpressure()
    body = assert_problem(api.post("/signals/broadcast", json={"signalName": "s"}), 503)
    assert body["title"] == "RESOURCE_EXHAUSTED"
    api.port.fail_with = AnswerTimeout()
    body = assert_problem(api.post("/signals/broadcast", json={"signalName": "s"}), 504)
    assert body["title"] == "DEADLINE_EXCEEDED"


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/jobs/activation", {"type": "a", "timeout": 1}, ["maxJobsToActivate", "required"]),
        ("/jobs/activation", {**ACTIVATION, "timeout": "soon"}, ["body.timeout"]),
        ("/jobs/activation", {**ACTIVATION, "maxJobsToActivate": 0}, ["maxJobsToActivate"]),
        ("/jobs/activation", {**ACTIVATION, "colour": "red"}, ["body.colour", "unknown"]),
        ("/jobs/activation", {**ACTIVATION, "type": 7}, ["body.type"]),
        ("/jobs/activation", [1, 2], ["JSON object"]),
        ("/jobs/1/error", {}, ["body.errorCode"]),
        ("/jobs/1/failure", {"retries": -1}, ["body.retries"]),
        ("/process-instances", {}, ["processDefinitionId", "processDefinitionKey"]),
        ("/process-instances", {"processDefinitionId": "a", "processDefinitionKey": "1"}, ["exactly one"]),
        ("/process-instances", {"processDefinitionKey": "x1"}, ["body.processDefinitionKey", "key"]),
        ("/process-instances", {"processDefinitionId": "a", "variables": [1]}, ["body.variables"]),
        ("/process-instances", {"processDefinitionId": "a", "processDefinitionVersionTag": "v"}, ["processDefinitionVersionTag"]),
        ("/process-instances", {"processDefinitionId": "a", "runtimeInstructions": [{}]}, ["runtimeInstructions"]),
        ("/messages/publication", {"correlationKey": "k"}, ["body.name"]),
        ("/messages/publication", {"name": "m", "timeToLive": -5}, ["body.timeToLive"]),
        ("/messages/correlation", {"name": ""}, ["body.name"]),
        ("/signals/broadcast", {"signalName": "s", "variables": "x"}, ["body.variables"]),
        ("/user-tasks/1/assignment", {}, ["assignee"]),
        ("/user-tasks/1/completion", {"variables": 3}, ["body.variables"]),
        ("/decision-definitions/evaluation", {"variables": {}}, ["decisionDefinitionId"]),
        ("/process-instances/1/cancellation", {"reason": "x"}, ["body.reason"]),
        ("/incidents/1/resolution", {"operationReference": "x"}, ["operationReference"]),
    ],
)  # fmt: skip
def test_bad_bodies_are_400_naming_the_field(
    api: Api, path: str, body: Any, words: list[str]
) -> None:
    assert_problem(api.post(path, json=body), 400, *words)
    assert api.port.commands == []


def test_malformed_json_is_400(api: Api) -> None:
    headers = {"content-type": "application/json"}
    response = api.post("/jobs/activation", content=b'{"type": ', headers=headers)
    assert_problem(response, 400, "not valid JSON")
    assert_problem(api.post("/jobs/activation", content=b"", headers=headers), 400, "required")


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_json_number_constants_are_400(api: Api, constant: bytes) -> None:
    body = b'{"processDefinitionId": "p", "variables": {"a": ' + constant + b"}}"
    response = api.post(
        "/process-instances", content=body, headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "not valid JSON")


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("GET", "/process-instances/abc", "processInstanceKey"),
        ("GET", "/process-definitions/-4", "processDefinitionKey"),
        ("POST", "/jobs/1e3/completion", "jobKey"),
        ("PATCH", "/jobs/99999999999999999999999", "jobKey"),
        ("GET", "/user-tasks/x/form", "userTaskKey"),
        ("POST", "/incidents/%20/resolution", "incidentKey"),
    ],
)
def test_malformed_keys_in_the_path_are_400(api: Api, method: str, path: str, name: str) -> None:
    kwargs: dict[str, Any] = {"json": {"changeset": {"retries": 1}}} if method == "PATCH" else {}
    assert_problem(api.request(method, path, **kwargs), 400, name)


def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    assert_problem(api.get("/nothing-here"), 404)
    assert_problem(api.request("DELETE", "/topology"), 405)


def test_deployment_form_errors(api: Api) -> None:
    assert_problem(api.post("/deployments", json={"resources": []}), 400, "multipart")
    assert_problem(api.post("/deployments", files={"tenantId": (None, "t")}), 400, "resources")
    files = [("resources", ("a.bpmn", b"<x/>", "text/xml")), ("extra", ("b", b"1", "text/plain"))]
    assert_problem(api.post("/deployments", files=files), 400, "extra")
    files = [("resources", ("a.bpmn", b"not bpmn", "text/xml"))]
    assert_problem(api.post("/deployments", files=files), 400, "a.bpmn")


def test_oversized_bodies_are_413() -> None:
    api = Api(FakePort(), RestSettings(max_body_bytes=1000))
    try:
        big = {"signalName": "s", "variables": {"blob": "x" * 2000}}
        assert_problem(api.post("/signals/broadcast", json=big), 413, "1000 bytes")

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(30):
                yield b" " * 100

        headers = {"content-type": "application/json"}
        response = api.post("/signals/broadcast", content=chunks(), headers=headers)
        assert_problem(response, 413, "1000 bytes")

        async def file_chunks() -> AsyncIterator[bytes]:
            yield (
                b'--b\r\nContent-Disposition: form-data; name="resources"; filename="a.bpmn"'
                b"\r\nContent-Type: text/xml\r\n\r\n"
            )
            for _ in range(30):
                yield b"x" * 100
            yield b"\r\n--b--\r\n"

        multipart = {"content-type": "multipart/form-data; boundary=b"}
        response = api.post("/deployments", content=file_chunks(), headers=multipart)
        assert_problem(response, 413, "1000 bytes")
        assert api.port.commands == []
        fine = api.post("/signals/broadcast", json={"signalName": "s"})
        assert fine.status_code == 200
    finally:
        api.close()


def test_a_bug_in_the_engine_is_a_500_problem_without_traceback(api: Api) -> None:
    api.port.fail_with = RuntimeError("secret internals")
    body = assert_problem(api.post("/signals/broadcast", json={"signalName": "s"}), 500)
    assert "secret" not in body["detail"] and "Traceback" not in body["detail"]


def test_the_server_keeps_serving_after_bad_requests(order: Api) -> None:
    bad_requests: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/jobs/activation", {"content": b"\xff\xfe", "headers": {"content-type": "application/json"}}),
        ("POST", "/process-instances", {"json": {"processDefinitionId": "nope"}}),
        ("GET", "/process-instances/0x1", {}),
        ("POST", "/deployments", {"content": b"--x\r\n", "headers": {"content-type": "multipart/form-data; boundary=x"}}),
        ("POST", "/process-instances/search", {"json": {"filter": {"x": 1}}}),
    ]  # fmt: skip
    for method, path, kwargs in bad_requests:
        response = order.request(method, path, **kwargs)
        assert 400 <= response.status_code < 500, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert order.get("/topology").status_code == 200
    assert order.start()
