"""Gateways: exclusive (document order, default, incident), parallel, inclusive, event-based."""

from __future__ import annotations

from datetime import timedelta

from kernel_xml import catch, chain, end, flow, message, process, service_task, start, timer

from cadenza.kernel import ValueType
from cadenza.testing import Harness


def gateway(tag: str, default: str | None, *flows: str) -> str:
    attr = f' default="{default}"' if default else ""
    return f'<bpmn:{tag} id="gw"{attr} />\n' + "\n".join(flows)


def exclusive(with_default: bool) -> str:
    return process(
        "\n".join(
            [
                start(),
                gateway(
                    "exclusiveGateway",
                    "gw_to_c" if with_default else None,
                    flow("gw", "a", condition="=x > 10"),
                    flow("gw", "b", condition="=x > 5"),
                    *([flow("gw", "c")] if with_default else []),
                ),
                end("a"),
                end("b"),
                *([end("c")] if with_default else []),
                chain("start", "gw"),
            ]
        )
    )


def test_exclusive_takes_the_first_true_condition_in_document_order(h: Harness) -> None:
    h.deploy(("p.bpmn", exclusive(with_default=True)))
    key = h.create_instance("p", {"x": 20})  # both conditions are true
    assert h.completed_elements(key) == ["start", "gw", "a", "p"]
    assert [r.value["elementId"] for r in h.records(intent="SEQUENCE_FLOW_TAKEN")] == [
        "start_to_gw",
        "gw_to_a",
    ]


def test_exclusive_takes_the_default_flow_when_nothing_matches(h: Harness) -> None:
    h.deploy(("p.bpmn", exclusive(with_default=True)))
    key = h.create_instance("p", {"x": 1})
    assert h.completed_elements(key) == ["start", "gw", "c", "p"]


def test_exclusive_without_match_or_default_raises_condition_error(h: Harness) -> None:
    h.deploy(("p.bpmn", exclusive(with_default=False)))
    key = h.create_instance("p", {"x": 1})
    incident = h.assert_incident(key, "CONDITION_ERROR")
    assert incident["elementId"] == "gw"
    h.set_variables(key, {"x": 7})
    h.resolve_incident(incident["key"])
    assert h.incidents(key) == []
    h.assert_element_completed(key, "b")
    h.assert_instance_completed(key)


def test_exclusive_condition_on_a_missing_variable_is_a_condition_error(h: Harness) -> None:
    h.deploy(("p.bpmn", exclusive(with_default=False)))
    key = h.create_instance("p")
    incident = h.assert_incident(key, "CONDITION_ERROR")
    h.set_variables(key, {"x": 11})
    h.resolve_incident(incident["key"])
    h.assert_element_completed(key, "a")


def parallel() -> str:
    return process(
        "\n".join(
            [
                start(),
                '<bpmn:parallelGateway id="fork" />',
                service_task("a", "a"),
                service_task("b", "b"),
                '<bpmn:parallelGateway id="join" />',
                end(),
                chain("start", "fork"),
                chain("fork", "a", "join"),
                chain("fork", "b", "join"),
                chain("join", "end"),
            ]
        )
    )


def test_parallel_fork_and_join(h: Harness) -> None:
    h.deploy(("p.bpmn", parallel()))
    key = h.create_instance("p")
    [job_a] = h.activate_jobs("a")
    [job_b] = h.activate_jobs("b")
    h.complete_job(job_b.key)
    h.assert_element_not_reached(key, "join")
    h.complete_job(job_a.key)
    assert h.completed_elements(key).count("join") == 1
    assert h.completed_elements(key).count("end") == 1
    h.assert_instance_completed(key)


def inclusive() -> str:
    return process(
        "\n".join(
            [
                start(),
                '<bpmn:inclusiveGateway id="fork" default="fork_to_c" />',
                flow("fork", "a", condition="=a"),
                flow("fork", "b", condition="=b"),
                flow("fork", "c"),
                service_task("a", "a"),
                service_task("b", "b"),
                service_task("c", "c"),
                '<bpmn:inclusiveGateway id="join" />',
                end(),
                chain("start", "fork"),
                chain("a", "join"),
                chain("b", "join"),
                chain("c", "join"),
                chain("join", "end"),
            ]
        )
    )


