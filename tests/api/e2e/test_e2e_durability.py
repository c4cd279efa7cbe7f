"""Durability through the server: SIGKILL ``cadenza serve`` while clients have acknowledged
creates and completions (and more in flight), restart it on the same data directory, and find
every acknowledged change, none twice.
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future

import pytest

pytest.importorskip("pyzeebe", reason="pyzeebe is not installed (pip install -e '.[test]')")

import grpc
import httpx
from e2e_models import one_task
from e2e_server import CadenzaServer, running_server, wait_until
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc

PROCESS = "e2e-durable"
CREATES = 200
JOBS_TIMEOUT_MS = 1_000  # jobs activated before the crash come back quickly after it


@contextlib.contextmanager
def _gateway(server: CadenzaServer) -> Iterator[pb_grpc.GatewayStub]:
    with grpc.insecure_channel(server.grpc_address) as channel:
        yield pb_grpc.GatewayStub(channel)


def _done(futures: Iterable[Future[object]]) -> int:
    return sum(f.done() for f in futures)


def _all_done(futures: list[Future[object]]) -> bool:
    return _done(futures) == len(futures)


def _acknowledged(futures: list[Future[object]]) -> list[object]:
    return [f.result() for f in futures if f.done() and f.exception() is None]


def _activate(stub: pb_grpc.GatewayStub, wanted: int) -> list[pb.ActivatedJob]:
    jobs: list[pb.ActivatedJob] = []
    deadline = time.monotonic() + 15
    while len(jobs) < wanted and time.monotonic() < deadline:
        request = pb.ActivateJobsRequest(
            type=PROCESS,
            worker="durability",
            timeout=JOBS_TIMEOUT_MS,
            maxJobsToActivate=min(100, wanted - len(jobs)),
            requestTimeout=500,
        )
        for response in stub.ActivateJobs(request, timeout=10):
            jobs.extend(response.jobs)
    return jobs


def _search(http: httpx.Client, entity: str, **filter_: object) -> list[dict[str, object]]:
    response = http.post(f"/v2/{entity}/search", json={"filter": filter_, "page": {"limit": 1000}})
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_acknowledged_work_survives_sigkill(tmp_path: pathlib.Path) -> None:
    data_dir = tmp_path / "data"
    server = CadenzaServer(data_dir)
    try:
        with _gateway(server) as stub:
            deploy = pb.DeployResourceRequest(
                resources=[pb.Resource(name="d.bpmn", content=one_task(PROCESS, PROCESS).encode())]
            )
            stub.DeployResource(deploy, timeout=10)
            request = pb.CreateProcessInstanceRequest(bpmnProcessId=PROCESS, version=-1)
            first = [stub.CreateProcessInstance.future(request, timeout=10) for _ in range(60)]
            wait_until(lambda: _all_done(first), what="the first creates")
            created = {r.processInstanceKey for r in _acknowledged(first)}  # type: ignore[attr-defined]
            assert len(created) == 60

            jobs = _activate(stub, 40)
            assert len(jobs) == 40
            completions = {
                job.key: stub.CompleteJob.future(
                    pb.CompleteJobRequest(jobKey=job.key, variables=json.dumps({"done": job.key})),
                    timeout=10,
                )
                for job in jobs
            }
            more = [stub.CreateProcessInstance.future(request, timeout=10) for _ in range(CREATES)]
            # crash with completions and creates partly answered, partly in flight
            wait_until(
                lambda: _done(completions.values()) >= 20 and _done(more) >= CREATES // 2,
                what="half of the second wave answered",
            )
            server.kill()
            created |= {r.processInstanceKey for r in _acknowledged(more)}  # type: ignore[attr-defined]
            completed = {
                key for key, f in completions.items() if f.done() and f.exception() is None
            }
            assert len(completed) >= 20
    finally:
        server.kill()

    with (
        running_server(data_dir) as restarted,
        httpx.Client(base_url=restarted.rest_url, timeout=10) as http,
    ):
        instances = {
            int(str(i["processInstanceKey"])): i["state"]
            for i in _search(http, "process-instances", processDefinitionId=PROCESS)
        }
        assert created <= set(instances), "an acknowledged create was lost"
        jobs_by_key = {int(str(j["jobKey"])): j for j in _search(http, "jobs", type=PROCESS)}
        for key in completed:
            assert jobs_by_key[key]["state"] == "COMPLETED", "an acknowledged completion was lost"
        for key, state in instances.items():
            assert state in ("ACTIVE", "COMPLETED"), (key, state)

        with _gateway(restarted) as stub:
            open_jobs = [k for k, j in jobs_by_key.items() if j["state"] != "COMPLETED"]
            again = _activate(stub, len(open_jobs))
            assert sorted(j.key for j in again) == sorted(open_jobs)
            assert not completed & {j.key for j in again}, "a completed job came back"
            for job in again:
                stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key), timeout=10)
            for key in completed:
                repeat = stub.CompleteJob.future(pb.CompleteJobRequest(jobKey=key), timeout=10)
                assert repeat.exception() is not None
                assert repeat.code() is grpc.StatusCode.NOT_FOUND

        final = _search(http, "process-instances", processDefinitionId=PROCESS)
        assert {i["state"] for i in final} == {"COMPLETED"}
        assert len(final) == len(instances)
        tasks = _search(http, "element-instances", elementId="task")
        per_instance = [str(t["processInstanceKey"]) for t in tasks]
        assert len(per_instance) == len(set(per_instance)) == len(instances)
