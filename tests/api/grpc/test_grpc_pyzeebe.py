"""End to end with the real pyzeebe 4.7 client against the gateway serving in another process.

No ``from __future__ import annotations`` here: pyzeebe finds a task's ``Job`` parameter by its
evaluated annotation.
"""

import asyncio
import pathlib
import time
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from grpc_subprocess import BPMN, ServerProcess
from pyzeebe import Job, ZeebeClient, ZeebeWorker, create_insecure_channel
from pyzeebe.errors import (
    BusinessError,
    InvalidJSONError,
    MessageAlreadyExistsError,
    ProcessDefinitionNotFoundError,
)
from pyzeebe.proto import gateway_pb2 as zeebe_pb


@pytest.fixture
def server() -> Iterator[ServerProcess]:
    running = ServerProcess()
    try:
        yield running
    finally:
        running.stop()
    assert running.process.returncode == 0


async def _until(server: ServerProcess, predicate: Any, timeout_s: float = 8.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate(server.drain()):
        assert time.monotonic() < deadline, f"not seen in time; commands: {server.commands}"
        await asyncio.sleep(0.05)


def _seen(intent: str, **value: Any) -> Any:
    def check(commands: list[dict[str, Any]]) -> bool:
        return any(
            c["intent"] == intent and all(c["value"].get(k) == v for k, v in value.items())
            for c in commands
        )

    return check


def test_pyzeebe_client_and_worker_drive_the_gateway(
    server: ServerProcess, tmp_path: pathlib.Path
) -> None:
    files = []
    for process_id in ("ship", "flaky", "risky"):
        path = tmp_path / f"{process_id}.bpmn"
        path.write_text(BPMN.format(id=process_id))
        files.append(path)

    async def scenario() -> None:
        channel = create_insecure_channel(grpc_address=server.address)
        client = ZeebeClient(channel)
        worker = ZeebeWorker(channel, name="e2e", request_timeout=500, max_connection_retries=1)

        @worker.task(task_type="ship")
        async def ship(amount: int) -> dict[str, Any]:
            return {"shipped": amount * 2}

        @worker.task(task_type="flaky")
        async def flaky() -> dict[str, Any]:
            raise RuntimeError("printer jammed")

        @worker.task(task_type="risky")
        async def risky() -> dict[str, Any]:
            raise BusinessError("OUT_OF_STOCK")

        topology = await client.topology()
        assert topology.gateway_version == "8.8.0"
        assert [b.node_id for b in topology.brokers] == [0]
        assert (await client.healthcheck()).status == 1  # SERVING

        deployed = await client.deploy_resource(*files)
        assert sorted(p.bpmn_process_id for p in deployed.deployments) == ["flaky", "risky", "ship"]

        work = asyncio.create_task(worker.work())
        try:
            created = await client.run_process("ship", {"amount": 21})
            assert created.bpmn_process_id == "ship"
            await client.run_process("flaky")
            await client.run_process("risky")
            await _until(server, _seen("COMPLETE", variables={"shipped": 42}))
            await _until(server, _seen("FAIL", retries=2))
            await _until(server, _seen("THROW_ERROR", errorCode="OUT_OF_STOCK"))

            await client.publish_message("paid", "order-1", {"total": 5}, message_id="m-1")
            with pytest.raises(MessageAlreadyExistsError):
                await client.publish_message("paid", "order-1", message_id="m-1")
            signal = await client.broadcast_signal("alarm", {"level": 3})
            assert signal.key > 0

            with pytest.raises(ProcessDefinitionNotFoundError):
                await client.run_process("nope")
            with pytest.raises(InvalidJSONError):
                await client.run_process("ship", {"amount": float("nan")})
            stub = client.zeebe_adapter._gateway_stub
            with pytest.raises(grpc.aio.AioRpcError) as bad:
                await stub.CreateProcessInstance(
                    zeebe_pb.CreateProcessInstanceRequest(bpmnProcessId="ship", variables="[1]")
                )
            assert bad.value.code() is grpc.StatusCode.INVALID_ARGUMENT
            assert "'variables'" in (bad.value.details() or "")
            # still serving, and the worker still polling: a second instance gets done too
            await client.run_process("ship", {"amount": 1})
            await _until(server, _seen("COMPLETE", variables={"shipped": 2}))
        finally:
            await worker.stop()
            await asyncio.wait_for(work, 10)
            await channel.close()

    asyncio.run(asyncio.wait_for(scenario(), 30))
    intents = [(c["valueType"], c["intent"]) for c in server.drain()]
    assert ("MESSAGE", "PUBLISH") in intents
    assert ("SIGNAL", "BROADCAST") in intents
    # bad variables never reached the engine: only the 4 good creations did
    assert intents.count(("PROCESS_INSTANCE_CREATION", "CREATE")) == 5  # incl. the unknown id


def test_pyzeebe_streaming_worker_gets_jobs_pushed(
    server: ServerProcess, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "pushed.bpmn"
    path.write_text(BPMN.format(id="pushed"))

    async def scenario() -> None:
        channel = create_insecure_channel(grpc_address=server.address)
        client = ZeebeClient(channel)
        # A long poll of 10 s: a job done well within it came through the stream.
        worker = ZeebeWorker(channel, name="pusher", request_timeout=10_000, stream_enabled=True)

        @worker.task(task_type="pushed")
        async def pushed(job: Job) -> dict[str, Any]:
            return {"via": job.custom_headers["via"], "worker": job.worker}

        await client.deploy_resource(path)
        work = asyncio.create_task(worker.work())
        try:
            deadline = time.monotonic() + 5
            while "pushed" not in server.streams:
                assert time.monotonic() < deadline, "the worker never opened a job stream"
                server.drain()
                await asyncio.sleep(0.02)
            await client.run_process("pushed")
            await _until(
                server, _seen("COMPLETE", variables={"via": "stream", "worker": "pusher"}), 5
            )
        finally:
            await worker.stop()
            await asyncio.wait_for(work, 15)
            await channel.close()

    asyncio.run(asyncio.wait_for(scenario(), 30))