def test_inclusive_fork_takes_every_true_flow(h: Harness) -> None:
    h.deploy(("p.bpmn", inclusive()))
    key = h.create_instance("p", {"a": True, "b": True})
    assert len(h.activate_jobs("a")) == 1
    assert len(h.activate_jobs("b")) == 1
    assert h.activate_jobs("c") == []
    h.assert_element_completed(key, "fork")


def test_inclusive_join_waits_only_for_tokens_that_can_arrive(h: Harness) -> None:
    h.deploy(("p.bpmn", inclusive()))
    key = h.create_instance("p", {"a": True, "b": False})
    [job] = h.activate_jobs("a")
    h.complete_job(job.key)
    # only one path was taken: the join does not wait for b or c
    h.assert_element_completed(key, "join")
    h.assert_instance_completed(key)


def test_inclusive_join_waits_for_both_taken_paths(h: Harness) -> None:
    h.deploy(("p.bpmn", inclusive()))
    key = h.create_instance("p", {"a": True, "b": True})
    [job_a] = h.activate_jobs("a")
    [job_b] = h.activate_jobs("b")
    h.complete_job(job_a.key)
    h.assert_element_not_reached(key, "join")
    h.complete_job(job_b.key)
    assert h.completed_elements(key).count("join") == 1
    h.assert_instance_completed(key)


def test_inclusive_default_flow_when_no_condition_holds(h: Harness) -> None:
    h.deploy(("p.bpmn", inclusive()))
    key = h.create_instance("p", {"a": False, "b": False})
    [job] = h.activate_jobs("c")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def event_based() -> str:
    return process(
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


def test_event_based_gateway_message_wins(h: Harness) -> None:
    h.deploy(("p.bpmn", event_based()))
    key = h.create_instance("p", {"orderId": "o-1"})
    assert len(h.state.timers) == 1
    assert len(h.state.subscriptions) == 1
    h.publish_message("paid", "o-1", {"amount": 5})
    h.assert_element_completed(key, "ok")
    h.assert_element_not_reached(key, "late")
    assert h.state.timers == {}
    assert h.state.subscriptions == {}
    assert [r.intent for r in h.records(ValueType.TIMER)] == ["CREATED", "CANCELED"]
    assert h.variables(key)["amount"] == 5
    h.advance(timedelta(hours=2))
    h.assert_element_not_reached(key, "timeout")
    h.assert_instance_completed(key)


def test_event_based_gateway_timer_wins(h: Harness) -> None:
    h.deploy(("p.bpmn", event_based()))
    key = h.create_instance("p", {"orderId": "o-1"})
    h.advance(timedelta(hours=1))
    h.assert_element_completed(key, "timeout")
    h.assert_element_not_reached(key, "paid")
    assert h.state.subscriptions == {}
    assert [r.intent for r in h.records(ValueType.PROCESS_MESSAGE_SUBSCRIPTION)] == [
        "CREATED",
        "DELETED",
    ]
    h.publish_message("paid", "o-1")
    h.assert_element_not_reached(key, "ok")
    h.assert_instance_completed(key)


def test_failing_condition_is_a_condition_error_even_with_a_default_flow(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                gateway(
                    "exclusiveGateway",
                    "gw_to_b",
                    flow("gw", "a", condition='=assert(x, x != null, "x is required") > 1'),
                    flow("gw", "b"),
                ),
                end("a"),
                end("b"),
                chain("start", "gw"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    incident = h.assert_incident(key, "CONDITION_ERROR")
    assert "x is required" in incident["errorMessage"]
    h.set_variables(key, {"x": 2})
    h.resolve_incident(incident["key"])
    h.assert_element_completed(key, "a")
    h.assert_instance_completed(key)
