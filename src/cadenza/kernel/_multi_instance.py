"""The multi-instance body: one inner instance per item of the input collection, in parallel or
in sequence, outputs collected in input order, an optional completion condition.

The evaluated input collection and each collected output are recorded once (MULTI_INSTANCE
events), so the body never rewrites its whole output collection per inner completion: collecting
n outputs costs O(n), not O(n^2)."""

from __future__ import annotations

import re

from cadenza.kernel import _variables as variables
from cadenza.kernel._elements_tasks import Activity
from cadenza.kernel._expressions import Failure
from cadenza.kernel._flow import Bpmn
from cadenza.kernel._intents import PI, MultiInstance
from cadenza.kernel._records import ValueType
from cadenza.kernel._state import ElementInstance

# a variable or a nested property of one: the variable becomes a local of each inner instance
_PATH = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)*\s*$")


class MultiInstanceBody(Activity):
    """Processor of elements of type MULTI_INSTANCE_BODY."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Evaluate the input collection, open boundary subscriptions, start inner instances."""
        if instance.state == PI.ELEMENT_ACTIVATED:  # an incident on the completion condition
            self._after_inner(bpmn, instance)
            return
        loop = instance.element.multi_instance
        assert loop is not None
        items = bpmn.evaluator.collection(loop.input_collection, instance.parent_key)
        if isinstance(items, Failure):
            bpmn.incident(instance, "EXTRACT_VALUE_ERROR", items.message)
            return
        bpmn.events.close(bpmn, instance)
        if not bpmn.events.open(bpmn, instance):
            return
        bpmn.ctx.event(
            ValueType.MULTI_INSTANCE,
            MultiInstance.INPUT_COLLECTION_EVALUATED,
            instance.key,
            {"inputCollection": items, "outputCollection": loop.output_collection or ""},
        )
        bpmn.activated(instance)
        if not items:
            bpmn.complete(instance)
            return
        inner_type = instance.element.kind.value
        count = 1 if loop.sequential else len(items)
        for _ in range(count):
            bpmn.activate_child(instance, instance.element, inner_type)
        bpmn.events.after_activated(bpmn, instance)

    def inner_activating(self, bpmn: Bpmn, body: ElementInstance, inner: ElementInstance) -> None:
        """Before the inner instance's own activation: its loop variables."""
        loop = body.element.multi_instance
        assert loop is not None
        items = bpmn.state.mi_inputs.get(body.key, [])
        index = inner.loop_counter - 1
        if loop.input_element:
            item = items[index] if 0 <= index < len(items) else None
            variables.set_local(bpmn.ctx, inner.key, loop.input_element, item)
        variables.set_local(bpmn.ctx, inner.key, "loopCounter", inner.loop_counter)
        output = loop.output_element
        path = _PATH.match(output.feel) if output is not None and output.feel is not None else None
        if path is not None and path.group(1) not in ("true", "false", "null"):
            name = path.group(1)
            if name not in bpmn.state.variables.get(inner.key, {}):
                variables.set_local(bpmn.ctx, inner.key, name, None)

    def before_inner_completed(
        self, bpmn: Bpmn, body: ElementInstance, inner: ElementInstance
    ) -> bool:
        """Collect the inner instance's output element; False (with an incident) on failure."""
        loop = body.element.multi_instance
        assert loop is not None
        if not loop.output_collection or loop.output_element is None:
            return True
        value = bpmn.evaluator.value(loop.output_element, inner.key)
        if isinstance(value, Failure):
            bpmn.incident(inner, "EXTRACT_VALUE_ERROR", value.message)
            return False
        bpmn.ctx.event(
            ValueType.MULTI_INSTANCE,
            MultiInstance.OUTPUT_COLLECTED,
            body.key,
            {"index": inner.loop_counter - 1, "value": variables.encode(value)},
        )
        return True

    def child_completed(self, bpmn: Bpmn, scope: ElementInstance, child: ElementInstance) -> None:
        """An inner instance completed: the next one, the completion condition, or done."""
        self._after_inner(bpmn, scope)

    def _after_inner(self, bpmn: Bpmn, body: ElementInstance) -> None:
        loop = body.element.multi_instance
        assert loop is not None
        total = len(bpmn.state.mi_inputs.get(body.key, ()))
        if loop.completion_condition is not None:
            active = bpmn.state.child_count(body.key)
            overlay = {
                "numberOfInstances": total,
                "numberOfActiveInstances": active,
                "numberOfCompletedInstances": body.mi_completed,
                "numberOfTerminatedInstances": body.mi_terminated,
            }
            done = bpmn.evaluator.boolean(loop.completion_condition, body.key, overlay)
            if isinstance(done, Failure):
                bpmn.incident(body, "CONDITION_ERROR", done.message)
                return
            if done:
                bpmn.terminate_children(body)
                bpmn.complete(body)
                return
        if loop.sequential and body.mi_next < total:
            bpmn.activate_child(body, body.element, body.element.kind.value)
            return
        if (
            body.mi_completed + body.mi_terminated >= total
            and bpmn.state.child_count(body.key) == 0
        ):
            bpmn.complete(body)

    def child_terminated(self, bpmn: Bpmn, scope: ElementInstance, child: ElementInstance) -> None:
        """An inner instance terminated: a terminating body may be done."""
        if scope.state == PI.ELEMENT_TERMINATING and bpmn.state.child_count(scope.key) == 0:
            bpmn.terminated(scope)

    def complete(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Hand the output collection to the flow scope, close subscriptions, completed."""
        loop = instance.element.multi_instance
        assert loop is not None
        if loop.output_collection:
            outputs = bpmn.state.mi_outputs.get(instance.key)
            collected = list(outputs) if outputs is not None else []
            variables.merge(bpmn.ctx, instance.parent_key, {loop.output_collection: collected})
        bpmn.events.close(bpmn, instance)
        bpmn.completed(instance)

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Close subscriptions and terminate the inner instances."""
        bpmn.events.close(bpmn, instance)
        if bpmn.terminate_children(instance) and instance.state == PI.ELEMENT_TERMINATING:
            bpmn.terminated(instance)
