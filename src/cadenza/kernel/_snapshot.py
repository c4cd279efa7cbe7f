"""Snapshots: the state as plain JSON-like data, and back.

Indexes (children, due-date heaps, name lookups) are not stored: they are rebuilt from the
objects they index. Deployed models are re-parsed from their resources."""

from __future__ import annotations

from typing import Any

from cadenza.kernel._deploy_appliers import message_start_names, parse_bpmn, parse_dmn
from cadenza.kernel._state import (
    BufferedMessage,
    DeployedDecision,
    DeployedDrg,
    DeployedForm,
    DeployedProcess,
    ElementInstance,
    EventTrigger,
    Job,
    MessageSubscription,
    SignalSubscription,
    State,
    Timer,
)

FORMAT_VERSION = 1

_ELEMENT_FIELDS = (
    "state",
    "parent_key",
    "active_flows",
    "job_key",
    "user_task_key",
    "called_child_key",
    "loop_counter",
    "mi_next",
    "mi_completed",
    "mi_terminated",
    "interrupting_event",
    "taken_joins",
)


def _int_keys(data: dict[str, Any]) -> dict[int, Any]:
    return {int(k): v for k, v in data.items()}


def to_snapshot(state: State) -> dict[str, Any]:
    """The state as JSON-like data (the caller encodes it)."""
    return {
        "format": FORMAT_VERSION,
        "partition": state.partition_id,
        "lastKey": state.last_key,
        "lastPosition": state.last_position,
        "processVersionCounter": state.process_version_counter,
        "processes": [
            [
                p.key,
                p.bpmn_process_id,
                p.version,
                p.resource_name,
                p.checksum,
                p.resource,
                p.deployment_key,
                p.version_tag,
                p.tenant_id,
            ]
            for p in state.processes.values()
        ],
        "drgs": [
            [
                d.key,
                d.drg_id,
                d.name,
                d.version,
                d.resource_name,
                d.checksum,
                d.resource,
                d.namespace,
                d.decision_keys,
            ]
            for d in state.drgs.values()
        ],
        "decisions": [
            [d.key, d.decision_id, d.decision_name, d.version, d.drg_key, d.drg_id]
            for d in state.decisions.values()
        ],
        "forms": [
            [f.key, f.form_id, f.version, f.resource_name, f.checksum, f.resource]
            for f in state.forms.values()
        ],
        "elements": [
            [e.key, e.process.key, e.value, [getattr(e, name) for name in _ELEMENT_FIELDS]]
            for e in state.elements.values()
        ],
        "children": {str(k): list(v) for k, v in state.children.items()},
        "variables": {str(k): v for k, v in state.variables.items()},
        "variableKeys": {str(k): v for k, v in state.variable_keys.items()},
        "triggers": {
            str(k): [[t.key, t.element_id, t.variables] for t in v]
            for k, v in state.event_triggers.items()
        },
        "miInputs": {str(k): v for k, v in state.mi_inputs.items()},
        "miOutputs": sorted(state.mi_outputs),
        "jobs": [[j.key, j.state, j.value] for j in state.jobs.values()],
        "activatable": {t: list(keys) for t, keys in state.activatable.items()},
        "timers": [[t.key, t.value] for t in state.timers.values()],
        "messages": [
            [m.key, m.value, m.deadline, sorted(m.correlated_processes)]
            for m in state.messages.values()
        ],
        "subscriptions": [[s.key, s.value] for s in state.subscriptions.values()],
        "messageStartInstances": [
            [pid, ck, key] for (pid, ck), key in state.message_start_instances.items()
        ],
        "signalSubscriptions": [[s.key, s.value] for s in state.signal_subscriptions.values()],
        "incidents": [[k, v] for k, v in state.incidents.items()],
        "userTasks": [[k, v] for k, v in state.user_tasks.items()],
    }


def from_snapshot(data: dict[str, Any]) -> State:
    """Rebuild a state from ``to_snapshot`` data."""
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"unsupported snapshot format {data.get('format')!r}")
    state = State(data["partition"])
    state.last_key = data["lastKey"]
    state.last_position = data["lastPosition"]
    _deployments(state, data)
    for key, process_key, value, fields in data["elements"]:
        process = state.processes[process_key]
        instance = ElementInstance(
            key, process.model.elements[value["elementId"]], process, value, "", -1
        )
        for name, field_value in zip(_ELEMENT_FIELDS, fields, strict=True):
            setattr(instance, name, field_value)
        state.elements[key] = instance
    state.children = {int(k): dict.fromkeys(v) for k, v in data["children"].items()}
    state.variables = _int_keys(data["variables"])
    state.variable_keys = _int_keys(data["variableKeys"])
    state.event_triggers = {
        int(k): [EventTrigger(t[0], t[1], t[2]) for t in v] for k, v in data["triggers"].items()
    }
    state.mi_inputs = _int_keys(data["miInputs"])
    for body_key in data["miOutputs"]:
        loop = state.elements[body_key].element.multi_instance
        output_name = loop.output_collection if loop is not None else None
        if output_name:
            state.mi_outputs[body_key] = state.variables[body_key][output_name]
    _jobs_and_events(state, data)
    return state


