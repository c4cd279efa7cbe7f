"""Event appliers: the only code that changes the state. One function per (value type, intent).

Replaying the events of the log through these functions onto an empty state gives the state the
processors left behind."""

from __future__ import annotations

from typing import Any

from cadenza.kernel._appliers_events import (
    _message_expired,
    _message_published,
    _signal_subscription_created,
    _signal_subscription_deleted,
    _start_correlated,
    _subscription_correlated,
    _subscription_created,
    _subscription_deleted,
    _timer_created,
    _timer_removed,
)
from cadenza.kernel._context import Applier
from cadenza.kernel._deploy_appliers import DEPLOYMENT_APPLIERS
from cadenza.kernel._intents import (
    PI,
    Incident,
    Job,
    Message,
    MultiInstance,
    ProcessEvent,
    Subscription,
    Timer,
    UserTask,
    Variable,
)
from cadenza.kernel._records import NOT_DECODED, Record, ValueType
from cadenza.kernel._state import (
    ElementInstance,
    EventTrigger,
    State,
)
from cadenza.kernel._state import Job as JobState
from cadenza.kernel._variables import decode
from cadenza.model import ElementKind

_JOINING = (ElementKind.PARALLEL_GATEWAY, ElementKind.INCLUSIVE_GATEWAY)


# -- process instance -----------------------------------------------------------------------------
def _activating(state: State, record: Record) -> None:
    value = record.value
    process = state.processes[value["processDefinitionKey"]]
    element = process.model.elements[value["elementId"]]
    parent_key = value["flowScopeKey"]
    instance = ElementInstance(
        record.key, element, process, value, PI.ELEMENT_ACTIVATING, parent_key
    )
    state.elements[record.key] = instance
    state.observe_key(record.key)
    if parent_key == -1:
        parent_element_key = value.get("parentElementInstanceKey", -1)
        caller = state.elements.get(parent_element_key)
        if caller is not None:
            caller.called_child_key = record.key
        return
    state.children.setdefault(parent_key, {})[record.key] = None
    parent = state.elements[parent_key]
    if parent.element is element:
        # an inner instance of a multi-instance body: not reached over a flow
        parent.mi_next += 1
        instance.loop_counter = parent.mi_next
        return
    if element.kind in _JOINING and len(element.incoming) > 1:
        joins = parent.taken_joins.get(element.id, {})
        for flow_id in list(joins):
            parent.active_flows -= 1
            if joins[flow_id] <= 1:
                del joins[flow_id]
            else:
                joins[flow_id] -= 1
        if not joins:
            parent.taken_joins.pop(element.id, None)
    elif element.incoming and parent.active_flows > 0:
        # started by a start instruction rather than over a flow: no token to consume
        parent.active_flows -= 1


def _set_state(state: State, record: Record) -> None:
    instance = state.elements.get(record.key)
    if instance is not None:
        instance.state = record.intent


def _terminating(state: State, record: Record) -> None:
    instance = state.elements.get(record.key)
    if instance is not None:
        instance.state = record.intent
        instance.active_flows = 0
        instance.taken_joins.clear()


def _ended(state: State, record: Record) -> None:
    instance = state.elements.pop(record.key, None)
    if instance is None:
        return
    instance.state = record.intent
    siblings = state.children.get(instance.parent_key)
    if siblings is not None:
        siblings.pop(record.key, None)
        if not siblings:
            del state.children[instance.parent_key]
    state.children.pop(record.key, None)
    parent = state.elements.get(instance.parent_key)
    if parent is not None and parent.element is instance.element:
        if record.intent == PI.ELEMENT_COMPLETED:
            parent.mi_completed += 1
        else:
            parent.mi_terminated += 1
    state.variables.pop(record.key, None)
    state.variable_keys.pop(record.key, None)
    state.event_triggers.pop(record.key, None)
    state.mi_inputs.pop(record.key, None)
    state.mi_outputs.pop(record.key, None)
    if instance.parent_key == -1:
        correlation = state.instance_correlation_keys.pop(record.key, None)
        if correlation is not None:
            state.message_start_instances.pop(correlation, None)
    caller = state.elements.get(record.value.get("parentElementInstanceKey", -1))
    if caller is not None and caller.called_child_key == record.key:
        caller.called_child_key = -1


