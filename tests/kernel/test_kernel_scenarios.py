"""Combinations where the rules meet: boundaries on call activities and multi-instance bodies,
escalations across call activities, multi-instance subprocesses, buffered messages at an
event-based gateway."""

from __future__ import annotations

from datetime import timedelta

import pytest
from kernel_xml import (
    boundary,
    catch,
    chain,
    end,
    error,
    escalation,
    ext,
    message,
    multi_instance,
    process,
    service_task,
    start,
    sub_process,
    timer,
)

from cadenza.errors import CommandRejected
from cadenza.kernel import RejectionType, ValueType
from cadenza.testing import Harness

CALL = (
    '<bpmn:callActivity id="call">'
    + ext('<zeebe:calledElement processId="child" />')
    + "</bpmn:callActivity>"
)


def child(body: str = "", after: str = "") -> str:
    return process(
        body
        or "\n".join([start(), service_task("task", "work"), end(), chain("start", "task", "end")]),
        process_id="child",
        after=after,
    )


def parent_with(boundary_xml: str, after: str = "") -> str:
    return process(
        "\n".join(
            [
                start(),
                CALL,
                end(),
                boundary_xml,
                end("handled"),
                chain("start", "call", "end"),
                chain("caught", "handled"),
            ]
        ),
        process_id="parent",
        after=after,
    )


def test_interrupting_boundary_on_a_call_activity_terminates_the_child(h: Harness) -> None:
    xml = parent_with(
        boundary("caught", "call", '<bpmn:messageEventDefinition messageRef="Stop" />'),
        after=message("Stop", "stop", "=id"),
    )
    h.deploy(("child.bpmn", child()), ("parent.bpmn", xml))
    key = h.create_instance("parent", {"id": "x"})
    [job] = h.activate_jobs("work")
    h.set_variables(job.process_instance_key, {"childOnly": 1})
    h.publish_message("stop", "x")
    h.assert_instance_terminated(job.process_instance_key)
    h.assert_element_completed(key, "handled")
    h.assert_instance_completed(key)
    # the child's variables are not propagated when it is interrupted
    assert "childOnly" not in h.variables(key)


def test_non_interrupting_boundary_on_a_call_activity_leaves_the_child(h: Harness) -> None:
    xml = parent_with(boundary("caught", "call", timer("timeDuration", "PT1M"), interrupting=False))
    h.deploy(("child.bpmn", child()), ("parent.bpmn", xml))
    key = h.create_instance("parent")
    h.advance(timedelta(minutes=1))
    h.assert_element_completed(key, "handled")
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    h.assert_element_completed(key, "end")
    h.assert_instance_completed(key)


