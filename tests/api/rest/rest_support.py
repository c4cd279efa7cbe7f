"""Shared pieces of the REST API tests: a synchronous client over the ASGI app, test models."""

from __future__ import annotations

import asyncio
import pathlib
import select
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rest_fake_port import FakePort

from cadenza.api.rest import RestSettings, create_app

ORDER_BPMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:message id="msg-go" name="go">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="charge">
      <bpmn:extensionElements><zeebe:taskDefinition type="charge" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="approve" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="msg-go" />
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>
"""

EMPTY_BPMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs2"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="empty" isExecutable="true">
    <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>
"""

DMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="drg" name="DRG"
    namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="approval" name="Approval"><literalExpression><text>"approve"</text>
  </literalExpression></decision>
</definitions>
"""

HERE = pathlib.Path(__file__).resolve().parent

FORM = b'{"id": "approval-form", "type": "default", "components": []}'


class Api:
    """A synchronous HTTP client for the app over ``port``, with its own event loop."""

    def __init__(self, port: FakePort, settings: RestSettings | None = None) -> None:
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.app = create_app(port, settings)
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://cadenza/v2")

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, path, **kwargs))

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()

    # -- scenario steps used by many tests ---------------------------------------------
    def deploy(self, *resources: tuple[str, bytes]) -> dict[str, Any]:
        files = [
            ("resources", (name, content, "application/octet-stream"))
            for name, content in resources
        ]
        response = self.post("/deployments", files=files)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def start(self, process_id: str = "order", **extra: Any) -> str:
        response = self.post(
            "/process-instances", json={"processDefinitionId": process_id, **extra}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["processInstanceKey"])

    def activate(self, job_type: str = "charge", **extra: Any) -> list[dict[str, Any]]:
        body = {"type": job_type, "timeout": 30_000, "maxJobsToActivate": 10, "requestTimeout": -1}
        response = self.post("/jobs/activation", json={**body, **extra})
        assert response.status_code == 200, response.text
        return list(response.json()["jobs"])

    def search(self, entity: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.post(f"/{entity}/search", json=body or {})
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def api() -> Iterator[Api]:
    """An app over a fresh fake engine."""
    client = Api(FakePort())
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def order(api: Api) -> Api:
    """An app with the order process, decision and form deployed."""
    api.deploy(("order.bpmn", ORDER_BPMN), ("approval.dmn", DMN), ("approval.form", FORM))
    return api


def assert_problem(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status`` whose detail mentions ``words``."""
    from camunda_orchestration_sdk.models import ProblemDetail

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = dict(response.json())
    problem = ProblemDetail.from_dict(body)
    assert problem.status == status
    assert problem.instance == response.request.url.path
    for word in words:
        assert word in problem.detail, (word, problem.detail)
    return body


@pytest.fixture
def server_url() -> Iterator[str]:
    """A server process over the fake engine; stopped (gracefully) after the test."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "rest_launcher.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=HERE,
        )
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], 30)
            line = process.stdout.readline().decode().strip() if ready else ""
            if not line.isdigit():
                process.kill()
                process.wait(timeout=10)
                errors.seek(0)
                pytest.fail(f"the REST server did not start: {errors.read().decode()[-2000:]}")
            yield f"http://127.0.0.1:{line}/v2"
            process.terminate()
            assert process.wait(timeout=15) == 0, "the server did not stop gracefully"
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
