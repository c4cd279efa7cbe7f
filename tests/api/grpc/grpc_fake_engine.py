"""An in-memory engine port with just enough behaviour to drive the gRPC gateway in tests.

Deploying a BPMN resource registers every ``<process id=...>`` in it; creating an instance of a
process with a ``zeebe:taskDefinition type=...`` creates one job of that type (else the instance
completes at once). Jobs are activated, completed, failed and thrown as Zeebe would, messages and
signals are recorded. Every command the gateway sends is kept in ``commands``.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from cadenza.api._port import (
    Answer,
    AnswerTimeout,
    Backpressure,
    Command,
    CommandRejected,
    JobActivation,
    PartitionInfo,
    Topology,
)
from cadenza.kernel._records import RejectionType, ValueType

_PROCESS_ID = re.compile(rb"<(?:\w+:)?process\b[^>]*?\bid=\"([^\"]+)\"")
_TASK_TYPE = re.compile(rb"<zeebe:taskDefinition\b[^>]*?\btype=\"([^\"]+)\"")


@dataclass
class FakeProcess:
    bpmn_process_id: str
    version: int
    key: int
    resource_name: str
    job_type: str | None


@dataclass
class FakeJob:
    key: int
    type: str
    instance_key: int
    process: FakeProcess
    variables: dict[str, Any]
    retries: int = 3
    state: str = "ACTIVATABLE"  # ACTIVATED, FAILED (incident), done ones are removed
    worker: str = ""
    deadline: int = 0


@dataclass
class FakeEngine:
    """The fake port. Set ``fail_next`` to an exception to make the next ``execute`` raise it."""

    commands: list[Command] = field(default_factory=list)
    processes: dict[str, list[FakeProcess]] = field(default_factory=dict)
    jobs: dict[int, FakeJob] = field(default_factory=dict)
    instances: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    signals: list[dict[str, Any]] = field(default_factory=list)
    incidents: dict[int, int] = field(default_factory=dict)  # incident key -> job key
    fail_next: Exception | None = None
    activation_failure: Exception | None = None
    decision_answer: Answer | None = None
    activations: int = 0
    _keys: itertools.count[int] = field(default_factory=lambda: itertools.count(2251799813685249))
    _job_created: asyncio.Condition | None = None
    _streams: dict[str, list[tuple[JobActivation, asyncio.Queue[dict[str, Any]]]]] = field(
        default_factory=dict
    )

    def _next_key(self) -> int:
        return next(self._keys)

    def _condition(self) -> asyncio.Condition:
        if self._job_created is None:
            self._job_created = asyncio.Condition()
        return self._job_created

    # -- the port --------------------------------------------------------------------------
    async def execute(self, command: Command) -> Answer:
        self.commands.append(command)
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        handler = getattr(self, f"_{command.value_type.name.lower()}_{command.intent.lower()}")
        answer: Answer = await handler(command)
        return answer

    async def activate_jobs(self, request: JobActivation) -> list[dict[str, Any]]:
        self.activations += 1
        if self.activation_failure is not None:
            raise self.activation_failure
        ready = [
            j for j in self.jobs.values() if j.type == request.type and j.state == "ACTIVATABLE"
        ]
        return [self._activate(job, request, "poll") for job in ready[: request.max_jobs]]

    async def wait_for_jobs(self, job_type: str, timeout_s: float) -> bool:
        condition = self._condition()
        async with condition:
            try:
                await asyncio.wait_for(
                    condition.wait_for(
                        lambda: any(
                            j.type == job_type and j.state == "ACTIVATABLE"
                            for j in self.jobs.values()
                        )
                    ),
                    timeout_s,
                )
            except TimeoutError:
                return False
        return True

    async def stream_jobs(self, request: JobActivation) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        entry = (request, queue)
        self._streams.setdefault(request.type, []).append(entry)
        try:
            while True:
                job = await queue.get()
                yield job
        finally:
            self._streams[request.type].remove(entry)

    async def topology(self) -> Topology:
        return Topology(
            cluster_size=1,
            partitions_count=2,
            replication_factor=1,
            gateway_version="8.8.0",
            node_id=0,
            host="127.0.0.1",
            port=26500,
            partitions=[PartitionInfo(1), PartitionInfo(2)],
        )

    async def query(self, name: str, **params: Any) -> Any:
        raise NotImplementedError(name)

    # -- behaviour -------------------------------------------------------------------------
    def _activate(self, job: FakeJob, request: JobActivation, via: str) -> dict[str, Any]:
        job.state, job.worker, job.deadline = "ACTIVATED", request.worker, 1_700_000_000_000
        variables = job.variables
        if request.fetch_variables:
            variables = {k: v for k, v in variables.items() if k in request.fetch_variables}
        return {
            "key": job.key,
            "type": job.type,
            "processInstanceKey": job.instance_key,
            "bpmnProcessId": job.process.bpmn_process_id,
            "processDefinitionVersion": job.process.version,
            "processDefinitionKey": job.process.key,
            "elementId": "task",
            "elementInstanceKey": job.instance_key + 1,
            "customHeaders": {"region": "eu", "via": via},
            "worker": job.worker,
            "retries": job.retries,
            "deadline": job.deadline,
            "variables": variables,
            "tenantId": "<default>",
        }

    async def _make_activatable(self, job: FakeJob) -> None:
        job.state = "ACTIVATABLE"
        for request, queue in self._streams.get(job.type, []):
            queue.put_nowait(self._activate(job, request, "stream"))
            return
        condition = self._condition()
        async with condition:
            condition.notify_all()

    def _job(self, command: Command, *, activated: bool = True) -> FakeJob:
        job = self.jobs.get(command.key)
        if job is None:
            raise CommandRejected(
                RejectionType.NOT_FOUND,
                f"Expected to {command.intent.lower()} job with key '{command.key}', "
                "but no such job was found",
            )
        if activated and job.state != "ACTIVATED":
            raise CommandRejected(
                RejectionType.INVALID_STATE,
                f"Expected to {command.intent.lower()} job with key '{command.key}', "
                f"but it is in state '{job.state}'",
            )
        return job

    async def _deployment_create(self, command: Command) -> Answer:
        metadata = []
        for resource in command.value["resources"]:
            ids = _PROCESS_ID.findall(resource["resource"])
            if not ids:
                raise CommandRejected(
                    RejectionType.INVALID_ARGUMENT,
                    f"Expected to deploy new resources, but '{resource['resourceName']}' "
                    "contains no process",
                )
            task = _TASK_TYPE.search(resource["resource"])
            for raw_id in ids:
                process_id = raw_id.decode()
                versions = self.processes.setdefault(process_id, [])
                process = FakeProcess(
                    process_id,
                    len(versions) + 1,
                    self._next_key(),
                    resource["resourceName"],
                    task.group(1).decode() if task else None,
                )
                versions.append(process)
                metadata.append(
                    {
                        "bpmnProcessId": process_id,
                        "version": process.version,
                        "processDefinitionKey": process.key,
                        "resourceName": process.resource_name,
                        "isDuplicate": False,
                    }
                )
        return Answer(self._next_key(), "CREATED", {"processesMetadata": metadata})

    def _process(self, command: Command) -> FakeProcess:
        process_id = command.value["bpmnProcessId"]
        versions = self.processes.get(process_id)
        if not versions:
            raise CommandRejected(
                RejectionType.NOT_FOUND,
                f"Expected to find process definition with process ID '{process_id}', "
                "but none found",
            )
        return versions[-1]

    async def _process_instance_creation_create(self, command: Command) -> Answer:
        process = self._process(command)
        instance_key = self._next_key()
        variables = dict(command.value["variables"])
        self.instances[instance_key] = {
            "process": process,
            "variables": variables,
            "state": "ACTIVE",
        }
        if process.job_type is not None:
            job = FakeJob(self._next_key(), process.job_type, instance_key, process, variables)
            self.jobs[job.key] = job
            await self._make_activatable(job)
        else:
            self.instances[instance_key]["state"] = "COMPLETED"
        value = {
            "bpmnProcessId": process.bpmn_process_id,
            "version": process.version,
            "processDefinitionKey": process.key,
            "processInstanceKey": instance_key,
        }
        return Answer(instance_key, "CREATED", value)

    async def _process_instance_creation_create_with_awaiting_result(
        self, command: Command
    ) -> Answer:
        created = await self._process_instance_creation_create(command)
        instance = self.instances[created.key]
        if instance["state"] != "COMPLETED":
            await asyncio.sleep((command.timeout_ms or 0) / 1000)
            raise AnswerTimeout()
        fetch = command.value.get("fetchVariables") or list(instance["variables"])
        variables = {k: v for k, v in instance["variables"].items() if k in fetch}
        return Answer(created.key, "COMPLETED", {**created.value, "variables": variables})

    async def _process_instance_cancel(self, command: Command) -> Answer:
        instance = self.instances.get(command.key)
        if instance is None or instance["state"] != "ACTIVE":
            raise CommandRejected(
                RejectionType.NOT_FOUND,
                f"Expected to cancel a process instance with key '{command.key}', "
                "but no such process was found",
            )
        instance["state"] = "CANCELED"
        return Answer(command.key, "CANCELING", {})

    async def _job_complete(self, command: Command) -> Answer:
        job = self._job(command)
        del self.jobs[job.key]
        instance = self.instances[job.instance_key]
        instance["variables"].update(command.value["variables"])
        instance["state"] = "COMPLETED"
        return Answer(job.key, "COMPLETED", {})

    async def _job_fail(self, command: Command) -> Answer:
        job = self._job(command)
        job.retries = command.value["retries"]
        if job.retries > 0:
            await self._make_activatable(job)
        else:
            job.state = "FAILED"
            self.incidents[self._next_key()] = job.key
        return Answer(job.key, "FAILED", {})

    async def _job_throw_error(self, command: Command) -> Answer:
        job = self._job(command)
        del self.jobs[job.key]
        self.instances[job.instance_key]["thrown"] = command.value["errorCode"]
        return Answer(job.key, "ERROR_THROWN", {})

    async def _job_update_retries(self, command: Command) -> Answer:
        job = self._job(command, activated=False)
        job.retries = command.value["retries"]
        return Answer(job.key, "RETRIES_UPDATED", {})

    async def _job_update_timeout(self, command: Command) -> Answer:
        job = self._job(command)
        return Answer(job.key, "TIMEOUT_UPDATED", {})

    async def _incident_resolve(self, command: Command) -> Answer:
        job_key = self.incidents.pop(command.key, None)
        if job_key is None:
            raise CommandRejected(
                RejectionType.NOT_FOUND,
                f"Expected to resolve incident with key '{command.key}', but no such incident "
                "was found",
            )
        await self._make_activatable(self.jobs[job_key])
        return Answer(command.key, "RESOLVED", {})

    async def _message_publish(self, command: Command) -> Answer:
        message_id = command.value["messageId"]
        if message_id and message_id in self.messages:
            raise CommandRejected(
                RejectionType.ALREADY_EXISTS,
                f"Expected to publish a new message with id '{message_id}', but a message "
                "with that id was already published",
            )
        self.messages[message_id or str(self._next_key())] = dict(command.value)
        return Answer(self._next_key(), "PUBLISHED", dict(command.value))

    async def _signal_broadcast(self, command: Command) -> Answer:
        self.signals.append(dict(command.value))
        return Answer(self._next_key(), "BROADCASTED", dict(command.value))

    async def _variable_document_update(self, command: Command) -> Answer:
        scope = self.instances.get(command.value["scopeKey"])
        if scope is None:
            raise CommandRejected(
                RejectionType.NOT_FOUND,
                f"Expected to update variables for element with key "
                f"'{command.value['scopeKey']}', but no such element was found",
            )
        scope["variables"].update(command.value["variables"])
        return Answer(self._next_key(), "UPDATED", dict(command.value))

    async def _decision_evaluation_evaluate(self, command: Command) -> Answer:
        if self.decision_answer is None:
            raise CommandRejected(
                RejectionType.NOT_FOUND,
                "Expected to evaluate decision, but no decision found for id "
                f"'{command.value.get('decisionId')}'",
            )
        return self.decision_answer

    async def _resource_deletion_delete(self, command: Command) -> Answer:
        for versions in self.processes.values():
            for process in versions:
                if process.key == command.value["resourceKey"]:
                    versions.remove(process)
                    return Answer(process.key, "DELETED", dict(command.value))
        raise CommandRejected(
            RejectionType.NOT_FOUND,
            f"Expected to delete resource but no resource found with key "
            f"`{command.value['resourceKey']}`",
        )


def backpressure() -> Backpressure:
    """A fresh backpressure refusal, for ``fail_next``."""
    return Backpressure()


__all__ = ["FakeEngine", "ValueType", "backpressure"]
