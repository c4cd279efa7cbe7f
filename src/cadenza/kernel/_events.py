"""Catch events: opening and closing subscriptions (message, timer, signal), triggering the
catching element, and the search for the catcher of a thrown error or escalation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cadenza.kernel._expressions import Failure
from cadenza.kernel._flow import Bpmn
from cadenza.kernel._intents import Subscription, Timer
from cadenza.kernel._records import ValueType
from cadenza.kernel._state import ElementInstance
from cadenza.model import (
    Element,
    ElementKind,
    EventType,
    TimerDefinition,
    TimerFormatError,
    due_date,
    parse_cycle,
)

_SUBSCRIBING = (EventType.MESSAGE, EventType.TIMER, EventType.SIGNAL)


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch of an aware datetime."""
    return int(moment.timestamp() * 1000)


class Subscriptions:
    """Opens and closes the event subscriptions an element instance owns."""

    def catch_elements(self, bpmn: Bpmn, owner: ElementInstance) -> list[Element]:
        """The catch events whose subscriptions ``owner`` holds while it is active."""
        element = owner.element
        elements = bpmn.state.processes[owner.value["processDefinitionKey"]].model.elements
        result: list[Element] = []
        is_body = owner.value["bpmnElementType"] == "MULTI_INSTANCE_BODY"
        if element.boundary_events and (element.multi_instance is None or is_body):
            result.extend(elements[b] for b in element.boundary_events)
        if is_body:
            return [e for e in result if e.event_type in _SUBSCRIBING or e.message is not None]
        if element.kind is ElementKind.INTERMEDIATE_CATCH_EVENT or (
            element.kind is ElementKind.RECEIVE_TASK
        ):
            result.append(element)
        if element.kind is ElementKind.EVENT_BASED_GATEWAY:
            result.extend(elements[target] for target in element.event_targets)
        for esp_id in element.event_sub_processes:
            esp = elements[esp_id]
            if esp.start_events:
                result.append(elements[esp.start_events[0]])
        return [e for e in result if e.event_type in _SUBSCRIBING]

    def open(self, bpmn: Bpmn, owner: ElementInstance) -> bool:
        """Open every subscription of ``owner``; False (with an incident) on a failure."""
        for catch in self.catch_elements(bpmn, owner):
            if catch.event_type is EventType.TIMER:
                if not self.open_timer(bpmn, owner, catch):
                    return False
            elif catch.message is not None:
                if not self.open_message(bpmn, owner, catch):
                    return False
            elif catch.event_type is EventType.SIGNAL and not self.open_signal(bpmn, owner, catch):
                return False
        return True

    def close(
        self, bpmn: Bpmn, owner: ElementInstance, only_event_sub_processes: bool = False
    ) -> None:
        """Close the subscriptions of ``owner`` (only those of its event subprocesses, if asked)."""
        state = bpmn.state
        ctx = bpmn.ctx
        esp_starts = set()
        if only_event_sub_processes:
            elements = owner.process.model.elements
            esp_starts = {
                elements[e].start_events[0]
                for e in owner.element.event_sub_processes
                if elements[e].start_events
            }
        for key in list(state.subscriptions_by_element.get(owner.key, ())):
            sub = state.subscriptions[key]
            if only_event_sub_processes and sub.value["elementId"] not in esp_starts:
                continue
            ctx.event(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, Subscription.DELETED, key, sub.value)
        for key in list(state.timers_by_element.get(owner.key, ())):
            timer = state.timers[key]
            if only_event_sub_processes and timer.value["targetElementId"] not in esp_starts:
                continue
            ctx.event(ValueType.TIMER, Timer.CANCELED, key, timer.value)
        for key in list(state.signal_by_element.get(owner.key, ())):
            sig = state.signal_subscriptions[key]
            if only_event_sub_processes and sig.value["catchEventId"] not in esp_starts:
                continue
            ctx.event(ValueType.SIGNAL_SUBSCRIPTION, Subscription.DELETED, key, sig.value)

    # -- timers ------------------------------------------------------------------------------
    def timer_due(
        self, bpmn: Bpmn, definition: TimerDefinition, scope_key: int, after: datetime | None = None
    ) -> tuple[int, int] | Failure:
        """(due date ms, repetitions; -1 = forever) of a timer definition evaluated in a scope."""
        text = bpmn.evaluator.value(definition.expression, scope_key)
        if isinstance(text, Failure):
            return text
        if not isinstance(text, str):
            return Failure(
                f"Expected result of the timer expression '{definition.expression.source}' "
                f"to be a string, but was '{text}'."
            )
        now = after or bpmn.evaluator.now
        try:
            due = due_date(definition.kind, text, now)
            repetitions = 1
            if definition.kind == "cycle":
                cycle = parse_cycle(text)
                repetitions = -1 if cycle.repetitions is None else cycle.repetitions
        except (TimerFormatError, ValueError) as error:
            return Failure(f"Invalid timer '{text}': {error}")
        return to_ms(due), repetitions

    def open_timer(self, bpmn: Bpmn, owner: ElementInstance, catch: Element) -> bool:
        """TIMER CREATED for ``catch`` owned by ``owner``."""
        assert catch.timer is not None
        due = self.timer_due(bpmn, catch.timer, owner.key)
        if isinstance(due, Failure):
            bpmn.incident(owner, "EXTRACT_VALUE_ERROR", due.message)
            return False
        self.create_timer(bpmn, owner, catch, due[0], due[1])
        return True

    def create_timer(
        self, bpmn: Bpmn, owner: ElementInstance, catch: Element, due: int, repetitions: int
    ) -> None:
        """Write TIMER CREATED."""
        value = owner.value
        bpmn.ctx.event(
            ValueType.TIMER,
            Timer.CREATED,
            bpmn.ctx.new_key(),
            {
                "elementInstanceKey": owner.key,
                "processInstanceKey": value["processInstanceKey"],
                "processDefinitionKey": value["processDefinitionKey"],
                "dueDate": due,
                "targetElementId": catch.id,
                "repetitions": repetitions,
                "tenantId": value.get("tenantId", "<default>"),
            },
        )

    # -- messages ----------------------------------------------------------------------------
    def open_message(self, bpmn: Bpmn, owner: ElementInstance, catch: Element) -> bool:
        """PROCESS_MESSAGE_SUBSCRIPTION CREATED, then correlate a buffered message if any."""
        definition = catch.message
        assert definition is not None
        name = bpmn.evaluator.string(definition.name, owner.key)
        if isinstance(name, Failure):
            bpmn.incident(owner, "EXTRACT_VALUE_ERROR", name.message)
            return False
        correlation_key = ""
        if definition.correlation_key is not None:
            key = bpmn.evaluator.correlation_key(definition.correlation_key, owner.key)
            if isinstance(key, Failure):
                bpmn.incident(owner, "EXTRACT_VALUE_ERROR", key.message)
                return False
            correlation_key = key
        value = owner.value
        bpmn.ctx.event(
            ValueType.PROCESS_MESSAGE_SUBSCRIPTION,
            Subscription.CREATED,
            bpmn.ctx.new_key(),
            {
                "messageName": name,
                "correlationKey": correlation_key,
                "elementInstanceKey": owner.key,
                "elementId": catch.id,
                "processInstanceKey": value["processInstanceKey"],
                "processDefinitionKey": value["processDefinitionKey"],
                "bpmnProcessId": value["bpmnProcessId"],
                "interrupting": catch.interrupting,
                "tenantId": value.get("tenantId", "<default>"),
            },
        )
        return True

    # -- signals -----------------------------------------------------------------------------
    def open_signal(self, bpmn: Bpmn, owner: ElementInstance, catch: Element) -> bool:
        """SIGNAL_SUBSCRIPTION CREATED for ``catch`` owned by ``owner``."""
        assert catch.signal_name is not None
        name = bpmn.evaluator.string(catch.signal_name, owner.key)
        if isinstance(name, Failure):
            bpmn.incident(owner, "EXTRACT_VALUE_ERROR", name.message)
            return False
        value = owner.value
        bpmn.ctx.event(
            ValueType.SIGNAL_SUBSCRIPTION,
            Subscription.CREATED,
            bpmn.ctx.new_key(),
            {
                "signalName": name,
                "catchElementInstanceKey": owner.key,
                "catchEventId": catch.id,
                "processDefinitionKey": value["processDefinitionKey"],
                "bpmnProcessId": value["bpmnProcessId"],
                "tenantId": value.get("tenantId", "<default>"),
            },
        )
        return True


def event_variables(
    catch: Element, variables: Mapping[str, Any] | None, code: str = "", message: str = ""
) -> dict[str, Any]:
    """The variables a caught error or escalation gives its catch event."""
    result = dict(variables or {})
    if catch.error_code_variable:
        result[catch.error_code_variable] = code
    if catch.error_message_variable:
        result[catch.error_message_variable] = message
    if catch.escalation_code_variable:
        result[catch.escalation_code_variable] = code
    return result