def _flow_taken(state: State, record: Record) -> None:
    state.observe_key(record.key)
    scope = state.elements.get(record.value["flowScopeKey"])
    if scope is None:
        return
    scope.active_flows += 1
    flow = scope.process.model.flows[record.value["elementId"]]
    target = scope.process.model.elements[flow.target]
    if target.kind in _JOINING and len(target.incoming) > 1:
        joins = scope.taken_joins.setdefault(target.id, {})
        joins[flow.id] = joins.get(flow.id, 0) + 1


# -- variables --------------------------------------------------------------------------------------
def _variable(state: State, record: Record) -> None:
    value = record.value
    scope = value["scopeKey"]
    decoded = record.decoded
    if decoded is NOT_DECODED:
        decoded = decode(value["value"])
    state.variables.setdefault(scope, {})[value["name"]] = decoded
    state.variable_keys.setdefault(scope, {})[value["name"]] = record.key
    state.observe_key(record.key)


# -- multi-instance ---------------------------------------------------------------------------------
def _input_collection(state: State, record: Record) -> None:
    items = record.value["inputCollection"]
    state.mi_inputs[record.key] = items
    name = record.value.get("outputCollection")
    if name:
        scope = state.variables.setdefault(record.key, {})
        outputs = scope.get(name)
        if not isinstance(outputs, list) or len(outputs) != len(items):
            outputs = [None] * len(items)
            scope[name] = outputs
            state.variable_keys.setdefault(record.key, {})[name] = record.key
        state.mi_outputs[record.key] = outputs


def _output_collected(state: State, record: Record) -> None:
    outputs = state.mi_outputs.get(record.key)
    if outputs is not None:
        outputs[record.value["index"]] = decode(record.value["value"])


# -- event triggers ---------------------------------------------------------------------------------
def _triggering(state: State, record: Record) -> None:
    value = record.value
    state.event_triggers.setdefault(value["scopeKey"], []).append(
        EventTrigger(record.key, value["elementId"], value.get("variables") or {})
    )
    interrupted = state.elements.get(value.get("interruptedKey", -1))
    if interrupted is not None:
        interrupted.interrupting_event = value["elementId"]
        interrupted.active_flows = 0
        interrupted.taken_joins.clear()
    state.observe_key(record.key)


def _triggered(state: State, record: Record) -> None:
    triggers = state.event_triggers.get(record.value["scopeKey"])
    if triggers:
        triggers[:] = [t for t in triggers if t.key != record.key]
        if not triggers:
            del state.event_triggers[record.value["scopeKey"]]
    interrupted = state.elements.get(record.value.get("interruptedKey", -1))
    if interrupted is not None and interrupted.interrupting_event == record.value["elementId"]:
        interrupted.interrupting_event = None


# -- jobs -------------------------------------------------------------------------------------------
def _make_activatable(state: State, job: JobState) -> None:
    job.state = "ACTIVATABLE"
    state.activatable.setdefault(job.value["type"], {})[job.key] = None


def _not_activatable(state: State, job: JobState) -> None:
    queue = state.activatable.get(job.value["type"])
    if queue is not None:
        queue.pop(job.key, None)
        if not queue:
            del state.activatable[job.value["type"]]


def _job_created(state: State, record: Record) -> None:
    job = JobState(record.key, dict(record.value), "ACTIVATABLE")
    state.jobs[record.key] = job
    _make_activatable(state, job)
    instance = state.elements.get(record.value["elementInstanceKey"])
    if instance is not None:
        instance.job_key = record.key
    state.observe_key(record.key)


def _job_removed(state: State, record: Record) -> None:
    job = state.jobs.pop(record.key, None)
    if job is None:
        return
    _not_activatable(state, job)
    instance = state.elements.get(job.value["elementInstanceKey"])
    if instance is not None and instance.job_key == record.key:
        instance.job_key = -1


