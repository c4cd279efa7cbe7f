"""Gateways: exclusive, parallel, inclusive (fork and join), event-based."""

from __future__ import annotations

from cadenza.kernel._expressions import Failure
from cadenza.kernel._flow import Bpmn, register
from cadenza.kernel._intents import PI
from cadenza.kernel._records import ValueType
from cadenza.kernel._state import ElementInstance
from cadenza.model import ElementKind, SequenceFlow

_NO_FLOW = "Expected at least one condition to evaluate to true, or to have a default flow"


def _conditions(
    bpmn: Bpmn, instance: ElementInstance, first_only: bool
) -> list[SequenceFlow] | Failure:
    """The outgoing flows to take: conditions in document order, else the default flow."""
    element = instance.element
    flows = instance.process.model.flows
    taken: list[SequenceFlow] = []
    for flow_id in element.outgoing:
        if flow_id == element.default_flow:
            continue
        flow = flows[flow_id]
        if flow.condition is None:
            taken.append(flow)
        else:
            result = bpmn.evaluator.boolean(flow.condition, instance.parent_key)
            if isinstance(result, Failure):
                return result
            if result:
                taken.append(flow)
        if taken and first_only:
            return taken
    if not taken and element.default_flow is not None:
        taken.append(flows[element.default_flow])
    if not taken and element.outgoing:
        return Failure(_NO_FLOW)
    return taken


class Gateway:
    """Gateways have no mappings and no subscriptions (except the event-based one)."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Pass through: every outgoing flow is taken."""
        bpmn.complete(instance)

    def complete(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Completed, taking the outgoing flows."""
        bpmn.completed(instance)

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Nothing to clean up."""
        bpmn.terminated(instance)


def _leave(bpmn: Bpmn, instance: ElementInstance, flows: list[SequenceFlow]) -> None:
    """Activated, completing, completed, then take exactly ``flows``."""
    ctx = bpmn.ctx
    ctx.event(ValueType.PROCESS_INSTANCE, PI.ELEMENT_ACTIVATED, instance.key, instance.value)
    ctx.event(ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETING, instance.key, instance.value)
    if not flows:
        bpmn.completed(instance)
        return
    ctx.event(ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETED, instance.key, instance.value)
    scope = bpmn.state.elements[instance.parent_key]
    for flow in flows:
        bpmn.take_flow(scope, flow)


@register(ElementKind.EXCLUSIVE_GATEWAY)
class ExclusiveGateway(Gateway):
    """Takes the first flow whose condition is true, else the default flow, else an incident."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Choose the flow now; an incident when none can be chosen."""
        flows = _conditions(bpmn, instance, first_only=True)
        if isinstance(flows, Failure):
            bpmn.incident(instance, "CONDITION_ERROR", flows.message)
            return
        _leave(bpmn, instance, flows)


@register(ElementKind.INCLUSIVE_GATEWAY)
class InclusiveGateway(Gateway):
    """Takes every flow whose condition is true (the join waits in ``Bpmn.try_join``)."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Choose the flows now; an incident when none can be chosen."""
        flows = _conditions(bpmn, instance, first_only=False)
        if isinstance(flows, Failure):
            bpmn.incident(instance, "CONDITION_ERROR", flows.message)
            return
        _leave(bpmn, instance, flows)


@register(ElementKind.PARALLEL_GATEWAY)
class ParallelGateway(Gateway):
    """Forks to every outgoing flow; joins once every incoming flow delivered a token."""


@register(ElementKind.EVENT_BASED_GATEWAY)
class EventBasedGateway(Gateway):
    """Waits for the first of its target events; the others are closed."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Open the subscriptions of every target event and wait."""
        bpmn.events.close(bpmn, instance)
        if not bpmn.events.open(bpmn, instance):
            return
        bpmn.activated(instance)
        bpmn.events.after_activated(bpmn, instance)

    def complete(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Take the flow to the event that occurred."""
        triggered = {t.element_id for t in bpmn.state.event_triggers.get(instance.parent_key, ())}
        flows = instance.process.model.flows
        chosen = [
            flows[flow_id]
            for flow_id in instance.element.outgoing
            if flows[flow_id].target in triggered
        ][:1]
        bpmn.ctx.event(
            ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETED, instance.key, instance.value
        )
        scope = bpmn.state.elements[instance.parent_key]
        for flow in chosen:
            bpmn.take_flow(scope, flow)

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Close the subscriptions."""
        bpmn.events.close(bpmn, instance)
        bpmn.terminated(instance)
