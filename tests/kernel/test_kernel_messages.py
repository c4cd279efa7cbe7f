"""Messages: correlation by name and key, TTL buffering, message ids, one subscription per
process, message start events, receive tasks, message boundary events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from kernel_xml import (
    boundary,
    catch,
    chain,
    end,
    message,
    process,
    service_task,
    start,
    sub_process,
)

from cadenza.errors import CommandRejected
from cadenza.kernel import RejectionType, ValueType
from cadenza.testing import Harness

MSG = '<bpmn:messageEventDefinition messageRef="Paid" />'
PAID = message("Paid", "paid", "=orderId")


def waiting(process_id: str = "p") -> str:
    return process(
        "\n".join([start(), catch("wait", MSG), end(), chain("start", "wait", "end")]),
        after=PAID,
        process_id=process_id,
    )


def test_message_correlates_by_name_and_key(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    one = h.create_instance("p", {"orderId": "o-1"})
    two = h.create_instance("p", {"orderId": "o-2"})
    [sub_one, _] = h.records(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CREATED")
    assert sub_one.value["messageName"] == "paid"
    assert sub_one.value["correlationKey"] == "o-1"
    h.publish_message("paid", "o-2", {"amount": 3})
    h.assert_instance_completed(two)
    assert h.instance_state(one) == "ACTIVE"
    assert h.variables(two)["amount"] == 3
    h.publish_message("other", "o-1")
    assert h.instance_state(one) == "ACTIVE"


def test_numeric_correlation_key_is_its_string_form(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    key = h.create_instance("p", {"orderId": 42})
    h.publish_message("paid", "42")
    h.assert_instance_completed(key)


def test_correlation_key_of_the_wrong_type_is_an_incident(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    key = h.create_instance("p", {"orderId": {"nested": True}})
    incident = h.assert_incident(key, "EXTRACT_VALUE_ERROR")
    assert incident["elementId"] == "wait"
    h.set_variables(key, {"orderId": "o-9"})
    h.resolve_incident(incident["key"])
    h.publish_message("paid", "o-9")
    h.assert_instance_completed(key)


def test_buffered_message_correlates_when_the_subscription_opens_within_ttl(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    h.publish_message("paid", "o-1", {"early": True}, ttl=timedelta(minutes=1))
    h.advance(timedelta(seconds=30))
    key = h.create_instance("p", {"orderId": "o-1"})
    h.assert_instance_completed(key)
    assert h.variables(key)["early"] is True


def test_message_after_its_ttl_does_not_correlate(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    h.publish_message("paid", "o-1", ttl=timedelta(minutes=1))
    h.advance(timedelta(minutes=2))
    assert h.records(ValueType.MESSAGE, "EXPIRED")
    key = h.create_instance("p", {"orderId": "o-1"})
    assert h.instance_state(key) == "ACTIVE"


def test_message_without_ttl_is_not_buffered(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    h.publish_message("paid", "o-1")
    key = h.create_instance("p", {"orderId": "o-1"})
    assert h.instance_state(key) == "ACTIVE"


def test_duplicate_message_id_is_rejected_while_buffered(h: Harness) -> None:
    h.publish_message("paid", "o-1", ttl=timedelta(minutes=1), message_id="m-1")
    with pytest.raises(CommandRejected) as rejected:
        h.publish_message("paid", "o-1", ttl=timedelta(minutes=1), message_id="m-1")
    assert rejected.value.rejection_type is RejectionType.ALREADY_EXISTS
    h.publish_message("paid", "o-1", ttl=timedelta(minutes=1), message_id="m-2")
    h.advance(timedelta(minutes=2))
    h.publish_message("paid", "o-1", ttl=timedelta(minutes=1), message_id="m-1")


def test_a_message_correlates_to_one_subscription_per_process(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()), ("q.bpmn", waiting("q")))
    p1 = h.create_instance("p", {"orderId": "o-1"})
    p2 = h.create_instance("p", {"orderId": "o-1"})
    q1 = h.create_instance("q", {"orderId": "o-1"})
    h.publish_message("paid", "o-1")
    states = [h.instance_state(k) for k in (p1, p2)]
    assert sorted(states) == ["ACTIVE", "COMPLETED"]
    h.assert_instance_completed(q1)  # another process gets it too


def test_a_buffered_message_correlates_once_per_process(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    h.publish_message("paid", "o-1", ttl=timedelta(minutes=5))
    first = h.create_instance("p", {"orderId": "o-1"})
    second = h.create_instance("p", {"orderId": "o-1"})
    h.assert_instance_completed(first)
    assert h.instance_state(second) == "ACTIVE"


def message_start() -> str:
    return process(
        "\n".join(
            [
                start("start", '<bpmn:messageEventDefinition messageRef="Order" />'),
                service_task("task", "work"),
                end(),
                chain("start", "task", "end"),
            ]
        ),
        after=message("Order", "order"),
        process_id="ms",
    )


def test_message_start_event_creates_an_instance_with_the_variables(h: Harness) -> None:
    h.deploy(("ms.bpmn", message_start()))
    h.publish_message("order", "", {"n": 1})
    h.publish_message("order", "", {"n": 2})
    jobs = h.activate_jobs("work")
    assert sorted(j.variables["n"] for j in jobs) == [1, 2]
    assert len({j.process_instance_key for j in jobs}) == 2


def test_message_start_one_instance_per_correlation_key_at_a_time(h: Harness) -> None:
    h.deploy(("ms.bpmn", message_start()))
    h.publish_message("order", "c-1", {"n": 1}, ttl=timedelta(hours=1))
    h.publish_message("order", "c-1", {"n": 2}, ttl=timedelta(hours=1))
    h.publish_message("order", "c-2", {"n": 3}, ttl=timedelta(hours=1))
    jobs = h.activate_jobs("work")
    assert sorted(j.variables["n"] for j in jobs) == [1, 3]
    first = next(j for j in jobs if j.variables["n"] == 1)
    h.complete_job(first.key)
    h.assert_instance_completed(first.process_instance_key)
    [next_job] = h.activate_jobs("work")
    assert next_job.variables["n"] == 2
    assert next_job.process_instance_key != first.process_instance_key


def test_receive_task_waits_for_its_message(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                '<bpmn:receiveTask id="receive" messageRef="Paid" />',
                end(),
                chain("start", "receive", "end"),
            ]
        ),
        after=PAID,
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"orderId": "o-1"})
    assert h.instance_state(key) == "ACTIVE"
    h.publish_message("paid", "o-1", {"paid": True})
    h.assert_element_completed(key, "receive")
    h.assert_instance_completed(key)
    assert h.variables(key)["paid"] is True


def with_boundary(interrupting: bool) -> str:
    return process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                boundary("cancel", "task", MSG, interrupting=interrupting),
                service_task("notify", "notify"),
                end("cancelled"),
                chain("start", "task", "end"),
                chain("cancel", "notify", "cancelled"),
            ]
        ),
        after=PAID,
    )


def test_seed_pattern_interrupting_message_boundary_aborts_waiting_work(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary(interrupting=True)))
    key = h.create_instance("p", {"orderId": "o-1"})
    [job] = h.activate_jobs("work")
    h.publish_message("paid", "o-1", {"reason": "abort"})
    assert ("task", "ELEMENT_TERMINATED") in h.element_intents(key)
    with pytest.raises(CommandRejected) as rejected:
        h.complete_job(job.key)
    assert rejected.value.rejection_type is RejectionType.NOT_FOUND
    [notify] = h.activate_jobs("notify")
    assert notify.variables["reason"] == "abort"
    h.complete_job(notify.key)
    h.assert_element_completed(key, "cancelled")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)


def test_non_interrupting_message_boundary_keeps_the_work(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary(interrupting=False)))
    key = h.create_instance("p", {"orderId": "o-1"})
    h.publish_message("paid", "o-1")
    h.publish_message("paid", "o-1")
    notifies = h.activate_jobs("notify")
    assert len(notifies) == 2
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    for notify in notifies:
        h.complete_job(notify.key)
    assert h.completed_elements(key).count("cancelled") == 2
    h.assert_element_completed(key, "end")
    h.assert_instance_completed(key)
    assert h.state.subscriptions == {}


def test_publish_without_a_name_is_rejected(h: Harness) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.publish_message("", "o-1")
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT


def test_boundary_subscription_closes_when_the_task_completes(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary(interrupting=True)))
    key = h.create_instance("p", {"orderId": "o-1"})
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    assert h.state.subscriptions == {}
    h.publish_message("paid", "o-1")
    h.assert_element_not_reached(key, "cancel")
    h.assert_instance_completed(key)


def test_event_subprocess_correlation_key_reads_the_start_message_variables(h: Harness) -> None:
    esp = sub_process(
        "esp",
        "\n".join(
            [
                start("esp_start", '<bpmn:messageEventDefinition messageRef="Cancel" />'),
                end("esp_end"),
                chain("esp_start", "esp_end"),
            ]
        ),
        triggered_by_event=True,
    )
    xml = process(
        "\n".join(
            [
                start("start", '<bpmn:messageEventDefinition messageRef="Order" />'),
                service_task("task", "work"),
                end(),
                chain("start", "task", "end"),
                esp,
            ]
        ),
        after=message("Order", "order") + message("Cancel", "cancel", "=orderId"),
    )
    h.deploy(("p.bpmn", xml))
    h.publish_message("order", "", {"orderId": "o-1"})
    [job] = h.jobs("work")
    key = job["processInstanceKey"]
    assert h.incidents(key) == []
    h.publish_message("cancel", "o-1")
    h.assert_element_completed(key, "esp")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)
    assert h.variables(key) == {"orderId": "o-1"}


def test_multi_instance_receive_task_correlates_each_instance_by_its_item(h: Harness) -> None:
    receive = (
        '<bpmn:receiveTask id="receive" messageRef="Ack">'
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="=ids" inputElement="id" />'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:receiveTask>"
    )
    xml = process(
        "\n".join([start(), receive, end(), chain("start", "receive", "end")]),
        after=message("Ack", "ack", "=id"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"ids": ["a", "b"]})
    keys = sorted(s.value["correlationKey"] for s in h.state.subscriptions.values())
    assert keys == ["a", "b"]
    h.publish_message("ack", "b")
    assert h.instance_state(key) == "ACTIVE"
    h.publish_message("ack", "a")
    h.assert_instance_completed(key)


def test_messages_published_before_the_deployment_start_nothing(h: Harness) -> None:
    h.publish_message("order", "c-1", {"n": 1}, ttl=timedelta(hours=1))
    h.deploy(("ms.bpmn", message_start()))
    assert h.jobs() == []
    h.publish_message("order", "c-2", {"n": 2}, ttl=timedelta(hours=1))
    [job] = h.activate_jobs("work")
    assert job.variables == {"n": 2}


def test_a_new_version_takes_over_the_message_start_event(h: Harness) -> None:
    h.deploy(("ms.bpmn", message_start()))
    h.deploy(("ms.bpmn", message_start().replace('type="work"', 'type="work2"')))
    h.publish_message("order", "", {"n": 1})
    assert h.jobs("work") == []
    [job] = h.activate_jobs("work2")
    assert job.process_definition_version == 2


def test_aggregator_pattern_follow_up_messages_join_the_started_instance(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start("start", '<bpmn:messageEventDefinition messageRef="Item" />'),
                catch("more", '<bpmn:messageEventDefinition messageRef="Item" />'),
                end(),
                chain("start", "more", "end"),
            ]
        ),
        after=message("Item", "item", "=batch"),
        process_id="agg",
    )
    h.deploy(("agg.bpmn", xml))
    h.publish_message("item", "b-1", {"batch": "b-1", "first": 1}, ttl=timedelta(hours=1))
    h.publish_message("item", "b-1", {"second": 2}, ttl=timedelta(hours=1))
    h.publish_message("item", "b-1", {"third": 3}, ttl=timedelta(hours=1))
    created = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="agg")
    first = created[0].key
    h.assert_instance_completed(first)
    assert h.variables(first) == {"batch": "b-1", "first": 1, "second": 2}
    # the third message started the next instance once the first one ended
    assert len(created) == 2
    assert h.variables(created[1].key) == {"third": 3}
