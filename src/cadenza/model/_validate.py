"""Checks that need the whole process: flows, scopes, start events, gateways, boundary events,
links. It also fills the fields that only the whole picture gives (incoming, outgoing,
boundary_events, event_targets)."""

from __future__ import annotations

import dataclasses
from collections import Counter

from cadenza.model._context import Context
from cadenza.model._elements import Element, ElementKind, EventType
from cadenza.model._event_rules import check_catch_events
from cadenza.model._report import indefinite

ACTIVITIES = frozenset(
    {
        ElementKind.SERVICE_TASK, ElementKind.RECEIVE_TASK, ElementKind.USER_TASK,
        ElementKind.MANUAL_TASK, ElementKind.TASK, ElementKind.CALL_ACTIVITY,
        ElementKind.BUSINESS_RULE_TASK, ElementKind.SCRIPT_TASK, ElementKind.SEND_TASK,
        ElementKind.SUB_PROCESS,
    }
)  # fmt: skip
_SCOPES = (ElementKind.PROCESS, ElementKind.SUB_PROCESS, ElementKind.EVENT_SUB_PROCESS)
_EVENT_GATEWAY_TARGETS = (EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL)


def link_and_validate(ctx: Context) -> None:
    """Connect flows to their elements and check the process as a whole; updates ``ctx``."""
    _link_flows(ctx)
    _attach_boundary_events(ctx)
    for element in list(ctx.elements.values()):
        if element.kind in _SCOPES and element.id not in ctx.unread:
            _check_scope(ctx, element)
        if element.kind in (ElementKind.EXCLUSIVE_GATEWAY, ElementKind.INCLUSIVE_GATEWAY):
            _check_conditions(ctx, element)
        if element.kind is ElementKind.EVENT_BASED_GATEWAY:
            _check_event_gateway(ctx, element)
        if element.default_flow is not None and element.default_flow not in element.outgoing:
            ctx.report.add(
                element.line,
                element.id,
                f"The default flow '{element.default_flow}' is not an outgoing flow of this element.",
            )
        _check_flow_ends(ctx, element)
    check_catch_events(ctx)


def _link_flows(ctx: Context) -> None:
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow in ctx.flows.values():
        ok = True
        for end, ref in (("sourceRef", flow.source), ("targetRef", flow.target)):
            if not ref:
                ok = False
                continue
            target = ctx.elements.get(ref)
            if target is None:
                ctx.report.add(
                    flow.line,
                    flow.id,
                    f"The {end} '{ref}' does not name a flow node of this process.",
                )
                ok = False
            elif target.scope_id != flow.scope_id:
                ctx.report.add(
                    flow.line,
                    flow.id,
                    f"The sequence flow crosses a scope boundary: its {end} '{ref}' is in "
                    f"'{target.scope_id}', the flow is in '{flow.scope_id}'.",
                )
                ok = False
        if ok:
            outgoing.setdefault(flow.source, []).append(flow.id)
            incoming.setdefault(flow.target, []).append(flow.id)
    for element_id, element in ctx.elements.items():
        ctx.elements[element_id] = dataclasses.replace(
            element,
            incoming=tuple(incoming.get(element_id, ())),
            outgoing=tuple(outgoing.get(element_id, ())),
        )


def _kind_name(element: Element) -> str:
    return element.kind.value.lower().replace("_", " ")


def _attach_boundary_events(ctx: Context) -> None:
    attached: dict[str, list[str]] = {}
    for element in ctx.elements.values():
        if element.kind is not ElementKind.BOUNDARY_EVENT or element.attached_to is None:
            continue
        host = ctx.elements.get(element.attached_to)
        if host is None:
            ctx.report.add(
                element.line,
                element.id,
                f"attachedToRef '{element.attached_to}' does not name an element of this process.",
            )
        elif host.kind not in ACTIVITIES:
            ctx.report.add(
                element.line,
                element.id,
                f"A boundary event must be attached to an activity, not to {indefinite(_kind_name(host))}.",
            )
        elif host.scope_id != element.scope_id:
            ctx.report.add(
                element.line,
                element.id,
                f"The boundary event must be in the same scope as '{host.id}'.",
            )
        else:
            attached.setdefault(host.id, []).append(element.id)
    for host_id, events in attached.items():
        ctx.elements[host_id] = dataclasses.replace(
            ctx.elements[host_id], boundary_events=tuple(events)
        )


