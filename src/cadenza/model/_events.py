"""Event definitions: which ones each event kind accepts, and the fields they fill."""

from __future__ import annotations

import dataclasses
import enum

from cadenza.model._context import Context
from cadenza.model._elements import (
    Element,
    ElementKind,
    EventType,
    Expression,
    MessageDefinition,
    TimerDefinition,
)
from cadenza.model._extensions import extension, job_definition
from cadenza.model._report import indefinite
from cadenza.model._timers import check_timer
from cadenza.model._xml import BPMN_NS, Node, bpmn, child_named, children, local_name, text_of
from cadenza.model._xml import zeebe as zeebe_name


class Role(enum.Enum):
    """Where an event sits; it decides which definitions are allowed and what they need."""

    START = "start event"
    EVENT_SUB_PROCESS_START = "start event of an event subprocess"
    SUB_PROCESS_START = "start event of an embedded subprocess"
    CATCH = "intermediate catch event"
    BOUNDARY = "boundary event"
    THROW = "intermediate throw event"
    END = "end event"


_DEFINITIONS = {
    "messageEventDefinition": EventType.MESSAGE,
    "timerEventDefinition": EventType.TIMER,
    "errorEventDefinition": EventType.ERROR,
    "signalEventDefinition": EventType.SIGNAL,
    "escalationEventDefinition": EventType.ESCALATION,
    "terminateEventDefinition": EventType.TERMINATE,
    "linkEventDefinition": EventType.LINK,
    "compensateEventDefinition": EventType.COMPENSATION,
    "conditionalEventDefinition": EventType.CONDITIONAL,
    "cancelEventDefinition": EventType.UNSPECIFIED,
}

_M, _T, _E, _S = EventType.MESSAGE, EventType.TIMER, EventType.ERROR, EventType.SIGNAL
_ALLOWED: dict[Role, tuple[EventType, ...]] = {
    Role.START: (EventType.NONE, _M, _T, _S),
    Role.EVENT_SUB_PROCESS_START: (_M, _T, _S, _E, EventType.ESCALATION),
    Role.SUB_PROCESS_START: (EventType.NONE,),
    Role.CATCH: (_M, _T, _S, EventType.LINK),
    Role.BOUNDARY: (_T, _M, _E, _S, EventType.ESCALATION),
    Role.THROW: (EventType.NONE, _M, _S, EventType.ESCALATION, EventType.LINK),
    Role.END: (EventType.NONE, _E, EventType.ESCALATION, EventType.TERMINATE, _M, _S),
}
_CATCHING = (Role.CATCH, Role.BOUNDARY, Role.EVENT_SUB_PROCESS_START)
_UNSUPPORTED_NAMES = {
    EventType.COMPENSATION: "Compensation events",
    EventType.CONDITIONAL: "Conditional events",
    EventType.UNSPECIFIED: "Cancel events",
}


def read_event_definition(ctx: Context, node: Node, element: Element, role: Role) -> Element:
    """Fill ``element`` (an event) from its single event definition, reporting what is wrong."""
    found = [
        (child, _DEFINITIONS[local_name(child)])
        for child in children(node)
        if child.tag.startswith(f"{{{BPMN_NS}}}") and local_name(child) in _DEFINITIONS
    ]
    if child_named(node, bpmn("eventDefinitionRef")) is not None:
        ctx.report.add(
            node,
            element.id,
            "Event definitions referenced with eventDefinitionRef are not supported.",
        )
    if len(found) > 1:
        ctx.report.add(
            node, element.id, f"{_an(role.value)} must have at most one event definition."
        )
    if not found:
        event_type, definition = EventType.NONE, None
    else:
        definition, event_type = found[0]
    if event_type not in _ALLOWED[role]:
        _report_not_allowed(ctx, node, element.id, event_type, role)
        return dataclasses.replace(element, event_type=event_type)
    element = dataclasses.replace(element, event_type=event_type)
    if definition is None:
        return element
    return _READERS[event_type](ctx, node, definition, element, role)


def _report_not_allowed(
    ctx: Context, node: Node, element_id: str, event_type: EventType, role: Role
) -> None:
    if event_type in _UNSUPPORTED_NAMES:
        ctx.report.add(node, element_id, f"{_UNSUPPORTED_NAMES[event_type]} are not supported.")
        return
    allowed = ", ".join(t.value.lower() for t in _ALLOWED[role])
    found = event_type.value.lower()
    ctx.report.add(
        node,
        element_id,
        f"{_an(role.value)} cannot be {indefinite(found)} event; it must be one of: {allowed}.",
    )


