"""BPMN XML -> executable processes: one table maps each BPMN tag to the function that reads it.

What each kind fills (besides id, kind, scope_id, name, line, incoming/outgoing, properties):

=====================  ==========================================================================
kind                   fields
=====================  ==========================================================================
PROCESS                children, none_start_event, start_events, event_sub_processes
START_EVENT            event_type, message / timer / signal_name (event subprocess start: also
                       error_code, escalation_code, interrupting), outputs
INTERMEDIATE_CATCH     event_type, message / timer / signal_name / link_name, outputs
INTERMEDIATE_THROW     event_type, inputs, outputs, job + message (message), signal_name,
                       escalation_code, link_name
BOUNDARY_EVENT         event_type, attached_to, interrupting, message / timer / signal_name /
                       error_code (+ variables) / escalation_code, outputs
END_EVENT              event_type, inputs, job + message (message), error_code, escalation_code,
                       signal_name
activities             inputs, outputs, multi_instance, boundary_events, default_flow, plus
                       SERVICE/SEND: job; USER: user_task (+ job when job-based);
                       BUSINESS_RULE: called_decision or job; SCRIPT: script or job;
                       RECEIVE: message; CALL_ACTIVITY: called_element;
                       SUB_PROCESS: children, none_start_event, start_events, event_sub_processes
EVENT_SUB_PROCESS      children, start_events, event_sub_processes, interrupting
gateways               default_flow (exclusive, inclusive), event_targets (event-based)
=====================  ==========================================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from cadenza.model import _extensions as ext
from cadenza.model._context import Context
from cadenza.model._elements import Element, ElementKind, EventType, SequenceFlow
from cadenza.model._events import Role, read_event_definition, read_message_task
from cadenza.model._xml import BPMN_NS, Node, bpmn, child_named, line_of, local_name, text_of

Reader = Callable[[Context, Node, str], Element]

MAX_SCOPE_DEPTH = 64
"""Deepest nesting of subprocesses read; deeper ones are reported as a problem."""

# BPMN elements that may appear in a process but do not execute: read past them.
_IGNORED = frozenset(
    {
        "extensionElements", "documentation", "laneSet", "lane", "textAnnotation", "association",
        "group", "dataObject", "dataObjectReference", "dataStoreReference", "ioSpecification",
        "property", "dataInputAssociation", "dataOutputAssociation", "incoming", "outgoing",
        "multiInstanceLoopCharacteristics", "auditing", "monitoring", "category", "categoryValue",
        "correlationSubscription", "supports", "resourceRole", "performer", "humanPerformer",
        "potentialOwner",
    }
)  # fmt: skip
_UNSUPPORTED = {
    "complexGateway": "Complex gateways",
    "transaction": "Transaction subprocesses",
    "adHocSubProcess": "Ad-hoc subprocesses",
    "callChoreography": "Call choreographies",
    "subChoreography": "Sub-choreographies",
    "choreographyTask": "Choreography tasks",
    "implicitThrowEvent": "Implicit throw events",
    "standardLoopCharacteristics": "Standard loops (standardLoopCharacteristics)",
}


def _base(ctx: Context, node: Node, kind: ElementKind, scope_id: str) -> Element:
    element_id = node.get("id") or ""
    if not element_id:
        ctx.report.add(node, None, f"A {local_name(node)} has no id.")
        element_id = f"{local_name(node)}@line{line_of(node)}"
    inputs, outputs = ext.io_mappings(ctx.report, node, element_id)
    ext.report_unsupported_extensions(ctx.report, node, element_id)
    return Element(
        id=element_id,
        kind=kind,
        scope_id=scope_id,
        name=node.get("name") or None,
        line=line_of(node),
        inputs=inputs,
        outputs=outputs,
        properties=ext.properties(node),
        default_flow=node.get("default") or None,
    )


def _activity(ctx: Context, node: Node, kind: ElementKind, scope_id: str) -> Element:
    element = _base(ctx, node, kind, scope_id)
    if node.get("isForCompensation") == "true":
        ctx.report.add(
            node, element.id, "Compensation handlers (isForCompensation) are not supported."
        )
    loop = child_named(node, bpmn("standardLoopCharacteristics"))
    if loop is not None:
        ctx.report.add(
            loop, element.id, f"{_UNSUPPORTED['standardLoopCharacteristics']} are not supported."
        )
    return dataclasses.replace(
        element, multi_instance=ext.multi_instance(ctx.report, node, element.id)
    )


def _job_task(kind: ElementKind, what: str) -> Reader:
    def read(ctx: Context, node: Node, scope_id: str) -> Element:
        element = _activity(ctx, node, kind, scope_id)
        job = ext.job_definition(ctx.report, node, element.id)
        if job is None:
            ctx.report.add(node, element.id, f"A {what} needs a zeebe:taskDefinition with a type.")
        return dataclasses.replace(element, job=job)

    return read


def _plain(kind: ElementKind) -> Reader:
    def read(ctx: Context, node: Node, scope_id: str) -> Element:
        return _activity(ctx, node, kind, scope_id)

    return read


def _user_task(ctx: Context, node: Node, scope_id: str) -> Element:
    element = _activity(ctx, node, ElementKind.USER_TASK, scope_id)
    definition, camunda_user_task = ext.user_task_definition(ctx.report, node, element.id)
    job = None if camunda_user_task else ext.user_task_job(node)
    return dataclasses.replace(element, user_task=definition, job=job)


def _business_rule_task(ctx: Context, node: Node, scope_id: str) -> Element:
    element = _activity(ctx, node, ElementKind.BUSINESS_RULE_TASK, scope_id)
    decision = ext.called_decision(ctx.report, node, element.id)
    job = None if decision is not None else ext.job_definition(ctx.report, node, element.id)
    if decision is None and job is None:
        ctx.report.add(
            node,
            element.id,
            "A business rule task needs a zeebe:calledDecision or a zeebe:taskDefinition.",
        )
    return dataclasses.replace(element, called_decision=decision, job=job)


def _script_task(ctx: Context, node: Node, scope_id: str) -> Element:
    element = _activity(ctx, node, ElementKind.SCRIPT_TASK, scope_id)
    script = ext.script(ctx.report, node, element.id)
    job = None if script is not None else ext.job_definition(ctx.report, node, element.id)
    if script is None and job is None:
        ctx.report.add(
            node, element.id, "A script task needs a zeebe:script or a zeebe:taskDefinition."
        )
    return dataclasses.replace(element, script=script, job=job)


def _receive_task(ctx: Context, node: Node, scope_id: str) -> Element:
    element = _activity(ctx, node, ElementKind.RECEIVE_TASK, scope_id)
    return read_message_task(ctx, node, element)


def _call_activity(ctx: Context, node: Node, scope_id: str) -> Element:
    element = _activity(ctx, node, ElementKind.CALL_ACTIVITY, scope_id)
    return dataclasses.replace(
        element, called_element=ext.called_element(ctx.report, node, element.id)
    )


def _gateway(kind: ElementKind) -> Reader:
    def read(ctx: Context, node: Node, scope_id: str) -> Element:
        return _base(ctx, node, kind, scope_id)

    return read


def _event(kind: ElementKind, role: Role) -> Reader:
    def read(ctx: Context, node: Node, scope_id: str) -> Element:
        element = _base(ctx, node, kind, scope_id)
        return read_event_definition(ctx, node, element, role)

    return read


def _start_event(ctx: Context, node: Node, scope_id: str) -> Element:
    scope = ctx.elements.get(scope_id)
    role = Role.START
    if scope is not None and scope.kind is ElementKind.EVENT_SUB_PROCESS:
        role = Role.EVENT_SUB_PROCESS_START
    elif scope is not None and scope.kind is ElementKind.SUB_PROCESS:
        role = Role.SUB_PROCESS_START
    element = _base(ctx, node, ElementKind.START_EVENT, scope_id)
    element = dataclasses.replace(
        element, interrupting=node.get("isInterrupting", "true") != "false"
    )
    return read_event_definition(ctx, node, element, role)


def _boundary_event(ctx: Context, node: Node, scope_id: str) -> Element:
    element = _base(ctx, node, ElementKind.BOUNDARY_EVENT, scope_id)
    attached = node.get("attachedToRef") or None
    if attached is None:
        ctx.report.add(
            node, element.id, "A boundary event must be attached to an activity (attachedToRef)."
        )
    element = dataclasses.replace(
        element, attached_to=attached, interrupting=node.get("cancelActivity", "true") != "false"
    )
    return read_event_definition(ctx, node, element, Role.BOUNDARY)


def _sub_process(ctx: Context, node: Node, scope_id: str) -> Element:
    by_event = node.get("triggeredByEvent") == "true"
    kind = ElementKind.EVENT_SUB_PROCESS if by_event else ElementKind.SUB_PROCESS
    element = (
        _activity(ctx, node, kind, scope_id) if not by_event else _base(ctx, node, kind, scope_id)
    )
    if by_event and child_named(node, bpmn("multiInstanceLoopCharacteristics")) is not None:
        ctx.report.add(node, element.id, "An event subprocess cannot be multi-instance.")
    # Register the scope first so its start events know what kind of scope they are in.
    ctx.elements[element.id] = element
    if ctx.depth >= MAX_SCOPE_DEPTH:
        # Reading is recursive: bound it rather than let a hostile file exhaust the stack.
        ctx.report.add(
            node, element.id, f"Subprocesses are nested more than {MAX_SCOPE_DEPTH} deep."
        )
        ctx.unread.add(element.id)
        return element
    ctx.depth += 1
    element = read_scope(ctx, node, element)
    ctx.depth -= 1
    if by_event:
        starts = [ctx.elements[i] for i in element.start_events]
        interrupting = starts[0].interrupting if len(starts) == 1 else True
        element = dataclasses.replace(element, interrupting=interrupting)
    return element


FLOW_NODES: dict[str, Reader] = {
    "startEvent": _start_event,
    "endEvent": _event(ElementKind.END_EVENT, Role.END),
    "intermediateCatchEvent": _event(ElementKind.INTERMEDIATE_CATCH_EVENT, Role.CATCH),
    "intermediateThrowEvent": _event(ElementKind.INTERMEDIATE_THROW_EVENT, Role.THROW),
    "boundaryEvent": _boundary_event,
    "serviceTask": _job_task(ElementKind.SERVICE_TASK, "service task"),
    "sendTask": _job_task(ElementKind.SEND_TASK, "send task"),
    "receiveTask": _receive_task,
    "userTask": _user_task,
    "businessRuleTask": _business_rule_task,
    "scriptTask": _script_task,
    "manualTask": _plain(ElementKind.MANUAL_TASK),
    "task": _plain(ElementKind.TASK),
    "callActivity": _call_activity,
    "subProcess": _sub_process,
    "exclusiveGateway": _gateway(ElementKind.EXCLUSIVE_GATEWAY),
    "parallelGateway": _gateway(ElementKind.PARALLEL_GATEWAY),
    "inclusiveGateway": _gateway(ElementKind.INCLUSIVE_GATEWAY),
    "eventBasedGateway": _gateway(ElementKind.EVENT_BASED_GATEWAY),
}
"""BPMN tag (local name in the BPMN namespace) -> the function that reads it."""


def read_scope(ctx: Context, node: Node, scope: Element) -> Element:
    """Read the flow nodes and sequence flows directly inside ``node`` (a process or subprocess)
    into ``ctx`` and return ``scope`` with its children and start events filled."""
    child_ids: list[str] = []
    for child in node:
        if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{BPMN_NS}}}"):
            continue  # other vendors' extensions and BPMNDI are not executable
        tag = local_name(child)
        if tag == "sequenceFlow":
            _sequence_flow(ctx, child, scope.id)
        elif tag in FLOW_NODES:
            element = FLOW_NODES[tag](ctx, child, scope.id)
            _register(ctx, child, element.id)
            ctx.elements[element.id] = element
            child_ids.append(element.id)
        elif tag in _UNSUPPORTED:
            ctx.report.add(child, child.get("id"), f"{_UNSUPPORTED[tag]} are not supported.")
        elif tag not in _IGNORED:
            ctx.report.add(
                child, child.get("id"), f"The BPMN element '{tag}' is not supported here."
            )
    inside = [ctx.elements[i] for i in child_ids]
    starts = tuple(e.id for e in inside if e.kind is ElementKind.START_EVENT)
    none_starts = [
        e.id for e in inside if e.kind is ElementKind.START_EVENT and e.event_type is EventType.NONE
    ]
    return dataclasses.replace(
        scope,
        children=tuple(child_ids),
        start_events=starts,
        none_start_event=none_starts[0] if none_starts else None,
        event_sub_processes=tuple(e.id for e in inside if e.kind is ElementKind.EVENT_SUB_PROCESS),
    )


def _register(ctx: Context, node: Node, element_id: str) -> None:
    if element_id in ctx.seen_ids:
        first = ctx.seen_ids[element_id]
        ctx.report.add(node, element_id, f"The id '{element_id}' is already used on line {first}.")
    else:
        ctx.seen_ids[element_id] = line_of(node)


def _sequence_flow(ctx: Context, node: Node, scope_id: str) -> None:
    flow_id = node.get("id") or ""
    if not flow_id:
        ctx.report.add(node, None, "A sequenceFlow has no id.")
        flow_id = f"sequenceFlow@line{line_of(node)}"
    _register(ctx, node, flow_id)
    source = node.get("sourceRef") or ""
    target = node.get("targetRef") or ""
    if not source:
        ctx.report.add(node, flow_id, "The sequence flow has no sourceRef.")
    if not target:
        ctx.report.add(node, flow_id, "The sequence flow has no targetRef.")
    condition = None
    condition_node = child_named(node, bpmn("conditionExpression"))
    if condition_node is not None:
        text = text_of(condition_node)
        if not text:
            ctx.report.add(condition_node, flow_id, "The condition expression is empty.")
        else:
            condition = ctx.report.expression(
                condition_node, flow_id, "conditionExpression", text, feel_only=True
            )
    ctx.flows[flow_id] = SequenceFlow(flow_id, source, target, condition, scope_id, line_of(node))
