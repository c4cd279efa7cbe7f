"""Processors of client commands: instance creation and cancellation, jobs, incidents,
variables, user tasks."""

from __future__ import annotations

from typing import Any

from cadenza.kernel import _variables as variables
from cadenza.kernel._flow import Bpmn
from cadenza.kernel._intents import PI, Creation, Incident, Job, JobBatch, UserTask
from cadenza.kernel._records import Record, RejectionType, ValueType
from cadenza.kernel._state import ElementInstance

Reject = RejectionType


def _variables_of(bpmn: Bpmn, command: Record, field: str = "variables") -> dict[str, Any] | None:
    values = command.value.get(field) or {}
    if not isinstance(values, dict):
        bpmn.ctx.reject(
            command,
            Reject.INVALID_ARGUMENT,
            f"Expected document to be a root level object, but was '{type(values).__name__}'",
        )
        return None
    return values


# -- process instances ----------------------------------------------------------------------------
def create_instance(bpmn: Bpmn, command: Record) -> None:
    """PROCESS_INSTANCE_CREATION CREATE / CREATE_WITH_AWAITING_RESULT."""
    state = bpmn.state
    value = command.value
    definition_key = value.get("processDefinitionKey") or 0
    process_id = value.get("bpmnProcessId") or ""
    version = value.get("version", -1)
    if definition_key > 0:
        process = state.processes.get(definition_key)
        missing = f"Expected to find process definition with key '{definition_key}', but none found"
    elif version is None or version < 0:
        process = state.latest_process(process_id)
        missing = (
            f"Expected to find process definition with process ID '{process_id}', but none found"
        )
    else:
        process = state.process_version(process_id, version)
        missing = (
            f"Expected to find process definition with process ID '{process_id}' and version "
            f"'{version}', but none found"
        )
    if process is None:
        bpmn.ctx.reject(command, Reject.NOT_FOUND, missing)
        return
    instructions = value.get("startInstructions") or []
    start_at: list[str] = []
    for instruction in instructions:
        element_id = instruction.get("elementId") if isinstance(instruction, dict) else None
        element = process.model.elements.get(element_id or "")
        if element is None or element_id == process.bpmn_process_id:
            bpmn.ctx.reject(
                command,
                Reject.INVALID_ARGUMENT,
                "Expected to create instance of process with start instructions but no element "
                f"found with id '{element_id}'.",
            )
            return
        if element.scope_id != process.bpmn_process_id or element.kind.value in (
            "BOUNDARY_EVENT",
            "EVENT_SUB_PROCESS",
        ):
            bpmn.ctx.reject(
                command,
                Reject.INVALID_ARGUMENT,
                "Expected to create instance of process with start instructions but the element "
                f"with id '{element_id}' is not directly inside the process (start instructions "
                "for elements inside subprocesses and for boundary events are not supported).",
            )
            return
        start_at.append(element.id)
    if not start_at and process.model.root.none_start_event is None:
        bpmn.ctx.reject(
            command,
            Reject.INVALID_STATE,
            "Expected to create instance of process with none start event, but there is no "
            "such event",
        )
        return
    values = _variables_of(bpmn, command)
    if values is None:
        return
    key = bpmn.ctx.new_key()
    awaiting = command.intent == Creation.CREATE_WITH_AWAITING_RESULT
    created = bpmn.ctx.event(
        ValueType.PROCESS_INSTANCE_CREATION,
        Creation.CREATED,
        key,
        {
            "bpmnProcessId": process.bpmn_process_id,
            "version": process.version,
            "processDefinitionKey": process.key,
            "processInstanceKey": key,
            "variables": values,
            "fetchVariables": list(value.get("fetchVariables") or []),
            "startInstructions": [{"elementId": e} for e in start_at],
            "tenantId": process.tenant_id,
        },
    )
    if awaiting and command.request_id >= 0:
        # a volatile request registry: request ids do not survive a restart, nor need to
        fetch = value.get("fetchVariables") or None
        state.awaiting_results[key] = (command.request_id, tuple(fetch) if fetch else None)
    else:
        bpmn.ctx.respond(command, created)
    bpmn.events.create_instance(bpmn, process, values, key=key, start_at=start_at)


