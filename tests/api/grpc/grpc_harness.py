"""Serve the gateway in-process on a free port and talk to it with the generated stubs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc

from cadenza.api.grpc import GatewayConfig, GrpcServer, start_grpc_server
from cadenza.api.grpc._proto import gateway_pb2 as pb
from cadenza.api.grpc._proto import gateway_pb2_grpc as pb_grpc

T = TypeVar("T")


@contextlib.asynccontextmanager
async def serving(
    engine: Any, config: GatewayConfig | None = None
) -> AsyncIterator[tuple[Any, GrpcServer, grpc.aio.Channel]]:
    """A running server for ``engine`` and a stub connected to it; both closed on exit."""
    server = await start_grpc_server(engine, "127.0.0.1:0", config=config)
    channel = grpc.aio.insecure_channel(server.address)
    try:
        yield pb_grpc.GatewayStub(channel), server, channel
    finally:
        await channel.close()
        await server.stop(0)


def run(scenario: Callable[[], Awaitable[T]], timeout_s: float = 10.0) -> T:
    """Run an async scenario, bounded so that a hang fails the test instead of stalling it."""

    async def bounded() -> T:
        return await asyncio.wait_for(scenario(), timeout_s)

    return asyncio.run(bounded())


async def rpc_error(call: Awaitable[Any]) -> grpc.aio.AioRpcError:
    """The error a call ends with (fails the test when it succeeds)."""
    try:
        await call
    except grpc.aio.AioRpcError as error:
        return error
    raise AssertionError("expected the call to fail")


PROCESS_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements><zeebe:taskDefinition type="ship"/></bpmn:extensionElements>
    </bpmn:serviceTask>
  </bpmn:process>
</bpmn:definitions>
"""

NO_TASK_XML = b"""<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <bpmn:process id="instant" isExecutable="true"><bpmn:startEvent id="start"/></bpmn:process>
</bpmn:definitions>
"""


async def deploy(stub: Any, xml: bytes = PROCESS_XML) -> pb.DeployResourceResponse:
    """Deploy one BPMN resource."""
    request = pb.DeployResourceRequest(resources=[pb.Resource(name="order.bpmn", content=xml)])
    response: pb.DeployResourceResponse = await stub.DeployResource(request)
    return response


async def start(stub: Any, variables: str = '{"amount": 12}') -> int:
    """Create an instance of the ``order`` process; answers its key."""
    response = await stub.CreateProcessInstance(
        pb.CreateProcessInstanceRequest(bpmnProcessId="order", version=-1, variables=variables)
    )
    return int(response.processInstanceKey)


async def activate(stub: Any, request_timeout: int = -1) -> list[pb.ActivatedJob]:
    """Activate up to five ``ship`` jobs (no long poll by default)."""
    request = pb.ActivateJobsRequest(
        type="ship",
        worker="w1",
        timeout=30_000,
        maxJobsToActivate=5,
        requestTimeout=request_timeout,
    )
    return [job async for response in stub.ActivateJobs(request) for job in response.jobs]


__all__ = [
    "NO_TASK_XML",
    "PROCESS_XML",
    "activate",
    "deploy",
    "pb",
    "pb_grpc",
    "rpc_error",
    "run",
    "serving",
    "start",
]