def _message(ctx: Context, node: Node, definition: Node, element: Element, role: Role) -> Element:
    if role in (Role.THROW, Role.END):
        # Message throw events are job-based, like send tasks.
        job = job_definition(ctx.report, node, element.id)
        if job is None:
            ctx.report.add(
                node,
                element.id,
                f"{_an(f'message {role.value}')} needs a zeebe:taskDefinition with a type.",
            )
        message = _message_reference(ctx, definition, element, role, required=False)
        return dataclasses.replace(element, job=job, message=message)
    return dataclasses.replace(
        element, message=_message_reference(ctx, definition, element, role, required=True)
    )


def _message_reference(
    ctx: Context, definition: Node, element: Element, role: Role, *, required: bool
) -> MessageDefinition | None:
    """The referenced ``bpmn:message`` as a ``MessageDefinition``; catching elements (and
    receive tasks) need a name and a correlation key, start events only a name."""
    ref = definition.get("messageRef")
    what = "receive task" if element.kind is ElementKind.RECEIVE_TASK else f"message {role.value}"
    if not ref:
        if required:
            ctx.report.add(
                definition, element.id, f"{_an(what)} must reference a message (messageRef)."
            )
        return None
    message = ctx.messages.get(ref)
    if message is None:
        ctx.report.add(definition, element.id, f"messageRef '{ref}' does not name a bpmn:message.")
        return None
    name = message.get("name", "")
    if not name.strip():
        if required:
            ctx.report.add(message, ref, f"The message used by {element.id} needs a name.")
        return None
    name_expression = ctx.report.expression(message, ref, "message name", name)
    correlation_key = None
    if role in _CATCHING:
        correlation_key = _correlation_key(ctx, message, ref, element.id)
    return MessageDefinition(ref, name_expression, correlation_key)


def _correlation_key(ctx: Context, message: Node, ref: str, element_id: str) -> Expression | None:
    subscription = extension(message, "subscription")
    key = None if subscription is None else subscription.get("correlationKey")
    if subscription is None or key is None or not key.strip():
        ctx.report.add(
            message,
            ref,
            f"The message used by {element_id} needs a zeebe:subscription with a correlationKey.",
        )
        return None
    return ctx.report.expression(subscription, ref, "correlationKey", key, feel_only=True)


def read_message_task(ctx: Context, node: Node, element: Element) -> Element:
    """A receive task: the message it waits for, with name and correlation key."""
    message = _message_reference(ctx, node, element, Role.CATCH, required=True)
    return dataclasses.replace(element, event_type=EventType.MESSAGE, message=message)


def _timer(ctx: Context, node: Node, definition: Node, element: Element, role: Role) -> Element:
    kinds = [
        (kind, child)
        for kind, tag in (
            ("date", "timeDate"),
            ("duration", "timeDuration"),
            ("cycle", "timeCycle"),
        )
        if (child := child_named(definition, bpmn(tag))) is not None
    ]
    if len(kinds) != 1:
        ctx.report.add(
            definition,
            element.id,
            "A timer needs exactly one of timeDate, timeDuration or timeCycle.",
        )
        return element
    kind, value_node = kinds[0]
    if role is Role.CATCH and kind == "cycle":
        ctx.report.add(
            value_node,
            element.id,
            "An intermediate timer catch event needs a timeDuration or a timeDate, not a timeCycle.",
        )
    text = text_of(value_node)
    if not text:
        ctx.report.add(value_node, element.id, f"The timer's time{kind.capitalize()} is empty.")
        return element
    expression = ctx.report.expression(value_node, element.id, f"time{kind.capitalize()}", text)
    if expression.feel is None:
        error = check_timer(kind, text)
        if error is not None:
            ctx.report.add(value_node, element.id, f"Invalid timer {kind}: {error}.")
    return dataclasses.replace(element, timer=TimerDefinition(kind, expression))