def _deployments(state: State, data: dict[str, Any]) -> None:
    for key, pid, version, name, checksum, resource, deployment, tag, tenant in data["processes"]:
        transformed = parse_bpmn(state, resource, name, checksum)
        model = next(p for p in transformed.processes if p.id == pid)
        state.processes[key] = DeployedProcess(
            key, pid, version, name, checksum, resource, model, deployment, tag, tenant
        )
    for pid, keys in _versions(state.processes.values(), "bpmn_process_id").items():
        state.process_versions[pid] = keys
        latest = state.processes[keys[-1]]
        for message_name, element_id in message_start_names(latest.model).items():
            state.message_start_events.setdefault(message_name, {})[latest.key] = element_id
    counter = state.process_version_counter
    counter.update(data.get("processVersionCounter") or {})
    for process in state.processes.values():
        pid = process.bpmn_process_id
        counter[pid] = max(counter.get(pid, 0), process.version)
    for key, drg_id, name, version, rname, checksum, resource, ns, decisions in data["drgs"]:
        model = parse_dmn(state, resource, rname, checksum)
        state.drgs[key] = DeployedDrg(
            key, drg_id, name, version, rname, checksum, resource, ns, model, list(decisions)
        )
    state.drg_versions = _versions(state.drgs.values(), "drg_id")
    for key, decision_id, name, version, drg_key, drg_id in data["decisions"]:
        state.decisions[key] = DeployedDecision(key, decision_id, name, version, drg_key, drg_id)
    state.decision_versions = _versions(state.decisions.values(), "decision_id")
    for key, form_id, version, name, checksum, resource in data["forms"]:
        state.forms[key] = DeployedForm(key, form_id, version, name, checksum, resource)
    state.form_versions = _versions(state.forms.values(), "form_id")


def _versions(items: Any, id_field: str) -> dict[str, list[int]]:
    versions: dict[str, list[tuple[int, int]]] = {}
    for item in items:
        versions.setdefault(getattr(item, id_field), []).append((item.version, item.key))
    return {k: [key for _, key in sorted(v)] for k, v in versions.items()}


def _jobs_and_events(state: State, data: dict[str, Any]) -> None:
    for key, job_state, value in data["jobs"]:
        state.jobs[key] = Job(key, value, job_state)
        if job_state == "ACTIVATED":
            state.job_deadlines.add(value["deadline"], key)
        elif job_state == "FAILED" and value.get("recurringTime", -1) > 0:
            state.job_backoffs.add(value["recurringTime"], key)
    state.activatable = {t: dict.fromkeys(keys) for t, keys in data["activatable"].items()}
    for key, value in data["timers"]:
        state.timers[key] = Timer(key, value)
        state.timers_by_element.setdefault(value["elementInstanceKey"], []).append(key)
        state.timer_due.add(value["dueDate"], key)
    for key, value, deadline, correlated in data["messages"]:
        state.messages[key] = BufferedMessage(key, value, deadline, set(correlated))
        state.messages_by_name.setdefault((value["name"], value["correlationKey"]), {})[key] = None
        if value.get("messageId"):
            state.message_ids[(value["name"], value["correlationKey"], value["messageId"])] = key
        state.message_deadlines.add(deadline, key)
    for key, value in data["subscriptions"]:
        state.subscriptions[key] = MessageSubscription(key, value)
        name_key = (value["messageName"], value["correlationKey"])
        state.subscriptions_by_name.setdefault(name_key, {})[key] = None
        state.subscriptions_by_element.setdefault(value["elementInstanceKey"], []).append(key)
    for pid, correlation_key, key in data["messageStartInstances"]:
        state.message_start_instances[(pid, correlation_key)] = key
        state.instance_correlation_keys[key] = (pid, correlation_key)
    for key, value in data["signalSubscriptions"]:
        state.signal_subscriptions[key] = SignalSubscription(key, value)
        state.signal_by_name.setdefault(value["signalName"], {})[key] = None
        owner = value.get("catchElementInstanceKey", -1)
        if owner != -1:
            state.signal_by_element.setdefault(owner, []).append(key)
    for key, value in data["incidents"]:
        state.incidents[key] = value
        if value.get("jobKey", -1) > 0:
            state.incident_by_job[value["jobKey"]] = key
        else:
            state.incident_by_element[value["elementInstanceKey"]] = key
    for key, value in data["userTasks"]:
        state.user_tasks[key] = value
