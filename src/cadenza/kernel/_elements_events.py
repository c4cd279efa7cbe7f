"""Events: start, end, intermediate catch and throw, boundary."""

from __future__ import annotations

from cadenza.kernel import _variables as variables
from cadenza.kernel._elements_tasks import Activity, cancel_work, create_job
from cadenza.kernel._expressions import Failure
from cadenza.kernel._flow import Bpmn, register
from cadenza.kernel._records import ValueType
from cadenza.kernel._state import ElementInstance
from cadenza.model import Element, ElementKind, EventType

_LOCAL_VARIABLES = (EventType.ERROR, EventType.ESCALATION)


def _consume(bpmn: Bpmn, instance: ElementInstance) -> dict[str, object] | None:
    """The variables of the trigger that activated this event, if one did."""
    trigger = bpmn.consume_trigger(instance.parent_key, instance.element.id)
    return trigger.variables if trigger is not None else None


@register(ElementKind.START_EVENT)
class StartEvent(Activity):
    """A start event: passes through, with the variables of the event that started it."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Take the trigger's variables (message, signal, timer, error...) and complete."""
        values = _consume(bpmn, instance)
        if values and instance.element.event_type in _LOCAL_VARIABLES:
            # error and escalation variables stay local to the catch event: only its output
            # mappings carry them into the process (docs.camunda.io, "Error events")
            variables.set_locals(bpmn.ctx, instance.key, values)
            values = None
        bpmn.complete(instance, values)


@register(ElementKind.BOUNDARY_EVENT)
class BoundaryEvent(StartEvent):
    """A boundary event, activated in the flow scope of its activity once triggered."""


@register(ElementKind.END_EVENT)
class EndEvent(Activity):
    """None, error, escalation, terminate, signal and message (job) end events."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Throw what the event throws."""
        if instance.state == "ELEMENT_ACTIVATED" and instance.job_key == -1:
            self._start(bpmn, instance)
            return
        if not bpmn.input_mappings(instance):
            return
        self._start(bpmn, instance)

    def _start(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        element = instance.element
        if element.job is not None:  # message end event
            if instance.state != "ELEMENT_ACTIVATED":
                bpmn.activated(instance)
            create_job(bpmn, instance, element.job)
            return
        if element.event_type is EventType.ERROR:
            self._throw_error(bpmn, instance)
            return
        if element.event_type is EventType.ESCALATION:
            if instance.state != "ELEMENT_ACTIVATED":  # not again when an incident is resolved
                bpmn.activated(instance)
            code = _static_or_eval(bpmn, instance, element, "escalation")
            if code is None:
                return
            bpmn.events.throw_escalation(bpmn, instance, code)
            if instance.key in bpmn.state.elements and instance.is_active:
                bpmn.complete(instance)
            return
        if element.event_type is EventType.SIGNAL and not _broadcast(bpmn, instance):
            return
        bpmn.complete(instance)

    def _throw_error(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        if instance.state != "ELEMENT_ACTIVATED":  # not again when an incident is resolved
            bpmn.activated(instance)
        code = _static_or_eval(bpmn, instance, instance.element, "error")
        if code is None:
            return
        # the end event's own variables (its input mappings) travel with the error
        payload = dict(bpmn.state.variables.get(instance.key, {}))
        if not bpmn.events.throw_error(bpmn, instance, code, "", payload):
            bpmn.incident(
                instance,
                "UNHANDLED_ERROR_EVENT",
                f"Expected to throw an error event with the code '{code}', but it was not "
                "caught. No error events are available in the scope.",
            )

    def complete(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Output mappings; a terminate end event ends its whole scope."""
        if not bpmn.output_mappings(instance):
            return
        if instance.element.event_type is EventType.TERMINATE:
            scope = bpmn.state.elements[instance.parent_key]
            bpmn.trigger(scope.key, instance.element.id, None, interrupted_key=scope.key)
            for sibling in bpmn.state.children_of(scope.key):
                if sibling.key != instance.key:
                    bpmn.terminate(sibling)
        bpmn.completed(instance)

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Cancel a message end event's job."""
        cancel_work(bpmn, instance)
        bpmn.terminated(instance)


@register(ElementKind.INTERMEDIATE_THROW_EVENT)
class IntermediateThrowEvent(EndEvent):
    """None (mappings only), message (job), signal, escalation and link throw events."""

    def _start(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        element = instance.element
        if element.event_type is EventType.LINK:
            bpmn.complete(instance)
            return
        super()._start(bpmn, instance)

    def complete(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """A link throw continues at its catch event in the same scope."""
        if not bpmn.output_mappings(instance):
            return
        if instance.element.event_type is EventType.LINK:
            bpmn.completed(instance, jump_to=_link_target(instance))
            return
        bpmn.completed(instance)


def _link_target(instance: ElementInstance) -> Element | None:
    model = instance.process.model
    name = instance.element.link_name
    for element in model.elements.values():
        if (
            element.kind is ElementKind.INTERMEDIATE_CATCH_EVENT
            and element.event_type is EventType.LINK
            and element.link_name == name
            and element.scope_id == instance.element.scope_id
        ):
            return element
    return None


@register(ElementKind.INTERMEDIATE_CATCH_EVENT)
class IntermediateCatchEvent(Activity):
    """Message, timer and signal catch events wait; a link catch event passes through; after
    an event-based gateway the event already happened."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Wait for the event, unless it already occurred."""
        if instance.element.event_type is EventType.LINK:
            bpmn.complete(instance)
            return
        values = _consume(bpmn, instance)
        if values is not None:
            bpmn.complete(instance, values)
            return
        super().activate(bpmn, instance)

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Wait for the message, timer or signal."""
        self.wait(bpmn, instance)


def _static_or_eval(
    bpmn: Bpmn, instance: ElementInstance, element: Element, what: str
) -> str | None:
    expression = element.error_code if what == "error" else element.escalation_code
    if expression is None:
        return ""
    code = bpmn.evaluator.string(expression, instance.key)
    if isinstance(code, Failure):
        bpmn.incident(instance, "EXTRACT_VALUE_ERROR", code.message)
        return None
    return code


def _broadcast(bpmn: Bpmn, instance: ElementInstance) -> bool:
    name_expression = instance.element.signal_name
    if name_expression is None:
        return True
    name = bpmn.evaluator.string(name_expression, instance.key)
    if isinstance(name, Failure):
        bpmn.incident(instance, "EXTRACT_VALUE_ERROR", name.message)
        return False
    values = dict(bpmn.state.variables.get(instance.key, {}))
    signal = {"signalName": name, "variables": values, "tenantId": "<default>"}
    bpmn.ctx.event(ValueType.SIGNAL, "BROADCASTED", bpmn.ctx.new_key(), signal)
    bpmn.events.broadcast(bpmn, name, values)
    return True