def _error(ctx: Context, node: Node, definition: Node, element: Element, role: Role) -> Element:
    ref = definition.get("errorRef")
    error = ctx.errors.get(ref) if ref else None
    if ref and error is None:
        ctx.report.add(definition, element.id, f"errorRef '{ref}' does not name a bpmn:error.")
    code = None if error is None else error.get("errorCode")
    if role is Role.END:
        if not ref:
            ctx.report.add(
                definition, element.id, "An error end event must reference an error (errorRef)."
            )
        elif error is not None and not (code and code.strip()):
            ctx.report.add(error, ref, f"The error thrown by {element.id} needs an errorCode.")
        expression = (
            ctx.report.expression(error, ref, "errorCode", code)
            if error is not None and code
            else None
        )
        return dataclasses.replace(element, error_code=expression)
    if code is not None and code.strip().startswith("="):
        ctx.report.add(
            error if error is not None else definition,
            ref,
            "The errorCode of an error catch event cannot be an expression.",
        )
    return dataclasses.replace(
        element,
        error_code=Expression.of(code) if code and code.strip() else None,
        error_code_variable=_variable(node, definition, "errorCodeVariable"),
        error_message_variable=_variable(node, definition, "errorMessageVariable"),
    )


def _escalation(
    ctx: Context, node: Node, definition: Node, element: Element, role: Role
) -> Element:
    ref = definition.get("escalationRef")
    escalation = ctx.escalations.get(ref) if ref else None
    if ref and escalation is None:
        ctx.report.add(
            definition, element.id, f"escalationRef '{ref}' does not name a bpmn:escalation."
        )
    code = None if escalation is None else escalation.get("escalationCode")
    if role in (Role.THROW, Role.END):
        if not ref:
            ctx.report.add(
                definition,
                element.id,
                f"An escalation {role.value} must reference an escalation (escalationRef).",
            )
        elif escalation is not None and not (code and code.strip()):
            ctx.report.add(
                escalation, ref, f"The escalation thrown by {element.id} needs an escalationCode."
            )
        expression = (
            ctx.report.expression(escalation, ref, "escalationCode", code)
            if escalation is not None and code
            else None
        )
        return dataclasses.replace(element, escalation_code=expression)
    if code is not None and code.strip().startswith("="):
        ctx.report.add(
            escalation if escalation is not None else definition,
            ref,
            "The escalationCode of an escalation catch event cannot be an expression.",
        )
    return dataclasses.replace(
        element,
        escalation_code=Expression.of(code) if code and code.strip() else None,
        escalation_code_variable=_variable(node, definition, "escalationCodeVariable"),
    )


def _variable(node: Node, definition: Node, attribute: str) -> str | None:
    """A ``zeebe:<attribute>`` on the event definition or on a zeebe element of the event."""
    value = definition.get(zeebe_name(attribute))
    if value:
        return value
    container = child_named(node, bpmn("extensionElements"))
    if container is not None:
        for item in children(container):
            if item.get(attribute):
                return item.get(attribute)
    return None


def _signal(ctx: Context, node: Node, definition: Node, element: Element, role: Role) -> Element:
    ref = definition.get("signalRef")
    if not ref:
        ctx.report.add(
            definition, element.id, f"A signal {role.value} must reference a signal (signalRef)."
        )
        return element
    signal = ctx.signals.get(ref)
    if signal is None:
        ctx.report.add(definition, element.id, f"signalRef '{ref}' does not name a bpmn:signal.")
        return element
    name = signal.get("name", "")
    if not name.strip():
        ctx.report.add(signal, ref, f"The signal used by {element.id} needs a name.")
        return element
    return dataclasses.replace(
        element, signal_name=ctx.report.expression(signal, ref, "signal name", name)
    )


def _link(ctx: Context, node: Node, definition: Node, element: Element, role: Role) -> Element:
    name = definition.get("name", "").strip()
    if not name:
        ctx.report.add(definition, element.id, f"A link {role.value} needs a link name.")
        return element
    return dataclasses.replace(element, link_name=name)


def _terminate(ctx: Context, node: Node, definition: Node, element: Element, role: Role) -> Element:
    return element


_READERS = {
    EventType.MESSAGE: _message,
    EventType.TIMER: _timer,
    EventType.ERROR: _error,
    EventType.ESCALATION: _escalation,
    EventType.SIGNAL: _signal,
    EventType.LINK: _link,
    EventType.TERMINATE: _terminate,
}


def _an(noun: str) -> str:
    return indefinite(noun, capital=True)
