"""Scopes: process, embedded subprocess, event subprocess, call activity."""

from __future__ import annotations

from cadenza.kernel import _variables as variables
from cadenza.kernel._elements_tasks import Activity
from cadenza.kernel._expressions import Failure
from cadenza.kernel._flow import Bpmn, register
from cadenza.kernel._intents import PI
from cadenza.kernel._state import ElementInstance
from cadenza.model import ElementKind


def after_child_ended(bpmn: Bpmn, scope: ElementInstance) -> None:
    """A path in ``scope`` ended: finish a terminating scope, run what interrupted it, or
    complete it when nothing is left to do."""
    state = bpmn.state
    if scope.taken_joins and scope.state == PI.ELEMENT_ACTIVATED:
        bpmn.retry_inclusive_joins(scope)
    if state.child_count(scope.key) > 0:
        return
    if scope.state == PI.ELEMENT_TERMINATING:
        bpmn.terminated(scope)
        return
    if scope.state != PI.ELEMENT_ACTIVATED:
        return
    event_id = scope.interrupting_event
    if event_id is not None:
        element = scope.process.model.elements[event_id]
        if element.kind is ElementKind.EVENT_SUB_PROCESS:
            bpmn.activate_child(scope, element)
        else:  # a terminate end event ended the scope
            bpmn.consume_trigger(scope.key, event_id)
            bpmn.complete(scope)
        return
    if scope.active_flows == 0:
        bpmn.complete(scope)


class Scope(Activity):
    """Shared by the containers: children end, the scope follows."""

    def child_completed(self, bpmn: Bpmn, scope: ElementInstance, child: ElementInstance) -> None:
        """A path ended at ``child``."""
        after_child_ended(bpmn, scope)

    def child_terminated(self, bpmn: Bpmn, scope: ElementInstance, child: ElementInstance) -> None:
        """``child`` is gone."""
        after_child_ended(bpmn, scope)

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Wait in ACTIVATED and start the none start event."""
        bpmn.activated(instance)
        start = instance.element.none_start_event
        if start is not None:
            bpmn.activate_child(instance, instance.process.model.elements[start])
        bpmn.events.after_activated(bpmn, instance)

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Close subscriptions and terminate every child; terminated when none is left."""
        bpmn.events.close(bpmn, instance)
        if bpmn.terminate_children(instance) and instance.state == PI.ELEMENT_TERMINATING:
            bpmn.terminated(instance)


@register(ElementKind.PROCESS)
class ProcessScope(Scope):
    """The process instance: starts at the triggered start event or the none start event."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Subscriptions of event subprocesses, then the start event."""
        bpmn.events.close(bpmn, instance)
        if not bpmn.events.open(bpmn, instance):
            return
        bpmn.activated(instance)
        elements = instance.process.model.elements
        triggered = [t.element_id for t in bpmn.state.event_triggers.get(instance.key, ())]
        starts = instance.element.start_events
        instructed = [element_id for element_id in triggered if element_id not in starts]
        if instructed:  # start instructions: these elements instead of the none start event
            for element_id in instructed:
                bpmn.consume_trigger(instance.key, element_id)
                bpmn.activate_child(instance, elements[element_id])
        else:
            start_id = next(
                (s for s in starts if s in triggered), instance.element.none_start_event
            )
            if start_id is not None:
                bpmn.activate_child(instance, elements[start_id])
        bpmn.events.after_activated(bpmn, instance)


@register(ElementKind.SUB_PROCESS)
class SubProcess(Scope):
    """An embedded subprocess."""


@register(ElementKind.EVENT_SUB_PROCESS)
class EventSubProcess(Scope):
    """An event subprocess, activated inside its scope when its start event was triggered."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Hand the trigger's variables to the start event and start it."""
        trigger = bpmn.consume_trigger(instance.parent_key, instance.element.id)
        start_ids = instance.element.start_events
        if not start_ids:
            bpmn.complete(instance)
            return
        start = instance.process.model.elements[start_ids[0]]
        bpmn.trigger(instance.key, start.id, trigger.variables if trigger else None)
        if not bpmn.input_mappings(instance):
            return
        bpmn.events.close(bpmn, instance)
        if not bpmn.events.open(bpmn, instance):
            return
        bpmn.activated(instance)
        bpmn.activate_child(instance, start)
        bpmn.events.after_activated(bpmn, instance)


@register(ElementKind.CALL_ACTIVITY)
class CallActivity(Activity):
    """Starts an instance of another process and completes when it completes."""

    def start_work(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Create the child process instance with the variables it may see."""
        called = instance.element.called_element
        if called is None:
            bpmn.complete(instance)
            return
        process_id = bpmn.evaluator.string(called.process_id, instance.key)
        if isinstance(process_id, Failure):
            bpmn.incident(instance, "EXTRACT_VALUE_ERROR", process_id.message)
            return
        process = bpmn.state.latest_process(process_id)
        if process is None:
            bpmn.incident(
                instance,
                "CALLED_ELEMENT_ERROR",
                f"Expected process with BPMN process id '{process_id}' to be deployed, but "
                "not found.",
            )
            return
        if process.model.root.none_start_event is None:
            bpmn.incident(
                instance,
                "CALLED_ELEMENT_ERROR",
                f"Expected process with BPMN process id '{process_id}' to have a none start "
                "event, but not found.",
            )
            return
        if called.propagate_all_parent_variables:
            values = variables.visible(bpmn.state, instance.key)
        else:
            values = dict(bpmn.state.variables.get(instance.key, {}))
        bpmn.activated(instance)
        bpmn.events.create_instance(bpmn, process, values, parent=instance)
        if instance.key in bpmn.state.elements and instance.is_active:
            bpmn.events.after_activated(bpmn, instance)

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Terminate the child instance first; terminated when it is gone."""
        bpmn.events.close(bpmn, instance)
        child = bpmn.state.elements.get(instance.called_child_key)
        if child is not None:
            bpmn.terminate(child)
            return
        bpmn.terminated(instance)