def cancel_instance(bpmn: Bpmn, command: Record) -> None:
    """PROCESS_INSTANCE CANCEL: terminate a root process instance and everything in it."""
    root = bpmn.state.elements.get(command.key)
    if root is None or root.parent_key != -1:
        bpmn.ctx.reject(
            command,
            Reject.NOT_FOUND,
            f"Expected to cancel a process instance with key '{command.key}', but no such "
            "process was found",
        )
        return
    if root.value.get("parentElementInstanceKey", -1) != -1:
        bpmn.ctx.reject(
            command,
            Reject.INVALID_STATE,
            f"Expected to cancel a process instance with key '{command.key}', but it is created "
            "by a parent process instance. Cancel the root process instance "
            f"'{root.value['parentProcessInstanceKey']}' instead.",
        )
        return
    answer = Record(
        command.key,
        command.record_type,
        ValueType.PROCESS_INSTANCE,
        PI.ELEMENT_TERMINATING,
        root.value,
        command.timestamp,
    )
    bpmn.terminate(root)
    bpmn.ctx.respond(command, answer)


# -- jobs -------------------------------------------------------------------------------------------
def _job(bpmn: Bpmn, command: Record, verb: str, states: tuple[str, ...]) -> Any:
    job = bpmn.state.jobs.get(command.key)
    if job is None:
        bpmn.ctx.reject(
            command,
            Reject.NOT_FOUND,
            f"Expected to {verb} job with key '{command.key}', but no such job was found",
        )
        return None
    if job.state not in states:
        bpmn.ctx.reject(
            command,
            Reject.INVALID_STATE,
            f"Expected to {verb} job with key '{command.key}', but it is in state '{job.state}'",
        )
        return None
    return job


def _owner(bpmn: Bpmn, job_value: dict[str, Any]) -> ElementInstance | None:
    return bpmn.state.elements.get(job_value["elementInstanceKey"])


def complete_job(bpmn: Bpmn, command: Record) -> None:
    """JOB COMPLETE: the job's element completes with the job's variables."""
    job = _job(bpmn, command, "complete", ("ACTIVATABLE", "ACTIVATED"))
    if job is None:
        return
    values = _variables_of(bpmn, command)
    if values is None:
        return
    value = dict(job.value)
    value["variables"] = values
    completed = bpmn.ctx.event(ValueType.JOB, Job.COMPLETED, command.key, value)
    bpmn.ctx.respond(command, completed)
    instance = _owner(bpmn, value)
    if instance is not None:
        bpmn.complete(instance, values)


def fail_job(bpmn: Bpmn, command: Record) -> None:
    """JOB FAIL: retry (after a back-off) or, out of retries, raise an incident."""
    job = _job(bpmn, command, "fail", ("ACTIVATABLE", "ACTIVATED"))
    if job is None:
        return
    values = _variables_of(bpmn, command)
    if values is None:
        return
    value = dict(job.value)
    retries = int(command.value.get("retries", 0))
    backoff = int(command.value.get("retryBackoff", 0) or 0)
    value.update(
        retries=retries,
        errorMessage=command.value.get("errorMessage", ""),
        retryBackoff=backoff,
        variables=values,
    )
    failed = bpmn.ctx.event(ValueType.JOB, Job.FAILED, command.key, value)
    bpmn.ctx.respond(command, failed)
    instance = _owner(bpmn, value)
    if instance is not None and values:
        variables.set_locals(bpmn.ctx, instance.key, values)
    if retries > 0:
        if backoff <= 0:
            bpmn.ctx.job_available(value["type"])
        return
    if instance is not None:
        message = value["errorMessage"] or "No more retries left."
        bpmn.incident(instance, "JOB_NO_RETRIES", message, job_key=command.key)


def throw_error(bpmn: Bpmn, command: Record) -> None:
    """JOB THROW_ERROR: the nearest matching catch event takes over, else an incident."""
    job = _job(bpmn, command, "throw an error for", ("ACTIVATABLE", "ACTIVATED"))
    if job is None:
        return
    values = _variables_of(bpmn, command)
    if values is None:
        return
    code = str(command.value.get("errorCode", ""))
    message = str(command.value.get("errorMessage", ""))
    value = dict(job.value)
    value.update(errorCode=code, errorMessage=message, variables=values)
    thrown = bpmn.ctx.event(ValueType.JOB, Job.ERROR_THROWN, command.key, value)
    bpmn.ctx.respond(command, thrown)
    instance = _owner(bpmn, value)
    if instance is None:
        return
    if not bpmn.events.throw_error(bpmn, instance, code, message, values):
        bpmn.incident(
            instance,
            "UNHANDLED_ERROR_EVENT",
            f"Expected to throw an error event with the code '{code}' with message "
            f"'{message}', but it was not caught. No error events are available in the scope.",
            job_key=command.key,
        )


def update_retries(bpmn: Bpmn, command: Record) -> None:
    """JOB UPDATE_RETRIES."""
    job = _job(
        bpmn, command, "update retries of", ("ACTIVATABLE", "ACTIVATED", "FAILED", "ERROR_THROWN")
    )
    if job is None:
        return
    retries = command.value.get("retries")
    if not isinstance(retries, int) or retries < 1:
        bpmn.ctx.reject(
            command,
            Reject.INVALID_ARGUMENT,
            f"Expected job's retries to be greater than zero, but it was '{retries}'",
        )
        return
    value = dict(job.value)
    value["retries"] = retries
    bpmn.ctx.respond(
        command, bpmn.ctx.event(ValueType.JOB, Job.RETRIES_UPDATED, command.key, value)
    )