def test_escalation_from_the_child_is_caught_on_the_call_activity(h: Harness) -> None:
    esc = '<bpmn:escalationEventDefinition escalationRef="Esc" />'
    child_xml = child(
        "\n".join(
            [
                start(),
                f'<bpmn:intermediateThrowEvent id="raise">{esc}</bpmn:intermediateThrowEvent>',
                service_task("task", "work"),
                end(),
                chain("start", "raise", "task", "end"),
            ]
        ),
        after=escalation("Esc", "LATE"),
    )
    xml = parent_with(
        boundary("caught", "call", esc, interrupting=False), after=escalation("Esc", "LATE")
    )
    h.deploy(("child.bpmn", child_xml), ("parent.bpmn", xml))
    key = h.create_instance("parent")
    h.assert_element_completed(key, "handled")
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_error_from_an_inner_instance_is_caught_on_the_multi_instance_body(h: Harness) -> None:
    task = service_task("task", "work", inner=multi_instance("=[1, 2, 3]", "item"))
    xml = process(
        "\n".join(
            [
                start(),
                task,
                end(),
                boundary("caught", "task", '<bpmn:errorEventDefinition errorRef="Err" />'),
                end("handled"),
                chain("start", "task", "end"),
                chain("caught", "handled"),
            ]
        ),
        after=error("Err", "E"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    jobs = h.activate_jobs("work")
    assert len(jobs) == 3
    h.throw_error(jobs[1].key, "E")
    assert h.jobs() == []
    h.assert_element_completed(key, "handled")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)


def test_multi_instance_subprocess_collects_a_result_set_inside_it(h: Harness) -> None:
    inner = "\n".join(
        [
            start("s_start"),
            service_task("calc", "calc"),
            end("s_end"),
            chain("s_start", "calc", "s_end"),
        ]
    )
    loop = multi_instance("=items", "item", output_collection="results", output_element="=result")
    sub = sub_process("sub", inner + "\n" + loop)
    h.deploy(("p.bpmn", process("\n".join([start(), sub, end(), chain("start", "sub", "end")]))))
    key = h.create_instance("p", {"items": ["a", "b", "c"]})
    jobs = h.activate_jobs("calc")
    for job in reversed(jobs):
        h.complete_job(job.key, {"result": job.variables["item"].upper()})
    h.assert_instance_completed(key)
    assert h.variables(key) == {"items": ["a", "b", "c"], "results": ["A", "B", "C"]}


def test_event_based_gateway_takes_a_buffered_message(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                '<bpmn:eventBasedGateway id="gw" />',
                catch("paid", '<bpmn:messageEventDefinition messageRef="Paid" />'),
                catch("late", timer("timeDuration", "PT1H")),
                end("ok"),
                end("timeout"),
                chain("start", "gw"),
                chain("gw", "paid", "ok"),
                chain("gw", "late", "timeout"),
            ]
        ),
        after=message("Paid", "paid", "=orderId"),
    )
    h.deploy(("p.bpmn", xml))
    h.publish_message("paid", "o-1", {"early": True}, ttl=timedelta(minutes=5))
    key = h.create_instance("p", {"orderId": "o-1"})
    h.assert_element_completed(key, "ok")
    assert h.state.timers == {}
    h.assert_instance_completed(key)


def test_receive_task_with_a_timer_boundary(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                '<bpmn:receiveTask id="receive" messageRef="Paid" />',
                end(),
                boundary("caught", "receive", timer("timeDuration", "PT10M")),
                end("handled"),
                chain("start", "receive", "end"),
                chain("caught", "handled"),
            ]
        ),
        after=message("Paid", "paid", "=orderId"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"orderId": "o-1"})
    h.advance(timedelta(minutes=10))
    assert h.state.subscriptions == {}
    h.assert_element_completed(key, "handled")
    h.assert_instance_completed(key)


def test_create_with_result_of_a_cancelled_instance_is_rejected(h: Harness) -> None:
    xml = process(
        "\n".join([start(), service_task("task", "work"), end(), chain("start", "task", "end")])
    )
    h.deploy(("p.bpmn", xml))

    @h.worker("work")
    def work(job: object) -> None:
        h.cancel_instance(job.process_instance_key)  # type: ignore[attr-defined]
        raise RuntimeError("gone")

    with pytest.raises(CommandRejected, match="terminated") as rejected:
        h.create_instance_with_result("p")
    assert rejected.value.rejection_type is RejectionType.INVALID_STATE


def test_timer_boundary_expression_sees_the_activity_input_mappings(h: Harness) -> None:
    task = service_task("task", "work", inputs=[("=minutes * 2", "wait")])
    xml = process(
        "\n".join(
            [
                start(),
                task,
                end(),
                boundary(
                    "caught", "task", timer("timeDuration", '=duration("PT" + string(wait) + "M")')
                ),
                end("handled"),
                chain("start", "task", "end"),
                chain("caught", "handled"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"minutes": 5})
    h.advance(timedelta(minutes=9))
    assert h.instance_state(key) == "ACTIVE"
    h.advance(timedelta(minutes=1))
    h.assert_element_completed(key, "handled")
    assert h.records(ValueType.TIMER, "TRIGGERED")
