"""pyzeebe 4.7 against a real ``cadenza serve``: the Zeebe gRPC gateway over the real engine.

No ``from __future__ import annotations``: pyzeebe reads task signatures' evaluated annotations.
Each test deploys its own process ids, so they share one server (module scope).
"""

import asyncio
import contextlib
import json
import pathlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("pyzeebe", reason="pyzeebe is not installed (pip install -e '.[test]')")

import grpc
import httpx
from e2e_models import (
    discount_table,
    error_boundary,
    message_wait,
    one_task,
    rule_task,
    signal_wait,
    write,
)
from e2e_server import CadenzaServer, eventually, instance_state, running_server, search
from pyzeebe import ZeebeClient, ZeebeWorker, create_insecure_channel
from pyzeebe.errors import BusinessError, ProcessInstanceNotFoundError
from pyzeebe.proto import gateway_pb2 as zeebe_pb

Scenario = Callable[[ZeebeClient, httpx.AsyncClient], Awaitable[None]]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CadenzaServer]:
    with running_server(tmp_path_factory.mktemp("pyzeebe-data")) as running:
        yield running


@pytest.fixture
def resources(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path


def run(server: CadenzaServer, scenario: Scenario, timeout_s: float = 30.0) -> None:
    """Run ``scenario`` with a pyzeebe client and a REST client for the read model."""

    async def main() -> None:
        channel = create_insecure_channel(grpc_address=server.grpc_address)
        try:
            async with httpx.AsyncClient(base_url=server.rest_url, timeout=10) as http:
                await asyncio.wait_for(scenario(ZeebeClient(channel), http), timeout_s)
        finally:
            await channel.close()

    asyncio.run(main())


@contextlib.asynccontextmanager
async def working(worker: ZeebeWorker) -> AsyncIterator[None]:
    """Run ``worker`` for the block, then stop it and wait until it stopped."""
    task = asyncio.create_task(worker.work())
    try:
        yield
    finally:
        await worker.stop()
        await asyncio.wait_for(task, 10)


def new_worker(server: CadenzaServer, channel_holder: list[Any], **options: Any) -> ZeebeWorker:
    channel = create_insecure_channel(grpc_address=server.grpc_address)
    channel_holder.append(channel)
    return ZeebeWorker(channel, name="e2e", request_timeout=1_000, **options)


def test_topology_names_this_node(server: CadenzaServer) -> None:
    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        topology = await client.topology()
        assert topology.cluster_size == 1 and topology.partitions_count == 1
        (broker,) = topology.brokers
        assert (broker.host, broker.port) == ("127.0.0.1", server.grpc_port)
        assert [(p.partition_id, p.role) for p in broker.partitions] == [(1, 0)]  # 0 = LEADER

    run(server, scenario)


@pytest.mark.parametrize("stream_enabled", [False, True], ids=["polling", "streaming"])
def test_deploy_and_create_with_result_through_a_worker(
    server: CadenzaServer, resources: pathlib.Path, stream_enabled: bool
) -> None:
    process_id = f"e2e-double-{'stream' if stream_enabled else 'poll'}"

    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        deployed = await client.deploy_resource(
            write(resources, "double.bpmn", one_task(process_id, process_id))
        )
        (process,) = deployed.deployments
        assert process.bpmn_process_id == process_id and process.version == 1
        channels: list[Any] = []
        worker = new_worker(server, channels, stream_enabled=stream_enabled)
        seen: list[int] = []

        @worker.task(task_type=process_id)
        async def double(amount: int) -> dict[str, Any]:
            seen.append(amount)
            return {"doubled": amount * 2}

        async with working(worker):
            results = await asyncio.gather(
                *(
                    client.run_process_with_result(process_id, {"amount": n}, timeout=10_000)
                    for n in range(5)
                )
            )
        for channel in channels:
            await channel.close()
        assert sorted(r.variables["doubled"] for r in results) == [0, 2, 4, 6, 8]
        assert all(r.variables["amount"] * 2 == r.variables["doubled"] for r in results)
        assert sorted(seen) == [0, 1, 2, 3, 4]  # each job ran exactly once
        for result in results:
            assert await instance_state(http, result.process_instance_key) == "COMPLETED"

    run(server, scenario)


def test_failing_worker_exhausts_retries_then_update_retries_and_resolve(
    server: CadenzaServer, resources: pathlib.Path
) -> None:
    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        await client.deploy_resource(write(resources, "f.bpmn", one_task("e2e-flaky", "e2e-flaky")))
        channels: list[Any] = []
        worker = new_worker(server, channels)
        attempts: list[int] = []
        healthy = asyncio.Event()

        @worker.task(task_type="e2e-flaky")
        async def flaky() -> dict[str, Any]:
            attempts.append(1)
            if not healthy.is_set():
                raise RuntimeError("printer jammed")
            return {"printed": True}

        async with working(worker):
            created = await client.run_process("e2e-flaky")
            key = created.process_instance_key

            async def open_incident() -> dict[str, Any] | None:
                found = await search(http, "incidents", {"processInstanceKey": str(key)})
                return found[0] if found and found[0]["state"] == "ACTIVE" else None

            incident = await eventually(open_incident, what="a JOB_NO_RETRIES incident")
            assert incident["errorType"] == "JOB_NO_RETRIES"
            assert "printer jammed" in incident["errorMessage"]
            assert len(attempts) == 3  # the default retries, each used once
            assert await instance_state(http, key) == "ACTIVE"

            healthy.set()
            stub = client.zeebe_adapter._gateway_stub
            job_key = int(incident["jobKey"])
            await stub.UpdateJobRetries(zeebe_pb.UpdateJobRetriesRequest(jobKey=job_key, retries=1))
            await stub.ResolveIncident(
                zeebe_pb.ResolveIncidentRequest(incidentKey=int(incident["incidentKey"]))
            )

            async def completed() -> bool:
                return await instance_state(http, key) == "COMPLETED"

            await eventually(completed, what="the instance completing after the resolution")
        for channel in channels:
            await channel.close()
        assert len(attempts) == 4
        (incident,) = await search(http, "incidents", {"processInstanceKey": str(key)})
        assert incident["state"] == "RESOLVED"

    run(server, scenario)


def test_bpmn_error_is_caught_by_the_boundary_event(
    server: CadenzaServer, resources: pathlib.Path
) -> None:
    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        model = error_boundary("e2e-risky", "e2e-risky", "OUT_OF_STOCK", "e2e-restock")
        await client.deploy_resource(write(resources, "risky.bpmn", model))
        channels: list[Any] = []
        worker = new_worker(server, channels)

        @worker.task(task_type="e2e-risky")
        async def risky() -> dict[str, Any]:
            raise BusinessError("OUT_OF_STOCK")

        @worker.task(task_type="e2e-restock")
        async def restock() -> dict[str, Any]:
            return {"restocked": True}

        async with working(worker):
            result = await client.run_process_with_result("e2e-risky", {}, timeout=10_000)
        for channel in channels:
            await channel.close()
        assert result.variables == {"restocked": True}
        elements = await search(
            http, "element-instances", {"processInstanceKey": str(result.process_instance_key)}
        )
        by_id = {e["elementId"]: e["state"] for e in elements}
        assert by_id["task"] == "TERMINATED" and by_id["handled"] == "COMPLETED"
        assert "end" not in by_id
        assert not await search(
            http, "incidents", {"processInstanceKey": str(result.process_instance_key)}
        )

    run(server, scenario)


def test_message_published_first_correlates_when_the_subscription_opens(
    server: CadenzaServer, resources: pathlib.Path
) -> None:
    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        await client.deploy_resource(
            write(resources, "pay.bpmn", message_wait("e2e-payment", "e2e-paid"))
        )
        published = await client.publish_message(
            "e2e-paid", "order-7", {"total": 99}, time_to_live_in_milliseconds=60_000
        )
        assert published.key > 0
        result = await client.run_process_with_result(
            "e2e-payment", {"orderId": "order-7"}, timeout=10_000
        )
        assert result.variables == {"orderId": "order-7", "total": 99}
        # the buffered message was consumed: a second instance keeps waiting
        other = await client.run_process("e2e-payment", {"orderId": "order-7"})
        await asyncio.sleep(0.2)
        assert await instance_state(http, other.process_instance_key) == "ACTIVE"
        await client.publish_message("e2e-paid", "order-7", {"total": 1})

        async def completed() -> bool:
            return await instance_state(http, other.process_instance_key) == "COMPLETED"

        await eventually(completed, what="the second instance correlating a new message")

    run(server, scenario)


def test_signal_broadcast_completes_waiting_instances(
    server: CadenzaServer, resources: pathlib.Path
) -> None:
    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        await client.deploy_resource(
            write(resources, "sig.bpmn", signal_wait("e2e-signal", "e2e-alarm"))
        )
        keys = [(await client.run_process("e2e-signal")).process_instance_key for _ in range(3)]
        for key in keys:
            assert await instance_state(http, key) == "ACTIVE"
        await client.broadcast_signal("e2e-alarm", {"level": 3})
        for key in keys:
            assert await instance_state(http, key) == "COMPLETED"
            variables = await search(http, "variables", {"processInstanceKey": str(key)})
            assert {(v["name"], v["value"]) for v in variables} == {("level", "3")}

    run(server, scenario)


def test_business_rule_task_and_evaluate_decision(
    server: CadenzaServer, resources: pathlib.Path
) -> None:
    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        deployed = await client.deploy_resource(
            write(resources, "discount.dmn", discount_table("e2e-discount")),
            write(resources, "rules.bpmn", rule_task("e2e-rules", "e2e-discount")),
        )
        decisions = [d for d in deployed.deployments if hasattr(d, "dmn_decision_id")]
        assert [d.dmn_decision_id for d in decisions] == ["e2e-discount"]
        gold = await client.run_process_with_result("e2e-rules", {"customer": "gold"})
        assert gold.variables["discount"] == 0.2
        plain = await client.run_process_with_result("e2e-rules", {"customer": "new"})
        assert plain.variables["discount"] == 0

        evaluated = await client.evaluate_decision(None, "e2e-discount", {"customer": "silver"})
        assert evaluated.decision_id == "e2e-discount"
        assert evaluated.decision_output == 0.1  # pyzeebe decodes the JSON text
        assert evaluated.failure_message == ""

    run(server, scenario)


def test_cancel_and_set_variables(server: CadenzaServer, resources: pathlib.Path) -> None:
    async def scenario(client: ZeebeClient, http: httpx.AsyncClient) -> None:
        await client.deploy_resource(
            write(resources, "idle.bpmn", one_task("e2e-idle", "e2e-idle"))
        )
        created = await client.run_process("e2e-idle", {"a": 1})
        key = created.process_instance_key
        stub = client.zeebe_adapter._gateway_stub
        updated = await stub.SetVariables(
            zeebe_pb.SetVariablesRequest(
                elementInstanceKey=key, variables=json.dumps({"a": 2, "b": "x"}), local=False
            )
        )
        assert updated.key > 0
        variables = await search(http, "variables", {"processInstanceKey": str(key)})
        assert {(v["name"], v["value"]) for v in variables} == {("a", "2"), ("b", '"x"')}

        await client.cancel_process_instance(key)
        assert await instance_state(http, key) == "TERMINATED"
        jobs = await search(http, "jobs", {"processInstanceKey": str(key)})
        assert [j["state"] for j in jobs] == ["CANCELED"]
        with pytest.raises(ProcessInstanceNotFoundError):
            await client.cancel_process_instance(key)
        with pytest.raises(grpc.aio.AioRpcError) as unknown:
            await stub.SetVariables(
                zeebe_pb.SetVariablesRequest(elementInstanceKey=key, variables='{"c": 1}')
            )
        assert unknown.value.code() is grpc.StatusCode.NOT_FOUND

    run(server, scenario)