def update_timeout(bpmn: Bpmn, command: Record) -> None:
    """JOB UPDATE_TIMEOUT: a new deadline from now."""
    job = _job(bpmn, command, "update the timeout of", ("ACTIVATED",))
    if job is None:
        return
    timeout = int(command.value.get("timeout", 0))
    value = dict(job.value)
    value["deadline"] = bpmn.ctx.now + timeout
    value["timeout"] = timeout
    bpmn.ctx.respond(
        command, bpmn.ctx.event(ValueType.JOB, Job.TIMEOUT_UPDATED, command.key, value)
    )


def time_out_job(bpmn: Bpmn, command: Record) -> None:
    """JOB TIME_OUT (from the deadline checker): activatable again, retries unchanged."""
    job = bpmn.state.jobs.get(command.key)
    if job is None or job.state != "ACTIVATED" or job.value["deadline"] > bpmn.ctx.now:
        return
    bpmn.ctx.event(ValueType.JOB, Job.TIMED_OUT, command.key, dict(job.value))
    bpmn.ctx.job_available(job.value["type"])


def recur_job(bpmn: Bpmn, command: Record) -> None:
    """JOB RECUR_AFTER_BACKOFF (from the back-off checker)."""
    job = bpmn.state.jobs.get(command.key)
    if job is None or job.state != "FAILED" or job.value["retries"] <= 0:
        return
    bpmn.ctx.event(ValueType.JOB, Job.RECURRED_AFTER_BACKOFF, command.key, dict(job.value))
    bpmn.ctx.job_available(job.value["type"])


def activate_jobs(bpmn: Bpmn, command: Record) -> None:
    """JOB_BATCH ACTIVATE: hand up to ``maxJobsToActivate`` jobs of a type to a worker."""
    state = bpmn.state
    value = command.value
    job_type = value.get("type") or ""
    worker = value.get("worker") or ""
    timeout = int(value.get("timeout") or 0)
    maximum = int(value.get("maxJobsToActivate") or 0)
    if not job_type or maximum < 1 or timeout < 1:
        bpmn.ctx.reject(
            command,
            Reject.INVALID_ARGUMENT,
            "Expected a job type, a positive timeout and maxJobsToActivate of at least 1, but "
            f"got type '{job_type}', timeout {timeout}, maxJobsToActivate {maximum}",
        )
        return
    fetch = tuple(value.get("variables") or ()) or None
    keys: list[int] = []
    jobs: list[dict[str, Any]] = []
    deadline = bpmn.ctx.now + timeout
    for key in list(state.activatable.get(job_type, ()))[:maximum]:
        job = state.jobs[key]
        activated = dict(job.value)
        activated["worker"] = worker
        activated["deadline"] = deadline
        activated["timeout"] = timeout
        activated["variables"] = variables.visible(state, job.value["elementInstanceKey"], fetch)
        keys.append(key)
        jobs.append(activated)
    # The logged event leaves the variables out: replay does not need them and they can be
    # large (a multi-instance input collection); the worker gets them in the answer.
    logged = [{k: v for k, v in job.items() if k != "variables"} for job in jobs]
    batch_value = {
        "type": job_type,
        "worker": worker,
        "timeout": timeout,
        "maxJobsToActivate": maximum,
        "jobKeys": keys,
        "jobs": logged,
        "truncatedJobs": [],
        "tenantIds": list(value.get("tenantIds") or ["<default>"]),
    }
    batch = bpmn.ctx.event(ValueType.JOB_BATCH, JobBatch.ACTIVATED, bpmn.ctx.new_key(), batch_value)
    answer = Record(
        batch.key,
        batch.record_type,
        batch.value_type,
        batch.intent,
        {**batch_value, "jobs": jobs},
        batch.timestamp,
        batch.position,
    )
    bpmn.ctx.respond(command, answer)