def _job_batch_activated(state: State, record: Record) -> None:
    for key, activated in zip(record.value["jobKeys"], record.value["jobs"], strict=True):
        job = state.jobs.get(key)
        if job is None:
            continue
        _not_activatable(state, job)
        job.state = "ACTIVATED"
        job.value["worker"] = activated["worker"]
        job.value["deadline"] = activated["deadline"]
        state.job_deadlines.add(activated["deadline"], key)
    state.observe_key(record.key)


def _job_failed(state: State, record: Record) -> None:
    job = state.jobs.get(record.key)
    if job is None:
        return
    _not_activatable(state, job)
    job.value["retries"] = record.value["retries"]
    job.value["errorMessage"] = record.value.get("errorMessage", "")
    job.value["deadline"] = -1
    backoff = record.value.get("retryBackoff", 0)
    if job.value["retries"] > 0 and backoff > 0:
        job.state = "FAILED"
        job.value["recurringTime"] = record.timestamp + backoff
        state.job_backoffs.add(record.timestamp + backoff, record.key)
    elif job.value["retries"] > 0:
        _make_activatable(state, job)
    else:
        job.state = "FAILED"


def _job_back(state: State, record: Record) -> None:
    job = state.jobs.get(record.key)
    if job is not None:
        job.value["deadline"] = -1
        job.value["recurringTime"] = -1
        _make_activatable(state, job)


def _job_retries(state: State, record: Record) -> None:
    job = state.jobs.get(record.key)
    if job is not None:
        job.value["retries"] = record.value["retries"]


def _job_timeout(state: State, record: Record) -> None:
    job = state.jobs.get(record.key)
    if job is not None:
        job.value["deadline"] = record.value["deadline"]
        state.job_deadlines.add(record.value["deadline"], record.key)


def _job_error(state: State, record: Record) -> None:
    job = state.jobs.get(record.key)
    if job is not None:
        _not_activatable(state, job)
        job.state = "ERROR_THROWN"
        job.value["errorCode"] = record.value.get("errorCode", "")
        job.value["errorMessage"] = record.value.get("errorMessage", "")


# -- incidents --------------------------------------------------------------------------------------
def _incident_created(state: State, record: Record) -> None:
    state.incidents[record.key] = record.value
    job_key = record.value.get("jobKey", -1)
    if job_key > 0:
        state.incident_by_job[job_key] = record.key
    else:
        state.incident_by_element[record.value["elementInstanceKey"]] = record.key
    state.observe_key(record.key)


def _incident_resolved(state: State, record: Record) -> None:
    incident = state.incidents.pop(record.key, None)
    if incident is None:
        return
    job = state.jobs.get(incident.get("jobKey", -1))
    if job is not None and job.state in ("FAILED", "ERROR_THROWN") and job.value["retries"] > 0:
        job.value["deadline"] = -1
        _make_activatable(state, job)
    if state.incident_by_job.get(incident.get("jobKey", -1)) == record.key:
        del state.incident_by_job[incident["jobKey"]]
    if state.incident_by_element.get(incident["elementInstanceKey"]) == record.key:
        del state.incident_by_element[incident["elementInstanceKey"]]


# -- user tasks and creation ------------------------------------------------------------------------
def _user_task_created(state: State, record: Record) -> None:
    state.user_tasks[record.key] = dict(record.value)
    instance = state.elements.get(record.value["elementInstanceKey"])
    if instance is not None:
        instance.user_task_key = record.key
    state.observe_key(record.key)


def _user_task_changed(state: State, record: Record) -> None:
    task = state.user_tasks.get(record.key)
    if task is not None:
        task.update({k: v for k, v in record.value.items() if k != "variables"})


def _user_task_ended(state: State, record: Record) -> None:
    task = state.user_tasks.pop(record.key, None)
    if task is not None:
        instance = state.elements.get(task["elementInstanceKey"])
        if instance is not None and instance.user_task_key == record.key:
            instance.user_task_key = -1


