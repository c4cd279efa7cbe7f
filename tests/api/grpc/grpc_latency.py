"""Gateway overhead on loopback against the fake engine (a measurement, not a test).

Run: ``python tests/api/grpc/grpc_latency.py [rounds]``. Prints, for ``rounds`` iterations each:
unary round trips (CreateProcessInstance), the delay from a create call to the job arriving on an
open StreamActivatedJobs stream, and to a waiting ActivateJobs long poll answering.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from grpc_fake_engine import FakeEngine
from grpc_harness import NO_TASK_XML, PROCESS_XML, pb, serving


def _report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{name:<34} n={len(samples):<5} mean={statistics.mean(samples) * 1e3:7.3f} ms  "
        f"p50={statistics.median(samples) * 1e3:7.3f} ms  p99={p99 * 1e3:7.3f} ms"
    )


async def main(rounds: int) -> None:
    engine = FakeEngine()
    async with serving(engine) as (stub, _server, _channel):
        for xml in (NO_TASK_XML, PROCESS_XML):
            await stub.DeployResource(
                pb.DeployResourceRequest(resources=[pb.Resource(name="p.bpmn", content=xml)])
            )
        instant = pb.CreateProcessInstanceRequest(bpmnProcessId="instant", variables='{"a": 1}')
        with_job = pb.CreateProcessInstanceRequest(bpmnProcessId="order", variables='{"a": 1}')

        unary = []
        for _ in range(rounds):
            start = time.perf_counter()
            await stub.CreateProcessInstance(instant)
            unary.append(time.perf_counter() - start)
        _report("CreateProcessInstance round trip", unary)

        pushed = []
        call = stub.StreamActivatedJobs(
            pb.StreamActivatedJobsRequest(type="ship", worker="bench", timeout=60_000)
        )
        jobs = aiter(call)
        await asyncio.sleep(0.2)  # let the stream register
        for _ in range(rounds):
            start = time.perf_counter()
            await stub.CreateProcessInstance(with_job)
            await anext(jobs)
            pushed.append(time.perf_counter() - start)
        call.cancel()
        await asyncio.sleep(0.1)
        _report("create -> job pushed on stream", pushed)

        polled = []
        request = pb.ActivateJobsRequest(
            type="ship", worker="bench", timeout=60_000, maxJobsToActivate=1, requestTimeout=5_000
        )
        for _ in range(rounds):
            poll = asyncio.ensure_future(_first(stub.ActivateJobs(request)))
            await asyncio.sleep(0.002)  # the poll is waiting
            start = time.perf_counter()
            await stub.CreateProcessInstance(with_job)
            await poll
            polled.append(time.perf_counter() - start)
        _report("create -> long poll answered", polled)


async def _first(call: object) -> pb.ActivateJobsResponse:
    async for response in call:  # type: ignore[attr-defined]
        if response.jobs:
            return response
    raise AssertionError("the poll ended without a job")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