def _check_scope(ctx: Context, scope: Element) -> None:
    starts = [ctx.elements[i] for i in scope.start_events]
    none_starts = [s for s in starts if s.event_type is EventType.NONE]
    if scope.kind is ElementKind.PROCESS:
        if not starts:
            ctx.report.add(scope.line, scope.id, "The process must have at least one start event.")
        elif len(none_starts) > 1:
            ctx.report.add(scope.line, scope.id, "The process has more than one none start event.")
        _check_unique_start_names(ctx, scope, starts)
    elif len(starts) != 1:
        what = (
            "An event subprocess" if scope.kind is ElementKind.EVENT_SUB_PROCESS else "A subprocess"
        )
        ctx.report.add(
            scope.line, scope.id, f"{what} must have exactly one start event, found {len(starts)}."
        )
    if scope.kind is ElementKind.EVENT_SUB_PROCESS:
        if scope.incoming or scope.outgoing:
            ctx.report.add(
                scope.line,
                scope.id,
                "An event subprocess cannot have incoming or outgoing sequence flows.",
            )
        for start in starts:
            if start.event_type is EventType.NONE:
                ctx.report.add(
                    start.line,
                    start.id,
                    "The start event of an event subprocess must be one of: message, timer, signal, error, escalation.",
                )
    _check_links(ctx, scope)


def _check_unique_start_names(ctx: Context, scope: Element, starts: list[Element]) -> None:
    messages = Counter(s.message.name.source for s in starts if s.message is not None)
    signals = Counter(s.signal_name.source for s in starts if s.signal_name is not None)
    for name, count in messages.items():
        if count > 1:
            ctx.report.add(
                scope.line, scope.id, f"Several message start events use the message name '{name}'."
            )
    for name, count in signals.items():
        if count > 1:
            ctx.report.add(
                scope.line, scope.id, f"Several signal start events use the signal name '{name}'."
            )


def _check_links(ctx: Context, scope: Element) -> None:
    inside = [ctx.elements[i] for i in scope.children]
    catches = Counter(
        e.link_name
        for e in inside
        if e.kind is ElementKind.INTERMEDIATE_CATCH_EVENT and e.link_name
    )
    for name, count in catches.items():
        if count > 1:
            ctx.report.add(scope.line, scope.id, f"Several link catch events are named '{name}'.")
    for element in inside:
        is_link_throw = element.kind is ElementKind.INTERMEDIATE_THROW_EVENT and element.link_name
        if is_link_throw and element.link_name not in catches:
            ctx.report.add(
                element.line,
                element.id,
                f"No link catch event named '{element.link_name}' in the same scope.",
            )


def _check_conditions(ctx: Context, gateway: Element) -> None:
    if len(gateway.outgoing) < 2:
        return
    for flow_id in gateway.outgoing:
        flow = ctx.flows[flow_id]
        if flow.condition is None and flow_id != gateway.default_flow:
            ctx.report.add(
                flow.line,
                flow.id,
                f"The flow leaves the gateway '{gateway.id}' that has several outgoing flows: it "
                "needs a condition or must be the default flow.",
            )


def _check_event_gateway(ctx: Context, gateway: Element) -> None:
    if len(gateway.outgoing) < 2:
        ctx.report.add(
            gateway.line,
            gateway.id,
            "An event-based gateway must have at least two outgoing sequence flows.",
        )
    targets: list[str] = []
    for flow_id in gateway.outgoing:
        target = ctx.elements[ctx.flows[flow_id].target]
        is_event = (
            target.kind is ElementKind.INTERMEDIATE_CATCH_EVENT
            and target.event_type in _EVENT_GATEWAY_TARGETS
        )
        if not is_event and target.kind is not ElementKind.RECEIVE_TASK:
            ctx.report.add(
                gateway.line,
                gateway.id,
                f"An event-based gateway may only lead to message, timer or signal intermediate "
                f"catch events or receive tasks; '{target.id}' is not one.",
            )
        elif len(target.incoming) > 1:
            ctx.report.add(
                target.line,
                target.id,
                f"A target of the event-based gateway '{gateway.id}' cannot have other incoming flows.",
            )
        targets.append(target.id)
    ctx.elements[gateway.id] = dataclasses.replace(gateway, event_targets=tuple(targets))


def _check_flow_ends(ctx: Context, element: Element) -> None:
    if element.kind is ElementKind.END_EVENT and element.outgoing:
        ctx.report.add(
            element.line, element.id, "An end event cannot have outgoing sequence flows."
        )
    if element.kind is ElementKind.START_EVENT and element.incoming:
        ctx.report.add(
            element.line, element.id, "A start event cannot have incoming sequence flows."
        )
    if element.kind is ElementKind.BOUNDARY_EVENT and element.incoming:
        ctx.report.add(
            element.line, element.id, "A boundary event cannot have incoming sequence flows."
        )