# -- incidents and variables ------------------------------------------------------------------------
def resolve_incident(bpmn: Bpmn, command: Record) -> None:
    """INCIDENT RESOLVE: retry what failed."""
    state = bpmn.state
    incident = state.incidents.get(command.key)
    if incident is None:
        bpmn.ctx.reject(
            command,
            Reject.NOT_FOUND,
            f"Expected to resolve incident with key '{command.key}', but no such incident was "
            "found",
        )
        return
    job = state.jobs.get(incident.get("jobKey", -1))
    if job is not None and job.value["retries"] <= 0:
        bpmn.ctx.reject(
            command,
            Reject.INVALID_STATE,
            f"Expected to resolve incident with key '{command.key}', but job with key "
            f"'{job.key}' has no retries left. Update the job's retries first.",
        )
        return
    resolved = bpmn.ctx.event(ValueType.INCIDENT, Incident.RESOLVED, command.key, incident)
    bpmn.ctx.respond(command, resolved)
    if job is not None:
        bpmn.ctx.job_available(job.value["type"])
        return
    instance = state.elements.get(incident["elementInstanceKey"])
    if instance is None:
        return
    if instance.state == PI.ELEMENT_COMPLETING:
        bpmn.processor(instance).complete(bpmn, instance)
    elif instance.state in (PI.ELEMENT_ACTIVATING, PI.ELEMENT_ACTIVATED):
        bpmn.processor(instance).activate(bpmn, instance)


def update_variables(bpmn: Bpmn, command: Record) -> None:
    """VARIABLE_DOCUMENT UPDATE: set variables on a scope, locally or propagated."""
    value = command.value
    scope_key = value.get("scopeKey", command.key)
    if scope_key not in bpmn.state.elements:
        bpmn.ctx.reject(
            command,
            Reject.NOT_FOUND,
            f"Expected to update variables for element with key '{scope_key}', but no such "
            "element was found",
        )
        return
    values = _variables_of(bpmn, command)
    if values is None:
        return
    semantics = value.get("updateSemantics", "PROPAGATE")
    answer = {"scopeKey": scope_key, "updateSemantics": semantics, "variables": values}
    updated = bpmn.ctx.event(ValueType.VARIABLE_DOCUMENT, "UPDATED", bpmn.ctx.new_key(), answer)
    bpmn.ctx.respond(command, updated)
    if semantics == "LOCAL":
        variables.set_locals(bpmn.ctx, scope_key, values)
    else:
        variables.merge(bpmn.ctx, scope_key, values)


# -- user tasks -------------------------------------------------------------------------------------
def user_task_command(bpmn: Bpmn, command: Record) -> None:
    """USER_TASK ASSIGN / CLAIM / UPDATE / COMPLETE."""
    state = bpmn.state
    task = state.user_tasks.get(command.key)
    verb = command.intent.lower()
    if task is None:
        bpmn.ctx.reject(
            command,
            Reject.NOT_FOUND,
            f"Expected to {verb} user task with key '{command.key}', but no such user task "
            "was found",
        )
        return
    value = dict(task)
    value["action"] = command.value.get("action") or verb
    if command.intent == UserTask.CLAIM:
        assignee = command.value.get("assignee", "")
        if task.get("assignee") and task["assignee"] != assignee:
            bpmn.ctx.reject(
                command,
                Reject.INVALID_STATE,
                f"Expected to claim user task with key '{command.key}', but it has already "
                f"been assigned",
            )
            return
        value["assignee"] = assignee
        bpmn.ctx.event(ValueType.USER_TASK, UserTask.CLAIMING, command.key, value)
        bpmn.ctx.respond(
            command, bpmn.ctx.event(ValueType.USER_TASK, UserTask.ASSIGNED, command.key, value)
        )
    elif command.intent == UserTask.ASSIGN:
        value["assignee"] = command.value.get("assignee") or ""
        bpmn.ctx.event(ValueType.USER_TASK, UserTask.ASSIGNING, command.key, value)
        bpmn.ctx.respond(
            command, bpmn.ctx.event(ValueType.USER_TASK, UserTask.ASSIGNED, command.key, value)
        )
    elif command.intent == UserTask.UPDATE:
        changed = []
        for field in (
            "dueDate",
            "followUpDate",
            "candidateUsersList",
            "candidateGroupsList",
            "priority",
        ):
            if field in command.value and command.value[field] is not None:
                value[field] = command.value[field]
                changed.append(field)
        value["changedAttributes"] = changed
        bpmn.ctx.event(ValueType.USER_TASK, UserTask.UPDATING, command.key, value)
        bpmn.ctx.respond(
            command, bpmn.ctx.event(ValueType.USER_TASK, UserTask.UPDATED, command.key, value)
        )
    else:
        values = _variables_of(bpmn, command)
        if values is None:
            return
        value["variables"] = values
        bpmn.ctx.event(ValueType.USER_TASK, UserTask.COMPLETING, command.key, value)
        completed = bpmn.ctx.event(ValueType.USER_TASK, UserTask.COMPLETED, command.key, value)
        bpmn.ctx.respond(command, completed)
        instance = state.elements.get(task["elementInstanceKey"])
        if instance is not None:
            bpmn.complete(instance, values)
