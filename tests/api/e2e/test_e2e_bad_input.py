"""Bad input through every door of a real ``cadenza serve``: each request gets a clear error
(status, and a message naming what is wrong and where), and the server keeps serving.

The server runs with a small variables limit (``--max-variables-bytes``) so that oversized
variables are cheap to send.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from collections.abc import Iterator

import pytest

pytest.importorskip("pyzeebe", reason="pyzeebe is not installed (pip install -e '.[test]')")

import grpc
import httpx
from e2e_models import one_task
from e2e_server import LAUNCH, CadenzaServer, running_server, server_environment
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc

LIMIT = 64 * 1024
GOOD = one_task("e2e-good", "e2e-good")
MALFORMED = GOOD.replace('<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end">')
NO_JOB_TYPE = GOOD.replace('<zeebe:taskDefinition type="e2e-good"/>', "")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CadenzaServer]:
    data_dir = tmp_path_factory.mktemp("bad-input-data")
    with running_server(data_dir, "--max-variables-bytes", str(LIMIT)) as running:
        yield running


@pytest.fixture(scope="module")
def stub(server: CadenzaServer) -> Iterator[pb_grpc.GatewayStub]:
    with grpc.insecure_channel(server.grpc_address) as channel:
        gateway = pb_grpc.GatewayStub(channel)
        deployed = gateway.DeployResource(
            pb.DeployResourceRequest(
                resources=[pb.Resource(name="good.bpmn", content=GOOD.encode())]
            )
        )
        assert deployed.deployments[0].process.bpmnProcessId == "e2e-good"
        yield gateway


@pytest.fixture(scope="module")
def http(server: CadenzaServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.rest_url}/v2", timeout=10) as client:
        yield client


def grpc_error(call: object, request: object) -> grpc.RpcError:
    """The error a unary call ends with (fails the test if it succeeds)."""
    try:
        call(request, timeout=10)  # type: ignore[operator]
    except grpc.RpcError as error:
        return error
    raise AssertionError(f"expected {request!r} to fail")


def still_serving(stub: pb_grpc.GatewayStub, http: httpx.Client) -> None:
    """A good request through each door succeeds after the bad one."""
    created = stub.CreateProcessInstance(
        pb.CreateProcessInstanceRequest(bpmnProcessId="e2e-good", version=-1, variables='{"n": 1}'),
        timeout=10,
    )
    assert created.processInstanceKey > 0
    response = http.post("/process-instances", json={"processDefinitionId": "e2e-good"})
    assert response.status_code == 200, response.text
    assert int(response.json()["processInstanceKey"]) > 0


def problem(response: httpx.Response, status: int) -> str:
    """The detail of an RFC 9457 problem answer with ``status``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    return str(body["detail"])


def test_malformed_bpmn_names_file_and_line(
    stub: pb_grpc.GatewayStub, http: httpx.Client, tmp_path: pathlib.Path
) -> None:
    request = pb.DeployResourceRequest(
        resources=[pb.Resource(name="broken.bpmn", content=MALFORMED.encode())]
    )
    error = grpc_error(stub.DeployResource, request)
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "broken.bpmn:" in error.details() and "malformed" in error.details()
    files = {"resources": ("broken.bpmn", MALFORMED.encode(), "application/xml")}
    detail = problem(http.post("/deployments", files=files), 400)
    assert "broken.bpmn:" in detail and "malformed" in detail
    still_serving(stub, http)


def test_invalid_model_names_element_and_line(
    stub: pb_grpc.GatewayStub, http: httpx.Client
) -> None:
    request = pb.DeployResourceRequest(
        resources=[pb.Resource(name="untyped.bpmn", content=NO_JOB_TYPE.encode())]
    )
    error = grpc_error(stub.DeployResource, request)
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "untyped.bpmn:" in error.details() and "task" in error.details()
    files = {"resources": ("untyped.bpmn", NO_JOB_TYPE.encode(), "application/xml")}
    detail = problem(http.post("/deployments", files=files), 400)
    assert "untyped.bpmn:" in detail
    still_serving(stub, http)


@pytest.mark.parametrize("variables", ['{"a": ', "[1, 2]", '{"a": NaN}'])
def test_malformed_json_variables(
    stub: pb_grpc.GatewayStub, http: httpx.Client, variables: str
) -> None:
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="e2e-good", variables=variables)
    error = grpc_error(stub.CreateProcessInstance, request)
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "'variables'" in error.details()
    body = '{"processDefinitionId": "e2e-good", "variables": ' + variables + "}"
    response = http.post(
        "/process-instances", content=body, headers={"content-type": "application/json"}
    )
    problem(response, 400)
    still_serving(stub, http)


