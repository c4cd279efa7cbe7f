"""camunda-orchestration-sdk 10.0.1 (REST API v2) against a real ``cadenza serve``.

Every search right after a command checks read-your-writes: the read model shows the change as
soon as the command is answered, without polling.
"""

from __future__ import annotations

import asyncio
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip(
    "camunda_orchestration_sdk",
    reason="camunda-orchestration-sdk is not installed (pip install -e '.[test]')",
)

from camunda_orchestration_sdk import CamundaAsyncClient, ConnectedJobContext, WorkerConfig
from camunda_orchestration_sdk.models import (
    ElementInstanceSearchQuery,
    IncidentSearchQuery,
    JobActivationRequest,
    JobChangeset,
    JobFailRequest,
    JobSearchQuery,
    JobUpdateRequest,
    MessageCorrelationRequest,
    ProcessCreationById,
    ProcessInstanceCreationInstructionBaseVariables,
    ProcessInstanceSearchQuery,
    UserTaskAssignmentRequest,
    UserTaskCompletionRequest,
    UserTaskCompletionRequestVariables,
    UserTaskSearchQuery,
)
from camunda_orchestration_sdk.semantic_types import ProcessDefinitionId
from e2e_models import order_process, write
from e2e_server import CadenzaServer, running_server

ORDER = order_process("e2e-order", "e2e-charge", "e2e-go")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CadenzaServer]:
    with running_server(tmp_path_factory.mktemp("sdk-data")) as running:
        yield running


def _client(server: CadenzaServer) -> CamundaAsyncClient:
    return CamundaAsyncClient(
        configuration={
            "CAMUNDA_REST_ADDRESS": f"{server.rest_url}/v2",
            "CAMUNDA_AUTH_STRATEGY": "NONE",
        }
    )


def _by_instance(query: Any, key: Any, **more: Any) -> Any:
    return query.from_dict({"filter": {"processInstanceKey": str(key), **more}})


async def _start(client: CamundaAsyncClient, order_id: str) -> Any:
    variables = ProcessInstanceCreationInstructionBaseVariables.from_dict({"orderId": order_id})
    return await client.create_process_instance(
        data=ProcessCreationById(
            process_definition_id=ProcessDefinitionId("e2e-order"), variables=variables
        )
    )


async def _state(client: CamundaAsyncClient, key: Any) -> str:
    found = await client.search_process_instances(
        data=_by_instance(ProcessInstanceSearchQuery, key)
    )
    (instance,) = found.items
    return str(instance.state.value)


async def _happy_path(client: CamundaAsyncClient, workdir: pathlib.Path) -> None:
    deployment = await client.deploy_resources_from_files([write(workdir, "order.bpmn", ORDER)])
    assert [p.process_definition_id for p in deployment.processes] == ["e2e-order"]

    created = await _start(client, "o-1")
    key = created.process_instance_key
    assert await _state(client, key) == "ACTIVE"  # visible at once

    seen: list[dict[str, object]] = []

    async def charge(job: ConnectedJobContext) -> dict[str, object]:
        seen.append(job.variables.to_dict())
        return {"charged": True}

    worker = client.create_job_worker(
        WorkerConfig(
            job_type="e2e-charge",
            job_timeout_milliseconds=30_000,
            request_timeout_milliseconds=1_000,
        ),
        charge,
        execution_strategy="async",
    )
    try:
        for _ in range(250):
            jobs = await client.search_jobs(data=_by_instance(JobSearchQuery, key))
            if jobs.items and jobs.items[0].state.value == "COMPLETED":
                break
            await asyncio.sleep(0.02)
    finally:
        await worker.aclose()
    assert seen == [{"orderId": "o-1"}]
    jobs = await client.search_jobs(data=_by_instance(JobSearchQuery, key))
    assert [j.state.value for j in jobs.items] == ["COMPLETED"]

    correlated = await client.correlate_message(
        data=MessageCorrelationRequest(name="e2e-go", correlation_key="o-1")
    )
    assert correlated.process_instance_key == key
    elements = await client.search_element_instances(
        data=_by_instance(ElementInstanceSearchQuery, key, elementId="wait")
    )
    assert [e.state.value for e in elements.items] == ["COMPLETED"]

    (task,) = (await client.search_user_tasks(data=_by_instance(UserTaskSearchQuery, key))).items
    assert task.state.value == "CREATED" and task.element_id == "approve"
    await client.assign_user_task(
        task.user_task_key, data=UserTaskAssignmentRequest(assignee="ann")
    )
    assert (await client.get_user_task(task.user_task_key)).assignee == "ann"
    done = UserTaskCompletionRequestVariables.from_dict({"approved": True})
    await client.complete_user_task(
        task.user_task_key, data=UserTaskCompletionRequest(variables=done)
    )
    assert (await client.get_user_task(task.user_task_key)).state.value == "COMPLETED"
    assert await _state(client, key) == "COMPLETED"
    instance = await client.get_process_instance(key)
    assert instance.state.value == "COMPLETED" and instance.end_date is not None


async def _incident_path(client: CamundaAsyncClient) -> None:
    created = await _start(client, "o-2")
    key = created.process_instance_key
    activated = await client.activate_jobs(
        data=JobActivationRequest(
            type_="e2e-charge", timeout=30_000, max_jobs_to_activate=5, request_timeout=2_000
        )
    )
    (job,) = activated.jobs
    assert job.process_instance_key == key
    await client.fail_job(
        job.job_key, data=JobFailRequest(retries=0, error_message="card declined")
    )
    (incident,) = (await client.search_incidents(data=_by_instance(IncidentSearchQuery, key))).items
    assert incident.error_type.value == "JOB_NO_RETRIES"
    assert incident.error_message == "card declined" and incident.state.value == "ACTIVE"
    found = await client.search_process_instances(
        data=_by_instance(ProcessInstanceSearchQuery, key)
    )
    assert found.items[0].has_incident is True

    await client.update_job(job.job_key, data=JobUpdateRequest(changeset=JobChangeset(retries=1)))
    await client.resolve_incident(incident.incident_key)
    (incident,) = (await client.search_incidents(data=_by_instance(IncidentSearchQuery, key))).items
    assert incident.state.value == "RESOLVED"

    again = await client.activate_jobs(
        data=JobActivationRequest(
            type_="e2e-charge", timeout=30_000, max_jobs_to_activate=5, request_timeout=2_000
        )
    )
    assert [j.job_key for j in again.jobs] == [job.job_key]
    assert again.jobs[0].retries == 1
    await client.complete_job(job.job_key)
    elements = await client.search_element_instances(
        data=_by_instance(ElementInstanceSearchQuery, key, elementId="wait")
    )
    assert [e.state.value for e in elements.items] == ["ACTIVE"]
    await client.cancel_process_instance(key, data=None)  # no body: UNSET fails to encode
    assert await _state(client, key) == "TERMINATED"


def test_official_client_end_to_end(server: CadenzaServer, tmp_path: pathlib.Path) -> None:
    async def scenario() -> None:
        async with _client(server) as client:
            topology = await client.get_topology()
            assert topology.partitions_count == 1
            await _happy_path(client, tmp_path)
            await _incident_path(client)

    asyncio.run(asyncio.wait_for(scenario(), 40))
