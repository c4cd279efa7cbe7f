"""Whole-process rules for catching events: which ones may be non-interrupting, and that no two
catch events of one activity, scope or event-based gateway wait for the same trigger."""

from __future__ import annotations

from collections import Counter

from cadenza.model._context import Context
from cadenza.model._elements import Element, ElementKind, EventType
from cadenza.model._report import indefinite

_NON_INTERRUPTING = (EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL, EventType.ESCALATION)
_ESCALATION_HOSTS = (ElementKind.SUB_PROCESS, ElementKind.CALL_ACTIVITY)
_SCOPES = (ElementKind.PROCESS, ElementKind.SUB_PROCESS, ElementKind.EVENT_SUB_PROCESS)


def check_catch_events(ctx: Context) -> None:
    """Report catch events Zeebe refuses: see the module docstring."""
    for element in ctx.elements.values():
        if element.boundary_events:
            events = [ctx.elements[i] for i in element.boundary_events]
            _check_unique_triggers(ctx, element, events, "boundary events of this activity")
        if element.kind in _SCOPES and element.event_sub_processes:
            starts = [
                ctx.elements[start]
                for sub in element.event_sub_processes
                for start in ctx.elements[sub].start_events
            ]
            _check_unique_triggers(ctx, element, starts, "event subprocesses of this scope")
        if element.kind is ElementKind.EVENT_BASED_GATEWAY:
            targets = [ctx.elements[i] for i in element.event_targets]
            _check_unique_triggers(ctx, element, targets, "targets of this event-based gateway")
        if _is_interruptible_catch(ctx, element):
            _check_interrupting(ctx, element)
        if (
            element.kind is ElementKind.BOUNDARY_EVENT
            and element.event_type is EventType.ESCALATION
        ):
            host = ctx.elements.get(element.attached_to or "")
            if host is not None and host.kind not in _ESCALATION_HOSTS:
                ctx.report.add(
                    element.line,
                    element.id,
                    "An escalation boundary event can only be attached to a subprocess or a call activity.",
                )


def _is_interruptible_catch(ctx: Context, element: Element) -> bool:
    if element.kind is ElementKind.BOUNDARY_EVENT:
        return True
    scope = ctx.elements.get(element.scope_id or "")
    return (
        element.kind is ElementKind.START_EVENT
        and scope is not None
        and scope.kind is ElementKind.EVENT_SUB_PROCESS
    )


def _check_interrupting(ctx: Context, event: Element) -> None:
    if not event.interrupting and event.event_type not in _NON_INTERRUPTING:
        found = event.event_type.value.lower()
        ctx.report.add(
            event.line,
            event.id,
            f"{indefinite(found, capital=True)} event cannot be non-interrupting; only message, timer, signal and "
            "escalation events can.",
        )
    if event.interrupting and event.timer is not None and event.timer.kind == "cycle":
        ctx.report.add(
            event.line,
            event.id,
            "An interrupting timer event cannot have a timeCycle; make it non-interrupting or "
            "use timeDuration or timeDate.",
        )


def _check_unique_triggers(ctx: Context, owner: Element, events: list[Element], where: str) -> None:
    messages = Counter(e.message.name.source for e in events if e.message is not None)
    signals = Counter(e.signal_name.source for e in events if e.signal_name is not None)
    errors = Counter(
        None if e.error_code is None else e.error_code.source
        for e in events
        if e.event_type is EventType.ERROR
    )
    escalations = Counter(
        None if e.escalation_code is None else e.escalation_code.source
        for e in events
        if e.event_type is EventType.ESCALATION
    )
    for kind, counts in (("message", messages), ("signal", signals)):
        for name, count in counts.items():
            if count > 1:
                ctx.report.add(
                    owner.line, owner.id, f"Several {where} wait for the {kind} named '{name}'."
                )
    for kind, codes in (("error", errors), ("escalation", escalations)):
        for code, count in codes.items():
            if count < 2:
                continue
            if code is None:
                message = (
                    f"Several {where} catch every {kind}; at most one may have no {kind} code."
                )
            else:
                message = f"Several {where} catch the {kind} code '{code}'."
            ctx.report.add(owner.line, owner.id, message)