def test_wrong_types_and_unknown_members(stub: pb_grpc.GatewayStub, http: httpx.Client) -> None:
    wrong_type = http.post("/process-instances", json={"processDefinitionId": 7})
    assert "processDefinitionId" in problem(wrong_type, 400)
    not_an_object = http.post(
        "/process-instances", json={"processDefinitionId": "e2e-good", "variables": [1]}
    )
    assert "variables" in problem(not_an_object, 400)
    unknown = http.post("/process-instances", json={"processDefinitionId": "e2e-good", "bogus": 1})
    assert "bogus" in problem(unknown, 400)
    bad_key = http.post("/jobs/not-a-key/completion", json={})
    assert "jobKey" in problem(bad_key, 400)
    activation = pb.ActivateJobsRequest(type="", maxJobsToActivate=1, timeout=1000)
    call = stub.ActivateJobs(activation, timeout=10)
    with pytest.raises(grpc.RpcError) as empty_type:
        list(call)
    assert empty_type.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    still_serving(stub, http)


def test_oversized_variables_are_refused_with_the_limit(
    stub: pb_grpc.GatewayStub, http: httpx.Client
) -> None:
    big = json.dumps({"blob": "x" * (LIMIT + 1)})
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="e2e-good", variables=big)
    error = grpc_error(stub.CreateProcessInstance, request)
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert str(LIMIT) in error.details() and "variables" in error.details()
    response = http.post(
        "/process-instances", json={"processDefinitionId": "e2e-good", "variables": json.loads(big)}
    )
    assert str(LIMIT) in problem(response, 400)
    publish = pb.PublishMessageRequest(name="m", correlationKey="k", variables=big)
    assert grpc_error(stub.PublishMessage, publish).code() is grpc.StatusCode.INVALID_ARGUMENT
    still_serving(stub, http)


def test_unknown_process_ids_and_keys(stub: pb_grpc.GatewayStub, http: httpx.Client) -> None:
    create = pb.CreateProcessInstanceRequest(bpmnProcessId="no-such-process", version=-1)
    error = grpc_error(stub.CreateProcessInstance, create)
    assert error.code() is grpc.StatusCode.NOT_FOUND
    assert "no-such-process" in error.details()
    detail = problem(http.post("/process-instances", json={"processDefinitionId": "nope"}), 404)
    assert "nope" in detail
    complete = pb.CompleteJobRequest(jobKey=2251799813999999, variables="{}")
    assert grpc_error(stub.CompleteJob, complete).code() is grpc.StatusCode.NOT_FOUND
    cancel = pb.CancelProcessInstanceRequest(processInstanceKey=2251799813999999)
    assert grpc_error(stub.CancelProcessInstance, cancel).code() is grpc.StatusCode.NOT_FOUND
    resolve = pb.ResolveIncidentRequest(incidentKey=2251799813999999)
    assert grpc_error(stub.ResolveIncident, resolve).code() is grpc.StatusCode.NOT_FOUND
    problem(http.post("/jobs/2251799813999999/completion", json={}), 404)
    decision = pb.EvaluateDecisionRequest(decisionId="no-such-decision")
    assert grpc_error(stub.EvaluateDecision, decision).code() is grpc.StatusCode.NOT_FOUND
    still_serving(stub, http)


@pytest.mark.parametrize("case", ["address", "corrupt-store", "limit"])
def test_bad_server_options_end_with_a_message(tmp_path: pathlib.Path, case: str) -> None:
    data_dir = tmp_path / "data"
    args = ["--data-dir", str(data_dir), "--grpc-address", "127.0.0.1:0"]
    args += ["--http-address", "127.0.0.1:0"]
    expected = "cannot open the data directory"
    if case == "address":
        args[3], expected = "no-port", "--grpc-address must be HOST:PORT"
    elif case == "corrupt-store":
        data_dir.mkdir()
        (data_dir / "cadenza.sqlite").write_bytes(b"this is not a database" * 100)
        expected = "file is not a database"
    else:
        args += ["--max-variables-bytes", "0"]
        expected = "--max-variables-bytes must be at least 1"
    finished = subprocess.run(
        [sys.executable, "-c", LAUNCH, "serve", *args],
        capture_output=True,
        text=True,
        env=server_environment(),
        timeout=60,
    )
    assert finished.returncode != 0
    assert expected in finished.stderr
    assert "Traceback" not in finished.stderr + finished.stdout
