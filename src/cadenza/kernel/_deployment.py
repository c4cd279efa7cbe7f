"""Deploying resources (BPMN, DMN, forms), evaluating decisions, deleting resources."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cadenza.kernel._decisions import evaluate_decision
from cadenza.kernel._deploy_appliers import has_start_kind, parse_bpmn, parse_dmn
from cadenza.kernel._flow import Bpmn
from cadenza.kernel._intents import Subscription, Timer
from cadenza.kernel._records import Record, RejectionType, ValueType
from cadenza.kernel._state import DeployedProcess
from cadenza.model import EventType

_BPMN = (".bpmn", ".xml", ".bpmn20.xml")


def _text(resource: Any) -> str | None:
    if isinstance(resource, bytes | bytearray):
        try:
            return bytes(resource).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return resource if isinstance(resource, str) else None


def _checksum(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def deploy(bpmn: Bpmn, command: Record) -> None:
    """DEPLOYMENT CREATE: validate everything first; then one new version per changed item."""
    state = bpmn.state
    resources = command.value.get("resources") or []
    if not resources:
        bpmn.ctx.reject(
            command,
            RejectionType.INVALID_ARGUMENT,
            "Expected to deploy at least one resource, but none given",
        )
        return
    problems: list[str] = []
    parsed: list[tuple[str, str, str, str, Any]] = []  # kind, name, text, checksum, model
    process_ids: dict[str, str] = {}
    logged: list[dict[str, str]] = []  # the command as logged: resources as text, never bytes
    command.value["resources"] = logged
    for resource in resources:
        name = str(resource.get("resourceName") or "")
        text = _text(resource.get("resource"))
        logged.append({"resourceName": name, "resource": text or ""})
        if text is None:
            problems.append(f"'{name}': the resource is not UTF-8 text")
            continue
        checksum = _checksum(text)
        lower = name.lower()
        if lower.endswith(_BPMN):
            transformed = parse_bpmn(state, text, name, checksum)
            if transformed.problems:
                problems.append(f"'{name}':\n" + "\n".join(f"- {p}" for p in transformed.problems))
                state.model_cache.pop(checksum, None)
                continue
            for process in transformed.processes:
                if process.id in process_ids:
                    problems.append(
                        f"Expected the process ids to be unique within a deployment but found a "
                        f"duplicated id '{process.id}' in the resources '{process_ids[process.id]}' "
                        f"and '{name}'."
                    )
                process_ids[process.id] = name
            parsed.append(("bpmn", name, text, checksum, transformed))
        elif lower.endswith(".dmn"):
            try:
                model = parse_dmn(state, text, name, checksum)
            except Exception as error:  # the DMN parser reports problems as DmnError
                problems.append(f"'{name}': {error}")
                continue
            parsed.append(("dmn", name, text, checksum, model))
        elif lower.endswith(".form"):
            try:
                form = json.loads(text)
                form_id = form["id"]
            except (ValueError, KeyError, TypeError):
                problems.append(
                    f"'{name}': Expected the form to be JSON with an 'id', but it is not"
                )
                continue
            parsed.append(("form", name, text, checksum, str(form_id)))
        else:
            problems.append(
                f"Expected to deploy resource '{name}' with a supported file extension "
                "(.bpmn, .xml, .dmn, .form), but it has none of them"
            )
    if problems:
        bpmn.ctx.reject(
            command,
            RejectionType.INVALID_ARGUMENT,
            "Expected to deploy new resources, but encountered the following errors:\n"
            + "\n".join(problems),
        )
        return
    deployment_key = bpmn.ctx.new_key()
    metadata: dict[str, list[dict[str, Any]]] = {
        "processesMetadata": [],
        "decisionsMetadata": [],
        "decisionRequirementsMetadata": [],
        "formMetadata": [],
    }
    for kind, name, text, checksum, model in parsed:
        if kind == "bpmn":
            for process in model.processes:
                metadata["processesMetadata"].append(
                    _deploy_process(bpmn, deployment_key, process.id, name, text, checksum, process)
                )
        elif kind == "dmn":
            _deploy_dmn(bpmn, name, text, checksum, model, metadata)
        else:
            metadata["formMetadata"].append(_deploy_form(bpmn, name, text, checksum, model))
    value = {
        "resources": [{"resourceName": name, "resource": text} for _, name, text, _, _ in parsed],
        **metadata,
        "tenantId": command.value.get("tenantId", "<default>"),
    }
    created = bpmn.ctx.event(ValueType.DEPLOYMENT, "CREATED", deployment_key, value)
    bpmn.ctx.respond(command, created)


def _deploy_process(
    bpmn: Bpmn,
    deployment_key: int,
    process_id: str,
    name: str,
    text: str,
    checksum: str,
    model: Any,
) -> dict[str, Any]:
    state = bpmn.state
    latest = state.latest_process(process_id)
    if latest is not None and latest.checksum == checksum:
        return {
            "bpmnProcessId": process_id,
            "version": latest.version,
            "processDefinitionKey": latest.key,
            "resourceName": latest.resource_name,
            "checksum": checksum,
            "isDuplicate": True,
            "tenantId": latest.tenant_id,
        }
    key = bpmn.ctx.new_key()
    # deleted versions are never reused (docs.camunda.io, "Resource deletion")
    highest = max(latest.version if latest else 0, state.process_version_counter.get(process_id, 0))
    version = highest + 1
    value = {
        "bpmnProcessId": process_id,
        "version": version,
        "processDefinitionKey": key,
        "resourceName": name,
        "checksum": checksum,
        "resource": text,
        "versionTag": model.version_tag or "",
        "deploymentKey": deployment_key,
        "tenantId": "<default>",
    }
    bpmn.ctx.event(ValueType.PROCESS, "CREATED", key, value)
    _replace_start_events(bpmn, latest, state.processes[key])
    return {k: v for k, v in value.items() if k != "resource"} | {"isDuplicate": False}


def _replace_start_events(
    bpmn: Bpmn, older: DeployedProcess | None, newer: DeployedProcess
) -> None:
    """Timer and signal start events belong to the latest version only."""
    state = bpmn.state
    ctx = bpmn.ctx
    if older is not None:
        for key in list(state.timers_by_element.get(-1, ())):
            timer = state.timers[key]
            if timer.value["processDefinitionKey"] == older.key:
                ctx.event(ValueType.TIMER, Timer.CANCELED, key, timer.value)
        for key in list(state.signal_subscriptions):
            sub = state.signal_subscriptions[key].value
            if (
                sub.get("catchElementInstanceKey", -1) == -1
                and sub["processDefinitionKey"] == older.key
            ):
                ctx.event(ValueType.SIGNAL_SUBSCRIPTION, Subscription.DELETED, key, sub)
    model = newer.model
    for start_id in has_start_kind(model, EventType.TIMER):
        start = model.elements[start_id]
        if start.timer is None:
            continue
        due = bpmn.events.timer_due(bpmn, start.timer, -1)
        if not isinstance(due, tuple):
            continue  # validated at deployment; a FEEL timer needing variables cannot start
        ctx.event(
            ValueType.TIMER,
            Timer.CREATED,
            ctx.new_key(),
            {
                "elementInstanceKey": -1,
                "processInstanceKey": -1,
                "processDefinitionKey": newer.key,
                "dueDate": due[0],
                "targetElementId": start_id,
                "repetitions": due[1],
                "tenantId": newer.tenant_id,
            },
        )
    for start_id in has_start_kind(model, EventType.SIGNAL):
        start = model.elements[start_id]
        if start.signal_name is None or start.signal_name.feel is not None:
            continue
        ctx.event(
            ValueType.SIGNAL_SUBSCRIPTION,
            Subscription.CREATED,
            ctx.new_key(),
            {
                "signalName": start.signal_name.source,
                "catchElementInstanceKey": -1,
                "catchEventId": start_id,
                "processDefinitionKey": newer.key,
                "bpmnProcessId": newer.bpmn_process_id,
                "tenantId": newer.tenant_id,
            },
        )


def _deploy_dmn(
    bpmn: Bpmn, name: str, text: str, checksum: str, model: Any, metadata: dict[str, Any]
) -> None:
    state = bpmn.state
    drg_id = model.decision_requirements_id
    versions = state.drg_versions.get(drg_id)
    latest = state.drgs[versions[-1]] if versions else None
    if latest is not None and latest.checksum == checksum:
        metadata["decisionRequirementsMetadata"].append(
            _drg_metadata(latest.key, drg_id, latest.name, latest.version, name, checksum, True)
        )
        for key in latest.decision_keys:
            decision = state.decisions[key]
            known = {
                "decisionId": decision.decision_id,
                "decisionName": decision.decision_name,
                "version": decision.version,
                "decisionKey": decision.key,
                "decisionRequirementsId": drg_id,
                "decisionRequirementsKey": latest.key,
            }
            metadata["decisionsMetadata"].append(_decision_metadata(known, True))
        return
    drg_key = bpmn.ctx.new_key()
    version = (latest.version if latest else 0) + 1
    drg_value = {
        "decisionRequirementsId": drg_id,
        "decisionRequirementsName": model.decision_requirements_name or drg_id,
        "decisionRequirementsVersion": version,
        "decisionRequirementsKey": drg_key,
        "namespace": model.namespace,
        "resourceName": name,
        "checksum": checksum,
        "resource": text,
        "tenantId": "<default>",
    }
    bpmn.ctx.event(ValueType.DECISION_REQUIREMENTS, "CREATED", drg_key, drg_value)
    metadata["decisionRequirementsMetadata"].append(
        _drg_metadata(
            drg_key, drg_id, drg_value["decisionRequirementsName"], version, name, checksum, False
        )
    )
    for info in model.decisions:
        previous = state.latest_decision(info.decision_id)
        key = bpmn.ctx.new_key()
        value = {
            "decisionId": info.decision_id,
            "decisionName": info.decision_name,
            "version": (previous.version if previous else 0) + 1,
            "decisionKey": key,
            "decisionRequirementsId": drg_id,
            "decisionRequirementsKey": drg_key,
            "tenantId": "<default>",
        }
        bpmn.ctx.event(ValueType.DECISION, "CREATED", key, value)
        metadata["decisionsMetadata"].append(_decision_metadata(value, False))


def _drg_metadata(
    key: int, drg_id: str, drg_name: str, version: int, name: str, checksum: str, duplicate: bool
) -> dict[str, Any]:
    return {
        "decisionRequirementsId": drg_id,
        "decisionRequirementsName": drg_name,
        "decisionRequirementsVersion": version,
        "decisionRequirementsKey": key,
        "resourceName": name,
        "checksum": checksum,
        "isDuplicate": duplicate,
        "tenantId": "<default>",
    }


def _decision_metadata(value: dict[str, Any], duplicate: bool) -> dict[str, Any]:
    return {**value, "isDuplicate": duplicate, "tenantId": "<default>"}


def _deploy_form(bpmn: Bpmn, name: str, text: str, checksum: str, form_id: str) -> dict[str, Any]:
    state = bpmn.state
    versions = state.form_versions.get(form_id)
    latest = state.forms[versions[-1]] if versions else None
    if latest is not None and latest.checksum == checksum:
        return {
            "formId": form_id,
            "version": latest.version,
            "formKey": latest.key,
            "resourceName": latest.resource_name,
            "checksum": checksum,
            "isDuplicate": True,
            "tenantId": "<default>",
        }
    key = bpmn.ctx.new_key()
    value = {
        "formId": form_id,
        "version": (latest.version if latest else 0) + 1,
        "formKey": key,
        "resourceName": name,
        "checksum": checksum,
        "resource": text,
        "tenantId": "<default>",
    }
    bpmn.ctx.event(ValueType.FORM, "CREATED", key, value)
    return {k: v for k, v in value.items() if k != "resource"} | {"isDuplicate": False}


def evaluate(bpmn: Bpmn, command: Record) -> None:
    """DECISION_EVALUATION EVALUATE: evaluate a deployed decision by key or id."""
    state = bpmn.state
    key = command.value.get("decisionKey") or 0
    decision_id = command.value.get("decisionId") or ""
    decision = state.decisions.get(key) if key else state.latest_decision(decision_id)
    if decision is None:
        what = f"key '{key}'" if key else f"id '{decision_id}'"
        bpmn.ctx.reject(
            command,
            RejectionType.NOT_FOUND,
            f"Expected to evaluate decision with {what}, but no such decision found",
        )
        return
    values = command.value.get("variables") or {}
    _, value, failure = evaluate_decision(state, decision, values)
    intent = "FAILED" if failure else "EVALUATED"
    evaluated = bpmn.ctx.event(ValueType.DECISION_EVALUATION, intent, bpmn.ctx.new_key(), value)
    bpmn.ctx.respond(command, evaluated)


def delete_resource(bpmn: Bpmn, command: Record) -> None:
    """RESOURCE_DELETION DELETE: a process, decision requirements or form version."""
    state = bpmn.state
    key = command.value.get("resourceKey", command.key)
    if key not in state.processes and key not in state.drgs and key not in state.forms:
        bpmn.ctx.reject(
            command,
            RejectionType.NOT_FOUND,
            f"Expected to delete resource but no resource found with key `{key}`",
        )
        return
    if key in state.processes:
        running = any(e.parent_key == -1 and e.process.key == key for e in state.elements.values())
        if running:
            bpmn.ctx.reject(
                command,
                RejectionType.INVALID_STATE,
                f"Expected to delete process definition with key '{key}', but there are "
                "running instances of it",
            )
            return
        for timer_key in list(state.timers_by_element.get(-1, ())):
            timer = state.timers[timer_key]
            if timer.value["processDefinitionKey"] == key:
                bpmn.ctx.event(ValueType.TIMER, Timer.CANCELED, timer_key, timer.value)
        for sub_key, sub in list(state.signal_subscriptions.items()):
            if sub.value.get("catchElementInstanceKey", -1) == -1 and (
                sub.value["processDefinitionKey"] == key
            ):
                bpmn.ctx.event(
                    ValueType.SIGNAL_SUBSCRIPTION, Subscription.DELETED, sub_key, sub.value
                )
    process = state.processes.get(key)
    was_latest = process is not None and state.latest_process(process.bpmn_process_id) is process
    deleted = bpmn.ctx.event(
        ValueType.RESOURCE_DELETION,
        "DELETED",
        command.key if command.key > 0 else key,
        {"resourceKey": key, "tenantId": "<default>"},
    )
    bpmn.ctx.respond(command, deleted)
    if process is not None and was_latest:
        # the previous version becomes the latest: its timer and signal start events wake up
        previous = state.latest_process(process.bpmn_process_id)
        if previous is not None:
            _replace_start_events(bpmn, None, previous)
