"""What happens when an event occurs: a message correlates, a timer fires, a signal arrives, an
error or escalation is thrown; and how process instances start and end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cadenza.kernel import _variables as variables
from cadenza.kernel._events import Subscriptions, event_variables
from cadenza.kernel._flow import Bpmn
from cadenza.kernel._intents import PI, Creation, Message, Result, Subscription, Timer
from cadenza.kernel._records import Record, RecordType, RejectionType, ValueType
from cadenza.kernel._state import DeployedProcess, ElementInstance
from cadenza.kernel._throw import Catch, find_catch, reachable_flows
from cadenza.model import Element, ElementKind, EventType


class Events(Subscriptions):
    """Event triggering, correlation and process instance start/end (one shared instance)."""

    # -- triggering a catch event ------------------------------------------------------------
    def trigger_catch(
        self,
        bpmn: Bpmn,
        owner: ElementInstance,
        catch: Element,
        values: Mapping[str, Any] | None,
    ) -> None:
        """``catch`` (held by ``owner``) occurred with ``values``."""
        if catch is owner.element:  # intermediate catch event or receive task
            self.close(bpmn, owner)
            bpmn.complete(owner, values)
        elif owner.element.kind is ElementKind.EVENT_BASED_GATEWAY:
            self.close(bpmn, owner)
            bpmn.trigger(owner.parent_key, catch.id, values)
            bpmn.complete(owner)
        elif catch.kind is ElementKind.BOUNDARY_EVENT:
            scope = bpmn.state.elements[owner.parent_key]
            if catch.interrupting:
                self.close(bpmn, owner)
                bpmn.trigger(scope.key, catch.id, values, interrupted_key=owner.key)
                bpmn.terminate(owner)
            else:
                bpmn.trigger(scope.key, catch.id, values)
                bpmn.activate_child(scope, catch)
        else:  # the start event of an event subprocess of ``owner``
            self.start_event_sub_process(bpmn, owner, catch, values)

    def start_event_sub_process(
        self, bpmn: Bpmn, scope: ElementInstance, start: Element, values: Mapping[str, Any] | None
    ) -> None:
        """Trigger the event subprocess that ``start`` begins, inside ``scope``."""
        esp = scope.process.model.elements[start.scope_id or ""]
        if not start.interrupting:
            bpmn.trigger(scope.key, esp.id, values)
            bpmn.activate_child(scope, esp)
            return
        self.close(bpmn, scope, only_event_sub_processes=True)
        had_children = bpmn.state.child_count(scope.key) > 0
        bpmn.trigger(scope.key, esp.id, values, interrupted_key=scope.key)
        bpmn.terminate_children(scope)
        if not had_children:
            bpmn.activate_child(scope, esp)

    def after_activated(self, bpmn: Bpmn, owner: ElementInstance) -> None:
        """Correlate buffered messages to the subscriptions ``owner`` just opened."""
        for key in list(bpmn.state.subscriptions_by_element.get(owner.key, ())):
            if not owner.is_active or owner.key not in bpmn.state.elements:
                return
            if key in bpmn.state.subscriptions:
                self.correlate_buffered(bpmn, key)

    # -- messages ----------------------------------------------------------------------------
    def correlate(self, bpmn: Bpmn, subscription_key: int, message_key: int, values: Any) -> None:
        """Correlate a message to an open subscription and trigger its catch event."""
        subscription = bpmn.state.subscriptions[subscription_key]
        value = dict(subscription.value)
        value["messageKey"] = message_key
        value["variables"] = values or {}
        bpmn.ctx.event(
            ValueType.PROCESS_MESSAGE_SUBSCRIPTION, Subscription.CORRELATED, subscription_key, value
        )
        owner = bpmn.state.elements[value["elementInstanceKey"]]
        catch = owner.process.model.elements[value["elementId"]]
        self.trigger_catch(bpmn, owner, catch, values)

    def correlate_buffered(self, bpmn: Bpmn, subscription_key: int) -> None:
        """Give a new subscription the oldest live buffered message it has not had yet."""
        state = bpmn.state
        subscription = state.subscriptions[subscription_key].value
        queue = state.messages_by_name.get(
            (subscription["messageName"], subscription["correlationKey"])
        )
        for message_key in list(queue or ()):
            message = state.messages[message_key]
            if message.deadline <= bpmn.ctx.now:
                continue
            if subscription["bpmnProcessId"] in message.correlated_processes:
                continue
            self.correlate(bpmn, subscription_key, message_key, message.value.get("variables"))
            return

    def publish(self, bpmn: Bpmn, command: Record) -> None:
        """MESSAGE PUBLISH: answer, correlate to open subscriptions and start events, buffer."""
        state = bpmn.state
        value = dict(command.value)
        value.setdefault("correlationKey", "")
        value.setdefault("timeToLive", 0)
        value.setdefault("messageId", "")
        value.setdefault("variables", {})
        value.setdefault("tenantId", "<default>")
        name, correlation_key = value.get("name", ""), value["correlationKey"]
        if not name:
            bpmn.ctx.reject(command, RejectionType.INVALID_ARGUMENT, "Expected a message name.")
            return
        if value["messageId"] and (name, correlation_key, value["messageId"]) in state.message_ids:
            bpmn.ctx.reject(
                command,
                RejectionType.ALREADY_EXISTS,
                f"Expected to publish a new message with id '{value['messageId']}', but a "
                "message with that id was already published",
            )
            return
        value["deadline"] = bpmn.ctx.now + value["timeToLive"] if value["timeToLive"] > 0 else -1
        key = bpmn.ctx.new_key()
        published = bpmn.ctx.event(ValueType.MESSAGE, Message.PUBLISHED, key, value)
        bpmn.ctx.respond(command, published)
        self.correlate_published(bpmn, key, value)

    def correlate_published(self, bpmn: Bpmn, message_key: int, message: dict[str, Any]) -> None:
        """Correlate a just published message: one subscription per process id, and starts."""
        state = bpmn.state
        name, correlation_key = message["name"], message["correlationKey"]
        done: set[str] = set()
        for subscription_key in list(state.subscriptions_by_name.get((name, correlation_key), ())):
            subscription = state.subscriptions.get(subscription_key)
            if subscription is None or subscription.value["bpmnProcessId"] in done:
                continue
            done.add(subscription.value["bpmnProcessId"])
            self.correlate(bpmn, subscription_key, message_key, message.get("variables"))
        for definition_key, start_id in list(state.message_start_events.get(name, {}).items()):
            process = state.processes[definition_key]
            if process.bpmn_process_id in done:
                continue
            if correlation_key and (
                (process.bpmn_process_id, correlation_key) in state.message_start_instances
            ):
                continue
            done.add(process.bpmn_process_id)
            self.start_by_message(bpmn, process, start_id, message_key, message)

    def start_by_message(
        self,
        bpmn: Bpmn,
        process: DeployedProcess,
        start_id: str,
        message_key: int,
        message: Mapping[str, Any],
    ) -> None:
        """Create an instance at a message start event."""
        self._start_with_key(bpmn, process, start_id, message_key, message, bpmn.ctx.new_key())

    def _start_with_key(
        self,
        bpmn: Bpmn,
        process: DeployedProcess,
        start_id: str,
        message_key: int,
        message: Mapping[str, Any],
        instance_key: int,
    ) -> None:
        bpmn.ctx.event(
            ValueType.MESSAGE_START_EVENT_SUBSCRIPTION,
            Subscription.CORRELATED,
            bpmn.ctx.new_key(),
            {
                "processDefinitionKey": process.key,
                "bpmnProcessId": process.bpmn_process_id,
                "startEventId": start_id,
                "messageName": message["name"],
                "messageKey": message_key,
                "correlationKey": message.get("correlationKey", ""),
                "processInstanceKey": instance_key,
                "variables": message.get("variables") or {},
                "tenantId": process.tenant_id,
            },
        )
        self.create_instance(
            bpmn, process, {}, start_id, message.get("variables") or {}, key=instance_key
        )

    def message_start_ended(
        self, bpmn: Bpmn, root: ElementInstance, correlation: tuple[str, str] | None
    ) -> None:
        """An instance started by a keyed message ended: a buffered message with that key may
        start the next one."""
        if correlation is None:
            return
        state = bpmn.state
        process = state.latest_process(correlation[0])
        if process is None:
            return
        for name, registrations in state.message_start_events.items():
            start_id = registrations.get(process.key)
            if start_id is None:
                continue
            for message_key in list(state.messages_by_name.get((name, correlation[1]), ())):
                message = state.messages[message_key]
                if message.deadline <= bpmn.ctx.now:
                    continue
                if process.bpmn_process_id in message.correlated_processes:
                    continue
                self.start_by_message(bpmn, process, start_id, message_key, message.value)
                return

    def correlate_now(self, bpmn: Bpmn, command: Record) -> None:
        """MESSAGE CORRELATE (REST ``/messages/correlation``): correlate to the first open
        subscription or message start event now, never buffered; NOT_FOUND when none waits."""
        state = bpmn.state
        name = str(command.value.get("name") or "")
        correlation_key = str(command.value.get("correlationKey") or "")
        values = command.value.get("variables") or {}
        if not name:
            bpmn.ctx.reject(command, RejectionType.INVALID_ARGUMENT, "Expected a message name.")
            return
        message_key = bpmn.ctx.new_key()
        answer: dict[str, Any] = {
            "name": name,
            "correlationKey": correlation_key,
            "variables": values,
            "messageKey": message_key,
            "processInstanceKey": -1,
            "tenantId": command.value.get("tenantId") or "<default>",
        }
        subscriptions = state.subscriptions_by_name.get((name, correlation_key))
        if subscriptions:
            subscription = state.subscriptions[next(iter(subscriptions))]
            answer["processInstanceKey"] = subscription.value["processInstanceKey"]
            correlated = bpmn.ctx.event(
                ValueType.MESSAGE_CORRELATION, "CORRELATED", message_key, answer
            )
            bpmn.ctx.respond(command, correlated)
            self.correlate(bpmn, subscription.key, message_key, values)
            return
        for definition_key, start_id in state.message_start_events.get(name, {}).items():
            process = state.processes[definition_key]
            pair = (process.bpmn_process_id, correlation_key)
            if correlation_key and pair in state.message_start_instances:
                continue
            message = {"name": name, "correlationKey": correlation_key, "variables": values}
            instance_key = bpmn.ctx.new_key()
            answer["processInstanceKey"] = instance_key
            correlated = bpmn.ctx.event(
                ValueType.MESSAGE_CORRELATION, "CORRELATED", message_key, answer
            )
            bpmn.ctx.respond(command, correlated)
            self._start_with_key(bpmn, process, start_id, message_key, message, instance_key)
            return
        bpmn.ctx.reject(
            command,
            RejectionType.NOT_FOUND,
            f"Expected to find subscription for message with name '{name}' and correlation key "
            f"'{correlation_key}', but none was found.",
        )

    # -- signals -----------------------------------------------------------------------------
    def broadcast(self, bpmn: Bpmn, name: str, values: Mapping[str, Any] | None) -> None:
        """Trigger every open subscription of signal ``name`` now (signals are not buffered)."""
        state = bpmn.state
        for key in list(state.signal_by_name.get(name, ())):
            subscription = state.signal_subscriptions.get(key)
            if subscription is None:
                continue
            value = subscription.value
            owner_key = value.get("catchElementInstanceKey", -1)
            if owner_key == -1:
                process = state.processes.get(value["processDefinitionKey"])
                if process is not None:
                    self.create_instance(
                        bpmn, process, {}, value["catchEventId"], dict(values or {})
                    )
                continue
            owner = state.elements.get(owner_key)
            if owner is None or not owner.is_active:
                continue
            catch = owner.process.model.elements[value["catchEventId"]]
            self.trigger_catch(bpmn, owner, catch, values)

    # -- timers ------------------------------------------------------------------------------
    def fire_timer(self, bpmn: Bpmn, command: Record) -> None:
        """TIMER TRIGGER: the timer's event occurs; cycles schedule their next due date."""
        state = bpmn.state
        timer = state.timers.get(command.key)
        if timer is None:
            bpmn.ctx.reject(
                command,
                RejectionType.NOT_FOUND,
                f"Expected to trigger timer with key '{command.key}', but no such timer was found",
            )
            return
        value = timer.value
        bpmn.ctx.event(ValueType.TIMER, Timer.TRIGGERED, command.key, value)
        repetitions = value["repetitions"]
        owner_key = value["elementInstanceKey"]
        if owner_key == -1:
            process = state.processes[value["processDefinitionKey"]]
            catch = process.model.elements[value["targetElementId"]]
            self.create_instance(bpmn, process, {}, catch.id, {})
            if repetitions != 1:
                self._repeat_start_timer(bpmn, process, catch, value)
            return
        owner = state.elements.get(owner_key)
        if owner is None:
            return
        catch = owner.process.model.elements[value["targetElementId"]]
        repeat = (
            repetitions != 1
            and not catch.interrupting
            and catch.kind
            in (
                ElementKind.BOUNDARY_EVENT,
                ElementKind.START_EVENT,
            )
        )
        self.trigger_catch(bpmn, owner, catch, None)
        if repeat and owner.is_active and owner.key in state.elements and catch.timer:
            due = self.timer_due(bpmn, catch.timer, owner.key, after=bpmn.evaluator.now)
            if isinstance(due, tuple):
                left = repetitions - 1 if repetitions > 0 else -1
                self.create_timer(bpmn, owner, catch, due[0], left)

    def _repeat_start_timer(
        self, bpmn: Bpmn, process: DeployedProcess, catch: Element, value: dict[str, Any]
    ) -> None:
        if catch.timer is None:
            return
        due = self.timer_due(bpmn, catch.timer, -1, after=bpmn.evaluator.now)
        if isinstance(due, tuple):
            repetitions = value["repetitions"]
            next_value = dict(value)
            next_value["dueDate"] = due[0]
            next_value["repetitions"] = repetitions - 1 if repetitions > 0 else -1
            bpmn.ctx.event(ValueType.TIMER, Timer.CREATED, bpmn.ctx.new_key(), next_value)

    # -- errors and escalations --------------------------------------------------------------
    def throw_error(
        self,
        bpmn: Bpmn,
        thrower: ElementInstance,
        code: str,
        message: str,
        values: Mapping[str, Any] | None,
    ) -> bool:
        """Throw a BPMN error from ``thrower``; False when nothing catches it."""
        catch = find_catch(bpmn.state, thrower, EventType.ERROR, code)
        if catch is None:
            return False
        self._caught(bpmn, catch, event_variables(catch.event, values, code, message))
        return True

    def throw_escalation(self, bpmn: Bpmn, thrower: ElementInstance, code: str) -> None:
        """Throw an escalation from ``thrower``; uncaught escalations change nothing."""
        catch = find_catch(bpmn.state, thrower, EventType.ESCALATION, code)
        if catch is not None:
            self._caught(bpmn, catch, event_variables(catch.event, None, code))

    def _caught(self, bpmn: Bpmn, catch: Catch, values: dict[str, Any]) -> None:
        self.trigger_catch(bpmn, catch.owner, catch.event, values)

    def can_reach(
        self, bpmn: Bpmn, scope: ElementInstance, gateway: Element, arrived: set[str]
    ) -> bool:
        """Whether a live token in ``scope`` may still arrive at ``gateway`` on a flow that has
        not delivered one yet (the inclusive join waits for it)."""
        waiting = set(gateway.incoming) - arrived
        if not waiting:
            return False
        model = scope.process.model
        sources = [child.element.id for child in bpmn.state.children_of(scope.key)]
        for command in bpmn.ctx.commands:
            if (
                command.intent == PI.ACTIVATE_ELEMENT
                and command.value.get("flowScopeKey") == scope.key
            ):
                sources.append(command.value["elementId"])
        for joined_gateway, flows in scope.taken_joins.items():
            if joined_gateway != gateway.id and flows:
                sources.append(joined_gateway)
        return any(reachable_flows(model, source) & waiting for source in sources)

    # -- process instances -------------------------------------------------------------------
    def create_instance(
        self,
        bpmn: Bpmn,
        process: DeployedProcess,
        values: Mapping[str, Any],
        start_id: str | None = None,
        start_variables: Mapping[str, Any] | None = None,
        parent: ElementInstance | None = None,
        key: int | None = None,
        start_at: list[str] | None = None,
    ) -> int:
        """Create and activate a process instance; returns its key.

        ``start_at`` (start instructions) names elements directly inside the process to
        activate instead of the none start event."""
        instance_key = key if key is not None else bpmn.ctx.new_key()
        value = {
            "bpmnProcessId": process.bpmn_process_id,
            "version": process.version,
            "processDefinitionKey": process.key,
            "processInstanceKey": instance_key,
            "elementId": process.bpmn_process_id,
            "flowScopeKey": -1,
            "bpmnElementType": "PROCESS",
            "bpmnEventType": "UNSPECIFIED",
            "parentProcessInstanceKey": parent.process_instance_key if parent else -1,
            "parentElementInstanceKey": parent.key if parent else -1,
            "tenantId": process.tenant_id,
        }
        bpmn.ctx.event(ValueType.PROCESS_INSTANCE, PI.ELEMENT_ACTIVATING, instance_key, value)
        variables.set_locals(bpmn.ctx, instance_key, values)
        if start_id is not None:
            start = process.model.elements.get(start_id)
            if start_variables and start is not None and not start.outputs:
                # the start event would propagate them to the root anyway; set them before the
                # event subprocess subscriptions open, whose correlation keys may read them
                variables.set_locals(bpmn.ctx, instance_key, start_variables)
                start_variables = None
            bpmn.trigger(instance_key, start_id, start_variables)
        for element_id in start_at or ():
            bpmn.trigger(instance_key, element_id, None)
        root = bpmn.state.elements[instance_key]
        bpmn.processor(root).activate(bpmn, root)
        return instance_key

    def root_completed(
        self,
        bpmn: Bpmn,
        root: ElementInstance,
        values: dict[str, Any],
        correlation: tuple[str, str] | None,
    ) -> None:
        """A process instance completed: answer a waiting client, return to a caller."""
        awaiting = bpmn.state.awaiting_results.pop(root.key, None)
        if awaiting is not None:
            request_id, fetch = awaiting
            result = {k: values[k] for k in fetch if k in values} if fetch else values
            answer = dict(root.value)
            answer["variables"] = result
            bpmn.ctx.respond_to(
                request_id,
                Record(
                    root.key,
                    RecordType.EVENT,
                    ValueType.PROCESS_INSTANCE_RESULT,
                    Result.COMPLETED,
                    answer,
                    bpmn.ctx.now,
                ),
            )
        self._return_to_caller(bpmn, root, values)
        self.message_start_ended(bpmn, root, correlation)

    def _return_to_caller(self, bpmn: Bpmn, root: ElementInstance, values: dict[str, Any]) -> None:
        caller = bpmn.state.elements.get(root.value.get("parentElementInstanceKey", -1))
        if caller is None or caller.state != PI.ELEMENT_ACTIVATED:
            return
        called = caller.element.called_element
        propagate = called is None or called.propagate_all_child_variables
        # output mappings read the child's variables even when not all of them propagate: as
        # event variables they become locals of the call activity, and only the mapped go up
        bpmn.complete(caller, values if propagate or caller.element.outputs else None)

    def root_terminated(
        self, bpmn: Bpmn, root: ElementInstance, correlation: tuple[str, str] | None
    ) -> None:
        """A process instance terminated: a terminating caller may now end too."""
        awaiting = bpmn.state.awaiting_results.pop(root.key, None)
        if awaiting is not None:
            bpmn.ctx.respond_to(
                awaiting[0],
                Record(
                    root.key,
                    RecordType.COMMAND_REJECTION,
                    ValueType.PROCESS_INSTANCE_CREATION,
                    Creation.CREATE_WITH_AWAITING_RESULT,
                    dict(root.value),
                    bpmn.ctx.now,
                    rejection_type=RejectionType.INVALID_STATE,
                    rejection_reason=f"The process instance '{root.key}' was terminated before "
                    "it completed",
                ),
            )
        caller = bpmn.state.elements.get(root.value.get("parentElementInstanceKey", -1))
        if caller is not None and caller.state == PI.ELEMENT_TERMINATING:
            bpmn.terminated(caller)
        self.message_start_ended(bpmn, root, correlation)
