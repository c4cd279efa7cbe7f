"""Event appliers for timers, messages, message and signal subscriptions (see ``_appliers``)."""

from __future__ import annotations

from cadenza.kernel._records import Record
from cadenza.kernel._state import (
    BufferedMessage,
    MessageSubscription,
    SignalSubscription,
    State,
)
from cadenza.kernel._state import Timer as TimerState


# -- timers -----------------------------------------------------------------------------------------
def _timer_created(state: State, record: Record) -> None:
    state.timers[record.key] = TimerState(record.key, record.value)
    state.timers_by_element.setdefault(record.value["elementInstanceKey"], []).append(record.key)
    state.timer_due.add(record.value["dueDate"], record.key)
    state.observe_key(record.key)


def _timer_removed(state: State, record: Record) -> None:
    timer = state.timers.pop(record.key, None)
    if timer is None:
        return
    owner = timer.value["elementInstanceKey"]
    keys = state.timers_by_element.get(owner)
    if keys is not None:
        keys.remove(record.key)
        if not keys:
            del state.timers_by_element[owner]


# -- messages ---------------------------------------------------------------------------------------
def _message_published(state: State, record: Record) -> None:
    state.observe_key(record.key)
    value = record.value
    ttl = value.get("timeToLive", 0)
    if ttl <= 0:
        return
    deadline = record.timestamp + ttl
    state.messages[record.key] = BufferedMessage(record.key, value, deadline)
    name_key = (value["name"], value["correlationKey"])
    state.messages_by_name.setdefault(name_key, {})[record.key] = None
    if value.get("messageId"):
        state.message_ids[(value["name"], value["correlationKey"], value["messageId"])] = record.key
    state.message_deadlines.add(deadline, record.key)


def _message_expired(state: State, record: Record) -> None:
    message = state.messages.pop(record.key, None)
    if message is None:
        return
    value = message.value
    name_key = (value["name"], value["correlationKey"])
    queue = state.messages_by_name.get(name_key)
    if queue is not None:
        queue.pop(record.key, None)
        if not queue:
            del state.messages_by_name[name_key]
    if value.get("messageId"):
        state.message_ids.pop((value["name"], value["correlationKey"], value["messageId"]), None)


def _subscription_created(state: State, record: Record) -> None:
    value = record.value
    state.subscriptions[record.key] = MessageSubscription(record.key, value)
    name_key = (value["messageName"], value["correlationKey"])
    state.subscriptions_by_name.setdefault(name_key, {})[record.key] = None
    state.subscriptions_by_element.setdefault(value["elementInstanceKey"], []).append(record.key)
    state.observe_key(record.key)


def _subscription_correlated(state: State, record: Record) -> None:
    message = state.messages.get(record.value.get("messageKey", -1))
    if message is not None:
        message.correlated_processes.add(record.value["bpmnProcessId"])


def _subscription_deleted(state: State, record: Record) -> None:
    subscription = state.subscriptions.pop(record.key, None)
    if subscription is None:
        return
    value = subscription.value
    name_key = (value["messageName"], value["correlationKey"])
    queue = state.subscriptions_by_name.get(name_key)
    if queue is not None:
        queue.pop(record.key, None)
        if not queue:
            del state.subscriptions_by_name[name_key]
    owned = state.subscriptions_by_element.get(value["elementInstanceKey"])
    if owned is not None:
        owned.remove(record.key)
        if not owned:
            del state.subscriptions_by_element[value["elementInstanceKey"]]


def _start_correlated(state: State, record: Record) -> None:
    value = record.value
    message = state.messages.get(value.get("messageKey", -1))
    if message is not None:
        message.correlated_processes.add(value["bpmnProcessId"])
    if value.get("correlationKey"):
        pair = (value["bpmnProcessId"], value["correlationKey"])
        state.message_start_instances[pair] = value["processInstanceKey"]
        state.instance_correlation_keys[value["processInstanceKey"]] = pair


def _signal_subscription_created(state: State, record: Record) -> None:
    state.signal_subscriptions[record.key] = SignalSubscription(record.key, record.value)
    state.signal_by_name.setdefault(record.value["signalName"], {})[record.key] = None
    owner = record.value.get("catchElementInstanceKey", -1)
    if owner != -1:
        state.signal_by_element.setdefault(owner, []).append(record.key)
    state.observe_key(record.key)


def _signal_subscription_deleted(state: State, record: Record) -> None:
    subscription = state.signal_subscriptions.pop(record.key, None)
    if subscription is None:
        return
    name = subscription.value["signalName"]
    queue = state.signal_by_name.get(name)
    if queue is not None:
        queue.pop(record.key, None)
        if not queue:
            del state.signal_by_name[name]
    owner = subscription.value.get("catchElementInstanceKey", -1)
    owned = state.signal_by_element.get(owner)
    if owned is not None:
        owned.remove(record.key)
        if not owned:
            del state.signal_by_element[owner]
