"""End to end with the official Python client (camunda-orchestration-sdk 10.0.1) against a
server process: deploy, start, a job worker, user tasks, incidents, message correlation."""

from __future__ import annotations

import asyncio
import pathlib

from camunda_orchestration_sdk import (
    CamundaAsyncClient,
    ConnectedJobContext,
    WorkerConfig,
)
from camunda_orchestration_sdk.models import (
    JobActivationRequest,
    JobFailRequest,
    MessageCorrelationRequest,
    ProcessCreationById,
    ProcessInstanceCreationInstructionBaseVariables,
    UserTaskAssignmentRequest,
    UserTaskCompletionRequest,
    UserTaskCompletionRequestVariables,
)
from camunda_orchestration_sdk.semantic_types import ProcessDefinitionId
from rest_support import FORM, ORDER_BPMN, server_url

__all__ = ["server_url"]  # fixtures


async def scenario(base_url: str, workdir: pathlib.Path) -> None:
    bpmn, form = workdir / "order.bpmn", workdir / "approval.form"
    bpmn.write_bytes(ORDER_BPMN)
    form.write_bytes(FORM)
    configuration = {"CAMUNDA_REST_ADDRESS": base_url, "CAMUNDA_AUTH_STRATEGY": "NONE"}
    async with CamundaAsyncClient(configuration=configuration) as client:
        topology = await client.get_topology()
        assert topology.partitions_count == 2

        deployment = await client.deploy_resources_from_files([bpmn, form])
        assert [p.process_definition_id for p in deployment.processes] == ["order"]
        assert [f.form_id for f in deployment.forms] == ["approval-form"]

        variables = ProcessInstanceCreationInstructionBaseVariables.from_dict({"orderId": "o-1"})
        created = await client.create_process_instance(
            data=ProcessCreationById(
                process_definition_id=ProcessDefinitionId("order"), variables=variables
            )
        )
        instance = await client.get_process_instance(created.process_instance_key)
        assert instance.state.value == "ACTIVE"

        # a job worker activates the charge job and completes it with variables
        seen: list[dict[str, object]] = []

        async def charge(job: ConnectedJobContext) -> dict[str, object]:
            seen.append(job.variables.to_dict())
            return {"charged": True}

        config = WorkerConfig(
            job_type="charge", job_timeout_milliseconds=30_000, request_timeout_milliseconds=500
        )
        worker = client.create_job_worker(config, charge, execution_strategy="async")
        try:
            for _ in range(200):
                jobs = await client.search_jobs()
                if jobs.items and jobs.items[0].state.value == "COMPLETED":
                    break
                await asyncio.sleep(0.05)
        finally:
            await worker.aclose()
        assert seen == [{"orderId": "o-1"}]
        assert [j.state.value for j in (await client.search_jobs()).items] == ["COMPLETED"]

        # the message the instance waits for correlates to it
        correlated = await client.correlate_message(
            data=MessageCorrelationRequest(name="go", correlation_key="o-1")
        )
        assert correlated.process_instance_key == created.process_instance_key

        # the user task: assign, read back, complete
        (task,) = (await client.search_user_tasks()).items
        await client.assign_user_task(
            task.user_task_key, data=UserTaskAssignmentRequest(assignee="ann")
        )
        assert (await client.get_user_task(task.user_task_key)).assignee == "ann"
        form_result = await client.get_user_task_form(task.user_task_key)
        assert form_result is not None and form_result.form_id == "approval-form"
        done = UserTaskCompletionRequestVariables.from_dict({"approved": True})
        await client.complete_user_task(
            task.user_task_key, data=UserTaskCompletionRequest(variables=done)
        )
        instance = await client.get_process_instance(created.process_instance_key)
        assert instance.state.value == "COMPLETED"

        # a second instance whose job fails without retries: an incident, then resolved
        second = await client.create_process_instance(
            data=ProcessCreationById(process_definition_id=ProcessDefinitionId("order"))
        )
        activated = await client.activate_jobs(
            data=JobActivationRequest(
                type_="charge", timeout=30_000, max_jobs_to_activate=1, request_timeout=2_000
            )
        )
        (job,) = activated.jobs
        assert job.process_instance_key == second.process_instance_key
        await client.fail_job(job.job_key, data=JobFailRequest(retries=0, error_message="boom"))
        (incident,) = (await client.search_incidents()).items
        assert incident.error_type.value == "JOB_NO_RETRIES" and incident.error_message == "boom"
        await client.resolve_incident(incident.incident_key)
        (incident,) = (await client.search_incidents()).items
        assert incident.state.value == "RESOLVED"


def test_official_python_client_end_to_end(server_url: str, tmp_path: pathlib.Path) -> None:
    asyncio.run(scenario(server_url, tmp_path))
