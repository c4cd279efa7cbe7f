"""Backpressure through the server: at ``--max-in-flight`` new work is refused with
RESOURCE_EXHAUSTED at once, while the commands that finish work (job activation and completion)
still pass, so the waiting requests complete and the server accepts work again."""

from __future__ import annotations

import pathlib
from concurrent.futures import Future

import pytest

pytest.importorskip("pyzeebe", reason="pyzeebe is not installed (pip install -e '.[test]')")

import grpc
from e2e_models import one_task
from e2e_server import running_server, wait_until
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc as pb_grpc

LIMIT = 4


def test_overload_is_refused_and_completions_still_pass(tmp_path: pathlib.Path) -> None:
    with (
        running_server(tmp_path / "data", "--max-in-flight", str(LIMIT)) as server,
        grpc.insecure_channel(server.grpc_address) as channel,
    ):
        stub = pb_grpc.GatewayStub(channel)
        model = one_task("e2e-bp", "e2e-bp").encode()
        stub.DeployResource(
            pb.DeployResourceRequest(resources=[pb.Resource(name="bp.bpmn", content=model)]),
            timeout=10,
        )
        request = pb.CreateProcessInstanceWithResultRequest(
            request=pb.CreateProcessInstanceRequest(bpmnProcessId="e2e-bp", version=-1),
            requestTimeout=20_000,
        )
        waiting: list[Future[pb.CreateProcessInstanceWithResultResponse]] = [
            stub.CreateProcessInstanceWithResult.future(request, timeout=30) for _ in range(LIMIT)
        ]

        def activate() -> list[pb.ActivatedJob]:
            found = stub.ActivateJobs(
                pb.ActivateJobsRequest(
                    type="e2e-bp",
                    worker="bp",
                    timeout=30_000,
                    maxJobsToActivate=100,
                    requestTimeout=-1,  # answer at once, no long poll
                ),
                timeout=10,
            )
            return [job for response in found for job in response.jobs]

        def refused() -> grpc.RpcError | None:
            # accepted creates (before the waiting ones arrived) just add jobs; retry
            plain = pb.CreateProcessInstanceRequest(bpmnProcessId="e2e-bp", version=-1)
            try:
                stub.CreateProcessInstance(plain, timeout=10)
            except grpc.RpcError as error:
                return error
            return None

        error = wait_until(refused, what="a refused create")
        assert error.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "retry" in (error.details() or "")
        assert not any(f.done() for f in waiting)

        jobs = activate()  # activation passes the limit
        assert len(jobs) >= LIMIT
        for job in jobs:  # and so do completions
            stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key), timeout=10)
        results = [f.result(timeout=10) for f in waiting]
        assert len({r.processInstanceKey for r in results}) == LIMIT
        assert activate() == []
        assert refused() is None  # accepting work again