def _observe(state: State, record: Record) -> None:
    state.observe_key(record.key)


APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.PROCESS_INSTANCE, PI.ELEMENT_ACTIVATING): _activating,
    (ValueType.PROCESS_INSTANCE, PI.ELEMENT_ACTIVATED): _set_state,
    (ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETING): _set_state,
    (ValueType.PROCESS_INSTANCE, PI.ELEMENT_TERMINATING): _terminating,
    (ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETED): _ended,
    (ValueType.PROCESS_INSTANCE, PI.ELEMENT_TERMINATED): _ended,
    (ValueType.PROCESS_INSTANCE, PI.SEQUENCE_FLOW_TAKEN): _flow_taken,
    (ValueType.VARIABLE, Variable.CREATED): _variable,
    (ValueType.VARIABLE, Variable.UPDATED): _variable,
    (ValueType.MULTI_INSTANCE, MultiInstance.INPUT_COLLECTION_EVALUATED): _input_collection,
    (ValueType.MULTI_INSTANCE, MultiInstance.OUTPUT_COLLECTED): _output_collected,
    (ValueType.PROCESS_EVENT, ProcessEvent.TRIGGERING): _triggering,
    (ValueType.PROCESS_EVENT, ProcessEvent.TRIGGERED): _triggered,
    (ValueType.JOB, Job.CREATED): _job_created,
    (ValueType.JOB, Job.COMPLETED): _job_removed,
    (ValueType.JOB, Job.CANCELED): _job_removed,
    (ValueType.JOB, Job.FAILED): _job_failed,
    (ValueType.JOB, Job.TIMED_OUT): _job_back,
    (ValueType.JOB, Job.RECURRED_AFTER_BACKOFF): _job_back,
    (ValueType.JOB, Job.RETRIES_UPDATED): _job_retries,
    (ValueType.JOB, Job.TIMEOUT_UPDATED): _job_timeout,
    (ValueType.JOB, Job.ERROR_THROWN): _job_error,
    (ValueType.JOB_BATCH, "ACTIVATED"): _job_batch_activated,
    (ValueType.INCIDENT, Incident.CREATED): _incident_created,
    (ValueType.INCIDENT, Incident.RESOLVED): _incident_resolved,
    (ValueType.TIMER, Timer.CREATED): _timer_created,
    (ValueType.TIMER, Timer.TRIGGERED): _timer_removed,
    (ValueType.TIMER, Timer.CANCELED): _timer_removed,
    (ValueType.MESSAGE, Message.PUBLISHED): _message_published,
    (ValueType.MESSAGE, Message.EXPIRED): _message_expired,
    (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, Subscription.CREATED): _subscription_created,
    (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, Subscription.CORRELATED): _subscription_correlated,
    (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, Subscription.DELETED): _subscription_deleted,
    (ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, Subscription.CORRELATED): _start_correlated,
    (ValueType.SIGNAL_SUBSCRIPTION, Subscription.CREATED): _signal_subscription_created,
    (ValueType.SIGNAL_SUBSCRIPTION, Subscription.DELETED): _signal_subscription_deleted,
    (ValueType.SIGNAL, "BROADCASTED"): _observe,
    (ValueType.USER_TASK, UserTask.CREATED): _user_task_created,
    (ValueType.USER_TASK, UserTask.ASSIGNED): _user_task_changed,
    (ValueType.USER_TASK, UserTask.UPDATED): _user_task_changed,
    (ValueType.USER_TASK, UserTask.COMPLETED): _user_task_ended,
    (ValueType.USER_TASK, UserTask.CANCELED): _user_task_ended,
    **DEPLOYMENT_APPLIERS,
}


def replay(state: State, records: Any) -> None:
    """Apply the events among ``records`` to ``state`` (recovery, and the replay invariant)."""
    for record in records:
        state.last_position = max(state.last_position, record.position)
        if not record.is_event:
            continue
        applier = APPLIERS.get((record.value_type, record.intent))
        if applier is not None:
            applier(state, record)
        else:
            state.observe_key(record.key)
