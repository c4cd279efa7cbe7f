"""An in-memory stand-in for the engine behind the REST API, following the port contract.

The engine side of the fake (the read model is in ``rest_fake_store``). It is not an engine: a process instance gets one job per ``zeebe:taskDefinition`` of its
process and one user task per ``userTask``, and completes when they are all done. That is
enough to drive every route and a real client end to end.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rest_fake_store import FakeStore, rejected

from cadenza.api._port import (
    Answer,
    Command,
    JobActivation,
    PartitionInfo,
    Topology,
)
from cadenza.kernel._records import RejectionType, ValueType


@dataclass
class FakePort(FakeStore):
    """The fake engine. ``fail_with`` makes the next ``execute`` raise that exception."""

    fail_with: BaseException | None = None
    commands: list[Command] = field(default_factory=list)
    _job_events: dict[str, asyncio.Event] = field(default_factory=dict)
    _results: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    _message_ids: set[str] = field(default_factory=set)

    def _create(self, value: Mapping[str, Any]) -> dict[str, Any]:
        if value.get("processDefinitionKey"):
            definition = self.definitions.get(value["processDefinitionKey"])
        else:
            matching = [
                d for d in self.definitions.values() if d.process_id == value["bpmnProcessId"]
            ]
            definition = max(matching, key=lambda d: d.version) if matching else None
        if definition is None:
            raise rejected(RejectionType.NOT_FOUND, "no such process definition")
        instance_key = self.key()
        now = self.tick()
        self.table("process_instances").append(
            {
                "processInstanceKey": instance_key,
                "processDefinitionKey": definition.key,
                "processDefinitionId": definition.process_id,
                "processDefinitionName": None,
                "processDefinitionVersion": definition.version,
                "startDate": now,
                "state": "ACTIVE",
                "hasIncident": False,
                "tenantId": "<default>",
                "rootProcessInstanceKey": instance_key,
            }
        )
        for name, variable in dict(value.get("variables") or {}).items():
            self._set_variable(instance_key, instance_key, name, variable)
        for job_type in definition.job_types:
            job_key = self.key()
            self.table("jobs").append(
                {
                    "jobKey": job_key,
                    "type": job_type,
                    "state": "CREATED",
                    "retries": 3,
                    "processInstanceKey": instance_key,
                    "processDefinitionKey": definition.key,
                    "processDefinitionId": definition.process_id,
                    "elementId": f"task-{job_type}",
                    "elementInstanceKey": job_key,
                    "creationTime": now,
                    "activatable": True,
                }
            )
            self._job_events.setdefault(job_type, asyncio.Event()).set()
        for element_id in definition.user_tasks:
            task_key = self.key()
            self.table("user_tasks").append(
                {
                    "userTaskKey": task_key,
                    "name": element_id,
                    "state": "CREATED",
                    "elementId": element_id,
                    "elementInstanceKey": task_key,
                    "processDefinitionId": definition.process_id,
                    "processDefinitionKey": definition.key,
                    "processInstanceKey": instance_key,
                    "processDefinitionVersion": definition.version,
                    "creationDate": now,
                    "formKey": next(iter(self.forms), None),
                }
            )
        return {
            "bpmnProcessId": definition.process_id,
            "version": definition.version,
            "processDefinitionKey": definition.key,
            "processInstanceKey": instance_key,
        }

    def _set_variable(self, scope: int, instance: int, name: str, value: Any) -> None:
        table = self.table("variables")
        for row in table:
            if row["scopeKey"] == scope and row["name"] == name:
                row["value"] = json.dumps(value)
                return
        table.append(
            {
                "variableKey": self.key(),
                "name": name,
                "value": json.dumps(value),
                "scopeKey": scope,
                "processInstanceKey": instance,
                "tenantId": "<default>",
            }
        )

    def _maybe_complete(self, instance_key: int) -> None:
        open_jobs = [
            j
            for j in self.table("jobs")
            if j["processInstanceKey"] == instance_key and j["state"] != "COMPLETED"
        ]
        open_tasks = [
            t
            for t in self.table("user_tasks")
            if t["processInstanceKey"] == instance_key and t["state"] != "COMPLETED"
        ]
        instance = self.find("process_instances", "processInstanceKey", instance_key)
        if open_jobs or open_tasks or instance is None or instance["state"] != "ACTIVE":
            return
        instance.update(state="COMPLETED", endDate=self.tick())
        waiting = self._results.pop(instance_key, None)
        if waiting is not None and not waiting.done():
            variables = {
                v["name"]: json.loads(v["value"])
                for v in self.table("variables")
                if v["processInstanceKey"] == instance_key
            }
            waiting.set_result(variables)

    def _job(self, key: int) -> dict[str, Any]:
        job = self.find("jobs", "jobKey", key)
        if job is None:
            raise rejected(RejectionType.NOT_FOUND, f"Expected to find job with key '{key}'")
        if job["state"] == "COMPLETED":
            raise rejected(RejectionType.INVALID_STATE, f"job '{key}' is already completed")
        return job

    def _incident(self, job: dict[str, Any], error_type: str, message: str) -> None:
        self.table("incidents").append(
            {
                "incidentKey": self.key(),
                "processDefinitionKey": job["processDefinitionKey"],
                "processDefinitionId": job["processDefinitionId"],
                "processInstanceKey": job["processInstanceKey"],
                "errorType": error_type,
                "errorMessage": message,
                "elementId": job["elementId"],
                "elementInstanceKey": job["elementInstanceKey"],
                "creationTime": self.tick(),
                "state": "ACTIVE",
                "jobKey": job["jobKey"],
            }
        )

    # -- the port --------------------------------------------------------------------------
    async def execute(self, command: Command) -> Answer:
        self.commands.append(command)
        if self.fail_with is not None:
            failure, self.fail_with = self.fail_with, None
            raise failure
        return await self._execute(command)

    async def _execute(self, c: Command) -> Answer:
        v = c.value
        match (c.value_type, c.intent):
            case (ValueType.DEPLOYMENT, "CREATE"):
                return Answer(self.key(), "CREATED", self._deploy(list(v["resources"])))
            case (ValueType.PROCESS_INSTANCE_CREATION, "CREATE"):
                created = self._create(v)
                self._maybe_complete(created["processInstanceKey"])
                return Answer(created["processInstanceKey"], "CREATED", created)
            case (ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT"):
                created = self._create(v)
                future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
                self._results[created["processInstanceKey"]] = future
                self._maybe_complete(created["processInstanceKey"])
                try:
                    variables = await asyncio.wait_for(future, (c.timeout_ms or 0) / 1000)
                except TimeoutError:
                    from cadenza.api._port import AnswerTimeout

                    raise AnswerTimeout("process instance did not complete in time") from None
                fetch = v.get("fetchVariables") or list(variables)
                created["variables"] = {k: variables[k] for k in fetch if k in variables}
                return Answer(created["processInstanceKey"], "COMPLETED", created)
            case (ValueType.PROCESS_INSTANCE, "CANCEL"):
                instance = self.find("process_instances", "processInstanceKey", c.key)
                if instance is None:
                    raise rejected(RejectionType.NOT_FOUND, f"no process instance '{c.key}'")
                if instance["state"] != "ACTIVE":
                    raise rejected(RejectionType.INVALID_STATE, "process instance is not active")
                instance.update(state="CANCELED", endDate=self.tick())
                return Answer(c.key, "ELEMENT_TERMINATING", {})
            case (ValueType.JOB, "COMPLETE"):
                job = self._job(c.key)
                job.update(state="COMPLETED", endTime=self.tick(), activatable=False)
                for name, value in dict(v.get("variables") or {}).items():
                    self._set_variable(
                        job["processInstanceKey"], job["processInstanceKey"], name, value
                    )
                self._maybe_complete(job["processInstanceKey"])
                return Answer(c.key, "COMPLETED", {})
            case (ValueType.JOB, "FAIL"):
                job = self._job(c.key)
                job.update(
                    state="FAILED",
                    retries=v["retries"],
                    errorMessage=v["errorMessage"],
                    activatable=v["retries"] > 0,
                )
                if v["retries"] == 0:
                    self._incident(job, "JOB_NO_RETRIES", v["errorMessage"] or "no retries")
                return Answer(c.key, "FAILED", {})
            case (ValueType.JOB, "THROW_ERROR"):
                job = self._job(c.key)
                job.update(state="ERROR_THROWN", errorCode=v["errorCode"], activatable=False)
                self._incident(job, "UNHANDLED_ERROR_EVENT", f"unhandled '{v['errorCode']}'")
                return Answer(c.key, "ERROR_THROWN", {})
            case (ValueType.JOB, "UPDATE_RETRIES"):
                self._job(c.key)["retries"] = v["retries"]
                return Answer(c.key, "RETRIES_UPDATED", {})
            case (ValueType.JOB, "UPDATE_TIMEOUT"):
                self._job(c.key)["timeoutMs"] = v["timeout"]
                return Answer(c.key, "TIMEOUT_UPDATED", {})
            case (ValueType.INCIDENT, "RESOLVE"):
                incident = self.find("incidents", "incidentKey", c.key)
                if incident is None or incident["state"] != "ACTIVE":
                    raise rejected(RejectionType.NOT_FOUND, f"no incident '{c.key}'")
                incident["state"] = "RESOLVED"
                job = self.find("jobs", "jobKey", incident["jobKey"])
                if job is not None and job["retries"] > 0:
                    job.update(state="CREATED", activatable=True)
                    self._job_events.setdefault(job["type"], asyncio.Event()).set()
                return Answer(c.key, "RESOLVED", {})
            case (ValueType.MESSAGE, "PUBLISH"):
                if v["messageId"] and v["messageId"] in self._message_ids:
                    raise rejected(RejectionType.ALREADY_EXISTS, "message id already published")
                if v["messageId"]:
                    self._message_ids.add(v["messageId"])
                return Answer(self.key(), "PUBLISHED", dict(v))
            case (ValueType.MESSAGE, "CORRELATE"):
                for instance in self.table("process_instances"):
                    definition = self.definitions[instance["processDefinitionKey"]]
                    if instance["state"] == "ACTIVE" and v["name"] in definition.messages:
                        value = {**v, "processInstanceKey": instance["processInstanceKey"]}
                        return Answer(self.key(), "CORRELATED", value)
                raise rejected(RejectionType.NOT_FOUND, f"no subscription for '{v['name']}'")
            case (ValueType.SIGNAL, "BROADCAST"):
                return Answer(self.key(), "BROADCASTED", dict(v))
            case (ValueType.VARIABLE_DOCUMENT, "UPDATE"):
                instance = self.find("process_instances", "processInstanceKey", v["scopeKey"])
                if instance is None:
                    raise rejected(RejectionType.NOT_FOUND, f"no scope '{v['scopeKey']}'")
                for name, value in v["variables"].items():
                    self._set_variable(v["scopeKey"], v["scopeKey"], name, value)
                return Answer(c.key, "UPDATED", dict(v))
            case (ValueType.USER_TASK, "ASSIGN" | "CLAIM" | "COMPLETE"):
                task = self.find("user_tasks", "userTaskKey", c.key)
                if task is None:
                    raise rejected(RejectionType.NOT_FOUND, f"no user task '{c.key}'")
                if task["state"] != "CREATED":
                    raise rejected(RejectionType.INVALID_STATE, "user task is not active")
                if c.intent == "CLAIM" and task.get("assignee") not in (None, v["assignee"]):
                    raise rejected(RejectionType.INVALID_STATE, "user task is already assigned")
                if c.intent == "COMPLETE":
                    task.update(state="COMPLETED", completionDate=self.tick())
                    for name, value in dict(v.get("variables") or {}).items():
                        self._set_variable(
                            task["processInstanceKey"], task["processInstanceKey"], name, value
                        )
                    self._maybe_complete(task["processInstanceKey"])
                else:
                    task["assignee"] = v["assignee"] or None
                return Answer(c.key, c.intent + "ED", dict(v))
            case (ValueType.DECISION_EVALUATION, "EVALUATE"):
                return self._evaluate(v)
        raise rejected(
            RejectionType.INVALID_ARGUMENT, f"unsupported {c.value_type.name} {c.intent}"
        )

    async def activate_jobs(self, request: JobActivation) -> list[dict[str, Any]]:
        jobs = []
        for job in self.table("jobs"):
            if len(jobs) >= request.max_jobs:
                break
            if job["type"] != request.type or not job.get("activatable"):
                continue
            job.update(
                activatable=False, worker=request.worker, deadline=self._now + request.timeout_ms
            )
            variables = {
                r["name"]: json.loads(r["value"])
                for r in self.table("variables")
                if r["processInstanceKey"] == job["processInstanceKey"]
                and (not request.fetch_variables or r["name"] in request.fetch_variables)
            }
            jobs.append(
                {
                    "key": job["jobKey"],
                    "type": job["type"],
                    "processInstanceKey": job["processInstanceKey"],
                    "bpmnProcessId": job["processDefinitionId"],
                    "processDefinitionVersion": 1,
                    "processDefinitionKey": job["processDefinitionKey"],
                    "elementId": job["elementId"],
                    "elementInstanceKey": job["elementInstanceKey"],
                    "customHeaders": {"h": "1"},
                    "worker": request.worker,
                    "retries": job["retries"],
                    "deadline": job["deadline"],
                    "variables": variables,
                    "tenantId": "<default>",
                }
            )
        event = self._job_events.setdefault(request.type, asyncio.Event())
        if not any(j["type"] == request.type and j.get("activatable") for j in self.table("jobs")):
            event.clear()
        return jobs

    async def wait_for_jobs(self, job_type: str, timeout_s: float) -> bool:
        event = self._job_events.setdefault(job_type, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), timeout_s)
        except TimeoutError:
            return False
        return True

    async def stream_jobs(self, request: JobActivation) -> AsyncIterator[dict[str, Any]]:
        for job in await self.activate_jobs(request):
            yield job

    async def topology(self) -> Topology:
        return Topology(
            1,
            2,
            1,
            "8.8.0",
            0,
            "127.0.0.1",
            26500,
            [PartitionInfo(1), PartitionInfo(2, "FOLLOWER", "UNHEALTHY")],
        )
