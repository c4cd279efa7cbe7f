"""The element lifecycle shared by every BPMN element: activate, complete, terminate, take flows.

``Bpmn`` is the behaviour object handed to element processors. It writes the transition events,
applies variable mappings, raises incidents, and walks tokens along sequence flows. What differs
per element kind lives in the processors (``_elements_*.py``), found through ``REGISTRY``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from cadenza.kernel import _variables as variables
from cadenza.kernel._context import Context
from cadenza.kernel._expressions import Evaluator, Failure
from cadenza.kernel._intents import PI, Incident, ProcessEvent
from cadenza.kernel._records import Record, ValueType
from cadenza.kernel._state import DeployedProcess, ElementInstance, EventTrigger
from cadenza.model import Element, ElementKind, SequenceFlow

if TYPE_CHECKING:
    from cadenza.kernel._multi_instance import MultiInstanceBody
    from cadenza.kernel._triggers import Events


class ElementProcessor(Protocol):
    """The lifecycle hooks of one element kind."""

    def activate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Called after ELEMENT_ACTIVATING was written (and again when an incident on the
        activation is resolved). Ends with ``bpmn.activated`` (wait state), ``bpmn.complete``
        (pass-through) or an incident."""

    def complete(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Called after ELEMENT_COMPLETING was written (and again after an incident). Ends with
        ``bpmn.completed`` or an incident."""

    def terminate(self, bpmn: Bpmn, instance: ElementInstance) -> None:
        """Called after ELEMENT_TERMINATING was written. Cleans up (jobs, subscriptions,
        children) and ends with ``bpmn.terminated``, possibly later when children are gone."""


class ContainerProcessor(ElementProcessor, Protocol):
    """An element that holds child element instances (process, subprocess, body, ...)."""

    def child_completed(self, bpmn: Bpmn, scope: ElementInstance, child: ElementInstance) -> None:
        """A child completed and took no sequence flow: the scope may be done."""

    def child_terminated(self, bpmn: Bpmn, scope: ElementInstance, child: ElementInstance) -> None:
        """A child terminated: a terminating scope may be done, an interrupted one goes on."""


REGISTRY: dict[ElementKind, ElementProcessor] = {}
MULTI_INSTANCE_BODY = "MULTI_INSTANCE_BODY"


def register(*kinds: ElementKind) -> Any:
    """Class decorator: the processor for ``kinds`` (one instance is shared)."""

    def wrap(cls: type) -> type:
        for kind in kinds:
            REGISTRY[kind] = cls()
        return cls

    return wrap


class Bpmn:
    """Behaviour shared by element processors, bound to one processing context."""

    __slots__ = ("ctx", "evaluator", "events", "multi_instance", "state")

    def __init__(self, ctx: Context, events: Events, multi_instance: MultiInstanceBody) -> None:
        self.ctx = ctx
        self.state = ctx.state
        self.evaluator = Evaluator(ctx.state, ctx.now)
        self.events = events
        self.multi_instance = multi_instance

    # -- processors --------------------------------------------------------------------------
    def processor(self, instance: ElementInstance) -> ElementProcessor:
        """The processor of an element instance (its kind, or the multi-instance body)."""
        if instance.value["bpmnElementType"] == MULTI_INSTANCE_BODY:
            return self.multi_instance
        processor = REGISTRY.get(instance.element.kind)
        if processor is None:
            raise LookupError(f"no processor registered for {instance.element.kind}")
        return processor

    def container(self, instance: ElementInstance) -> ContainerProcessor:
        """The processor of a scope, which must be a container."""
        processor = self.processor(instance)
        assert hasattr(processor, "child_completed"), instance.element.kind
        return processor  # type: ignore[return-value]

    # -- activation --------------------------------------------------------------------------
    def element_value(
        self,
        process: DeployedProcess,
        element: Element,
        scope: ElementInstance | None,
        element_type: str | None = None,
    ) -> dict[str, Any]:
        """The PROCESS_INSTANCE record value of a new element instance inside ``scope``."""
        if scope is None:
            raise ValueError("a process instance value is built by the creation processor")
        value = dict(scope.value)
        value["elementId"] = element.id
        value["flowScopeKey"] = scope.key
        value["bpmnElementType"] = element_type or element.kind.value
        value["bpmnEventType"] = element.event_type.value
        return value

    def activate_child(
        self, scope: ElementInstance, element: Element, element_type: str | None = None
    ) -> int:
        """Queue the activation of ``element`` inside ``scope``; returns the new key."""
        key = self.ctx.new_key()
        if (
            element.multi_instance is not None
            and element_type is None
            and (
                scope.element is not element
                or scope.value["bpmnElementType"] != MULTI_INSTANCE_BODY
            )
        ):
            element_type = MULTI_INSTANCE_BODY
        value = self.element_value(scope.process, element, scope, element_type)
        self.ctx.command(ValueType.PROCESS_INSTANCE, PI.ACTIVATE_ELEMENT, key, value)
        return key

    def start_activation(self, command: Record) -> None:
        """Process ACTIVATE_ELEMENT: ELEMENT_ACTIVATING, then the processor's activate hook."""
        value = command.value
        scope_key = value["flowScopeKey"]
        scope = None
        if scope_key != -1:
            scope = self.state.elements.get(scope_key)
            if scope is None or scope.state != PI.ELEMENT_ACTIVATED:
                return  # the scope ended or is terminating: the token is gone with it
            if scope.interrupting_event is not None and not self._may_enter(scope, value):
                return
        self.ctx.event(ValueType.PROCESS_INSTANCE, PI.ELEMENT_ACTIVATING, command.key, value)
        instance = self.state.elements[command.key]
        if scope is not None and scope.element is instance.element:
            self.multi_instance.inner_activating(self, scope, instance)
        self.processor(instance).activate(self, instance)

    def _may_enter(self, scope: ElementInstance, value: Mapping[str, Any]) -> bool:
        element_id = value["elementId"]
        if element_id == scope.interrupting_event:
            return True
        # the boundary event of an interrupted child activates after the child is gone
        element = scope.process.model.elements.get(element_id)
        return element is not None and element.kind is ElementKind.BOUNDARY_EVENT

    def activated(self, instance: ElementInstance) -> None:
        """Write ELEMENT_ACTIVATED: the element waits (job, message, timer, children)."""
        self.ctx.event(
            ValueType.PROCESS_INSTANCE, PI.ELEMENT_ACTIVATED, instance.key, instance.value
        )

    def input_mappings(self, instance: ElementInstance) -> bool:
        """Apply ``zeebe:input`` mappings as locals; False (and an incident) on failure."""
        mappings = instance.element.inputs
        if not mappings:
            return True
        results: dict[str, Any] = {}
        for mapping in mappings:
            value = self.evaluator.value(mapping.source, instance.key, results)
            if isinstance(value, Failure):
                self.incident(instance, "IO_MAPPING_ERROR", value.message)
                return False
            _assign_path(results, mapping.target, value)
        variables.set_locals(self.ctx, instance.key, results)
        return True

    # -- completion --------------------------------------------------------------------------
    def complete(
        self, instance: ElementInstance, event_variables: Mapping[str, Any] | None = None
    ) -> None:
        """Start completing: ELEMENT_COMPLETING, event variables, then the complete hook."""
        if instance.state not in (PI.ELEMENT_ACTIVATING, PI.ELEMENT_ACTIVATED):
            return
        if instance.state == PI.ELEMENT_ACTIVATING:
            self.activated(instance)
        self.ctx.event(
            ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETING, instance.key, instance.value
        )
        if event_variables:
            self.apply_event_variables(instance, event_variables)
        self.processor(instance).complete(self, instance)

    def apply_event_variables(self, instance: ElementInstance, values: Mapping[str, Any]) -> None:
        """Variables a job, message, signal or decision delivered to an element: local when the
        element has output mappings (they pick what goes up), else propagated from it."""
        if instance.element.outputs:
            variables.set_locals(self.ctx, instance.key, values)
        else:
            variables.merge(self.ctx, instance.key, values)

    def output_mappings(self, instance: ElementInstance) -> bool:
        """Apply ``zeebe:output`` mappings into the flow scope; False (and an incident) on
        failure."""
        mappings = instance.element.outputs
        if not mappings:
            return True
        results: dict[str, Any] = {}
        for mapping in mappings:
            value = self.evaluator.value(mapping.source, instance.key, results)
            if isinstance(value, Failure):
                self.incident(instance, "IO_MAPPING_ERROR", value.message)
                return False
            _assign_path(results, mapping.target, value, self._current(instance, mapping.target))
        # an inner instance of a multi-instance body writes to its own scope, where its
        # output element lives; other elements write to their flow scope
        parent = self.state.elements.get(instance.parent_key)
        inner = parent is not None and parent.element is instance.element
        target_scope = instance.key if inner or parent is None else instance.parent_key
        variables.merge(self.ctx, target_scope, results)
        return True

    def _current(self, instance: ElementInstance, target: str) -> Any:
        if "." not in target:
            return None
        found, value = self.state.variable(instance.parent_key, target.split(".", 1)[0])
        return value if found else None

    def completed(
        self, instance: ElementInstance, take_flows: bool = True, jump_to: Element | None = None
    ) -> None:
        """ELEMENT_COMPLETED, then the outgoing flows (or ``jump_to``, for link events), or
        tell the scope this path ended."""
        if instance.parent_key == -1:
            self._root_completed(instance)
            return
        scope = self.state.elements.get(instance.parent_key)
        if (
            scope is not None
            and scope.element is instance.element
            and not self.multi_instance.before_inner_completed(self, scope, instance)
        ):
            return
        self.ctx.event(
            ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETED, instance.key, instance.value
        )
        if scope is not None and jump_to is not None:
            self.activate_child(scope, jump_to)
            return
        if take_flows and scope is not None and self.take_outgoing(instance, scope):
            return
        if scope is not None:
            self.container(scope).child_completed(self, scope, instance)

    def _root_completed(self, root: ElementInstance) -> None:
        state = self.state
        wanted = root.key in state.awaiting_results or root.value["parentElementInstanceKey"] != -1
        values = variables.visible(state, root.key) if wanted else {}
        correlation = state.instance_correlation_keys.get(root.key)
        self.ctx.event(ValueType.PROCESS_INSTANCE, PI.ELEMENT_COMPLETED, root.key, root.value)
        self.events.root_completed(self, root, values, correlation)

    def take_outgoing(self, instance: ElementInstance, scope: ElementInstance) -> bool:
        """Take every outgoing flow of an activity or event (implicit parallel split)."""
        outgoing = instance.element.outgoing
        if not outgoing or instance.value["flowScopeKey"] != scope.key:
            return False
        if scope.element is instance.element:
            return False  # inner instances of a multi-instance body end inside the body
        flows = instance.process.model.flows
        for flow_id in outgoing:
            self.take_flow(scope, flows[flow_id])
        return True

    def take_flow(self, scope: ElementInstance, flow: SequenceFlow) -> None:
        """SEQUENCE_FLOW_TAKEN, then activate the target (or count the token at a join)."""
        value = dict(scope.value)
        value["elementId"] = flow.id
        value["flowScopeKey"] = scope.key
        value["bpmnElementType"] = "SEQUENCE_FLOW"
        value["bpmnEventType"] = "UNSPECIFIED"
        self.ctx.event(
            ValueType.PROCESS_INSTANCE, PI.SEQUENCE_FLOW_TAKEN, self.ctx.new_key(), value
        )
        target = scope.process.model.elements[flow.target]
        if target.kind in (ElementKind.PARALLEL_GATEWAY, ElementKind.INCLUSIVE_GATEWAY) and (
            len(target.incoming) > 1
        ):
            self.try_join(scope, target)
            return
        self.activate_child(scope, target)

    def try_join(self, scope: ElementInstance, gateway: Element) -> None:
        """Activate a joining gateway once the tokens it waits for have arrived."""
        joins = scope.taken_joins.get(gateway.id)
        if not joins:
            return
        if gateway.kind is ElementKind.PARALLEL_GATEWAY:
            if all(joins.get(flow_id, 0) > 0 for flow_id in gateway.incoming):
                self.activate_child(scope, gateway)
            return
        if not self.events.can_reach(self, scope, gateway, set(joins)):
            self.activate_child(scope, gateway)

    def retry_inclusive_joins(self, scope: ElementInstance) -> None:
        """A path in ``scope`` ended: an inclusive join may no longer wait for it."""
        for gateway_id in list(scope.taken_joins):
            gateway = scope.process.model.elements[gateway_id]
            if gateway.kind is ElementKind.INCLUSIVE_GATEWAY:
                self.try_join(scope, gateway)

    # -- termination -------------------------------------------------------------------------
    def terminate(self, instance: ElementInstance) -> None:
        """ELEMENT_TERMINATING, resolve its incidents, then the terminate hook."""
        if instance.state in (PI.ELEMENT_TERMINATING, PI.ELEMENT_TERMINATED, PI.ELEMENT_COMPLETED):
            return
        self.ctx.event(
            ValueType.PROCESS_INSTANCE, PI.ELEMENT_TERMINATING, instance.key, instance.value
        )
        self.resolve_incidents(instance)
        self.processor(instance).terminate(self, instance)

    def terminate_children(self, scope: ElementInstance) -> bool:
        """Terminate every child of ``scope``; True when none was left to terminate."""
        children = self.state.children_of(scope.key)
        for child in children:
            self.terminate(child)
        return self.state.child_count(scope.key) == 0

    def terminated(self, instance: ElementInstance) -> None:
        """ELEMENT_TERMINATED, then an interrupting boundary event, or tell the scope."""
        boundary = instance.interrupting_event
        correlation = self.state.instance_correlation_keys.get(instance.key)
        self.ctx.event(
            ValueType.PROCESS_INSTANCE, PI.ELEMENT_TERMINATED, instance.key, instance.value
        )
        scope = self.state.elements.get(instance.parent_key)
        if scope is None:
            self.events.root_terminated(self, instance, correlation)
            return
        if boundary is not None:
            element = instance.process.model.elements[boundary]
            if element.kind is ElementKind.BOUNDARY_EVENT:
                self.activate_child(scope, element)
                return
        self.container(scope).child_terminated(self, scope, instance)

    # -- incidents ---------------------------------------------------------------------------
    def incident(
        self, instance: ElementInstance, error_type: str, message: str, job_key: int = -1
    ) -> None:
        """Raise an incident on ``instance``; the element waits until it is resolved."""
        value = instance.value
        self.ctx.event(
            ValueType.INCIDENT,
            Incident.CREATED,
            self.ctx.new_key(),
            {
                "errorType": error_type,
                "errorMessage": message,
                "bpmnProcessId": value["bpmnProcessId"],
                "processDefinitionKey": value["processDefinitionKey"],
                "processInstanceKey": value["processInstanceKey"],
                "elementId": value["elementId"],
                "elementInstanceKey": instance.key,
                "jobKey": job_key,
                "variableScopeKey": instance.key,
                "tenantId": value.get("tenantId", "<default>"),
            },
        )

    def resolve_incidents(self, instance: ElementInstance) -> None:
        """Resolve the incidents of an element instance and of its job (it is going away)."""
        keys = [self.state.incident_by_element.get(instance.key)]
        if instance.job_key != -1:
            keys.append(self.state.incident_by_job.get(instance.job_key))
        for key in keys:
            if key is not None:
                incident = self.state.incidents[key]
                self.ctx.event(ValueType.INCIDENT, Incident.RESOLVED, key, incident)

    # -- event triggers ----------------------------------------------------------------------
    def trigger(
        self,
        scope_key: int,
        element_id: str,
        event_variables: Mapping[str, Any] | None,
        interrupted_key: int = -1,
    ) -> None:
        """Record that ``element_id`` was triggered in ``scope_key`` with variables."""
        value: dict[str, Any] = {
            "scopeKey": scope_key,
            "elementId": element_id,
            "variables": dict(event_variables or {}),
            "interruptedKey": interrupted_key,
        }
        self.ctx.event(ValueType.PROCESS_EVENT, ProcessEvent.TRIGGERING, self.ctx.new_key(), value)

    def consume_trigger(self, scope_key: int, element_id: str) -> EventTrigger | None:
        """Take the pending trigger of ``element_id`` in ``scope_key`` (TRIGGERED), if any."""
        for trigger in self.state.event_triggers.get(scope_key, ()):
            if trigger.element_id == element_id:
                interrupted = -1
                scope = self.state.elements.get(scope_key)
                if scope is not None and scope.interrupting_event == element_id:
                    interrupted = scope_key
                self.ctx.event(
                    ValueType.PROCESS_EVENT,
                    ProcessEvent.TRIGGERED,
                    trigger.key,
                    {
                        "scopeKey": scope_key,
                        "elementId": element_id,
                        "variables": trigger.variables,
                        "interruptedKey": interrupted,
                    },
                )
                return trigger
        return None


def _assign_path(results: dict[str, Any], target: str, value: Any, existing: Any = None) -> None:
    """Set ``target`` (``a`` or ``a.b.c``) in ``results``, creating nested contexts."""
    if "." not in target:
        results[target] = value
        return
    head, *rest = target.split(".")
    node = results.get(head)
    if not isinstance(node, dict):
        node = dict(existing) if isinstance(existing, dict) else {}
        results[head] = node
    for part in rest[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[rest[-1]] = value
