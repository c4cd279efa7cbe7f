"""Appliers for deployed resources: process, decision requirements, decision and form versions."""

from __future__ import annotations

from typing import Any

from cadenza.kernel._context import Applier
from cadenza.kernel._records import Record, ValueType
from cadenza.kernel._state import (
    DeployedDecision,
    DeployedDrg,
    DeployedForm,
    DeployedProcess,
    State,
)
from cadenza.model import ElementKind, EventType, Process


def parse_bpmn(state: State, resource: str, resource_name: str, checksum: str) -> Any:
    """The transformed BPMN resource, from the cache when this content was parsed already."""
    from cadenza import model

    cached = state.model_cache.get(checksum)
    if cached is None:
        cached = model.transform(resource.encode("utf-8"), resource_name)
        state.model_cache[checksum] = cached
    return cached


def parse_dmn(state: State, resource: str, resource_name: str, checksum: str) -> Any:
    """The parsed DMN resource, from the cache when this content was parsed already."""
    from cadenza import dmn

    cached = state.model_cache.get(checksum)
    if cached is None:
        cached = dmn.parse(resource, resource_name=resource_name)
        state.model_cache[checksum] = cached
    return cached


def message_start_names(process: Process) -> dict[str, str]:
    """Static message names of the process's message start events -> start event id."""
    names: dict[str, str] = {}
    for element_id in process.root.start_events:
        element = process.elements[element_id]
        message = element.message
        if element.event_type is EventType.MESSAGE and message and message.name.feel is None:
            names[message.name.source] = element_id
    return names


def _process_created(state: State, record: Record) -> None:
    value = record.value
    transformed = parse_bpmn(state, value["resource"], value["resourceName"], value["checksum"])
    model = next(p for p in transformed.processes if p.id == value["bpmnProcessId"])
    deployed = DeployedProcess(
        record.key,
        value["bpmnProcessId"],
        value["version"],
        value["resourceName"],
        value["checksum"],
        value["resource"],
        model,
        value.get("deploymentKey", -1),
        value.get("versionTag") or None,
        value.get("tenantId", "<default>"),
    )
    state.processes[record.key] = deployed
    versions = state.process_versions.setdefault(deployed.bpmn_process_id, [])
    for older in versions:
        for registrations in state.message_start_events.values():
            registrations.pop(older, None)
    versions.append(record.key)
    counter = state.process_version_counter
    counter[deployed.bpmn_process_id] = max(
        counter.get(deployed.bpmn_process_id, 0), deployed.version
    )
    for name, element_id in message_start_names(model).items():
        state.message_start_events.setdefault(name, {})[record.key] = element_id
    state.observe_key(record.key)


def _drg_created(state: State, record: Record) -> None:
    value = record.value
    parsed = parse_dmn(state, value["resource"], value["resourceName"], value["checksum"])
    drg = DeployedDrg(
        record.key,
        value["decisionRequirementsId"],
        value["decisionRequirementsName"],
        value["decisionRequirementsVersion"],
        value["resourceName"],
        value["checksum"],
        value["resource"],
        value.get("namespace", ""),
        parsed,
    )
    state.drgs[record.key] = drg
    state.drg_versions.setdefault(drg.drg_id, []).append(record.key)
    state.observe_key(record.key)


def _decision_created(state: State, record: Record) -> None:
    value = record.value
    decision = DeployedDecision(
        record.key,
        value["decisionId"],
        value["decisionName"],
        value["version"],
        value["decisionRequirementsKey"],
        value["decisionRequirementsId"],
    )
    state.decisions[record.key] = decision
    state.decision_versions.setdefault(decision.decision_id, []).append(record.key)
    drg = state.drgs.get(decision.drg_key)
    if drg is not None:
        drg.decision_keys.append(record.key)
    state.observe_key(record.key)


def _form_created(state: State, record: Record) -> None:
    value = record.value
    form = DeployedForm(
        record.key,
        value["formId"],
        value["version"],
        value["resourceName"],
        value["checksum"],
        value["resource"],
    )
    state.forms[record.key] = form
    state.form_versions.setdefault(form.form_id, []).append(record.key)
    state.observe_key(record.key)


def _resource_deleted(state: State, record: Record) -> None:
    key = record.value["resourceKey"]
    process = state.processes.pop(key, None)
    if process is not None:
        versions = state.process_versions.get(process.bpmn_process_id, [])
        if key in versions:
            versions.remove(key)
        for registrations in state.message_start_events.values():
            registrations.pop(key, None)
        if versions:
            latest = state.processes[versions[-1]]
            for name, element_id in message_start_names(latest.model).items():
                state.message_start_events.setdefault(name, {})[latest.key] = element_id
        else:
            state.process_versions.pop(process.bpmn_process_id, None)
    drg = state.drgs.pop(key, None)
    if drg is not None:
        for decision_key in drg.decision_keys:
            decision = state.decisions.pop(decision_key, None)
            if decision is not None:
                state.decision_versions.get(decision.decision_id, []).remove(decision_key)
        state.drg_versions.get(drg.drg_id, []).remove(key)
    form = state.forms.pop(key, None)
    if form is not None:
        state.form_versions.get(form.form_id, []).remove(key)


def _observe(state: State, record: Record) -> None:
    state.observe_key(record.key)


def has_start_kind(process: Process, event_type: EventType) -> list[str]:
    """Ids of the process's top-level start events of ``event_type``."""
    return [
        element_id
        for element_id in process.root.start_events
        if process.elements[element_id].event_type is event_type
        and process.elements[element_id].kind is ElementKind.START_EVENT
    ]


DEPLOYMENT_APPLIERS: dict[tuple[ValueType, str], Applier] = {
    (ValueType.PROCESS, "CREATED"): _process_created,
    (ValueType.DECISION_REQUIREMENTS, "CREATED"): _drg_created,
    (ValueType.DECISION, "CREATED"): _decision_created,
    (ValueType.FORM, "CREATED"): _form_created,
    (ValueType.DEPLOYMENT, "CREATED"): _observe,
    (ValueType.RESOURCE_DELETION, "DELETED"): _resource_deleted,
}
