"""Timers: durations, dates, cycles on non-interrupting boundaries, timer start events, FEEL
timer expressions. Time only moves through ``advance``."""

from __future__ import annotations

from datetime import timedelta

from kernel_xml import boundary, catch, chain, end, process, service_task, start, timer

from cadenza.kernel import ValueType
from cadenza.testing import Harness


def wait_for(definition: str) -> str:
    return process(
        "\n".join([start(), catch("wait", definition), end(), chain("start", "wait", "end")])
    )


def test_duration_timer_fires_after_the_duration(h: Harness) -> None:
    h.deploy(("p.bpmn", wait_for(timer("timeDuration", "PT10M"))))
    key = h.create_instance("p")
    [created] = h.records(ValueType.TIMER, "CREATED")
    assert created.value["dueDate"] == int((h.now + timedelta(minutes=10)).timestamp() * 1000)
    assert created.value["targetElementId"] == "wait"
    h.advance(timedelta(minutes=9, seconds=59))
    assert h.instance_state(key) == "ACTIVE"
    h.advance(timedelta(seconds=1))
    h.assert_instance_completed(key)
    assert [r.intent for r in h.records(ValueType.TIMER)] == ["CREATED", "TRIGGERED"]


def test_date_timer_fires_at_the_date(h: Harness) -> None:
    h.deploy(("p.bpmn", wait_for(timer("timeDate", "2026-01-02T00:00:00Z"))))
    key = h.create_instance("p")
    h.advance(timedelta(hours=23))
    assert h.instance_state(key) == "ACTIVE"
    h.advance(timedelta(hours=1))
    h.assert_instance_completed(key)


def test_feel_timer_expression(h: Harness) -> None:
    h.deploy(("p.bpmn", wait_for(timer("timeDuration", '=duration("PT" + string(mins) + "M")'))))
    key = h.create_instance("p", {"mins": 3})
    h.advance(timedelta(minutes=2))
    assert h.instance_state(key) == "ACTIVE"
    h.advance(timedelta(minutes=1))
    h.assert_instance_completed(key)


def test_feel_timer_expression_failure_is_an_incident(h: Harness) -> None:
    h.deploy(("p.bpmn", wait_for(timer("timeDuration", "=delay"))))
    key = h.create_instance("p")
    incident = h.assert_incident(key, "EXTRACT_VALUE_ERROR")
    assert incident["elementId"] == "wait"
    h.set_variables(key, {"delay": "PT1M"})
    h.resolve_incident(incident["key"])
    h.advance(timedelta(minutes=1))
    h.assert_instance_completed(key)


def test_seed_pattern_non_interrupting_cycle_escalates_while_work_waits(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                boundary("remind", "task", timer("timeCycle", "R3/PT10S"), interrupting=False),
                service_task("escalate", "escalate"),
                end("escalated"),
                chain("start", "task", "end"),
                chain("remind", "escalate", "escalated"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    escalations: list[int] = []

    @h.worker("escalate")
    def escalate(job: object) -> None:
        escalations.append(1)

    key = h.create_instance("p")
    h.advance(timedelta(seconds=10))
    assert len(escalations) == 1
    h.advance(timedelta(seconds=10))
    h.advance(timedelta(seconds=10))
    assert len(escalations) == 3
    h.advance(timedelta(minutes=5))
    assert len(escalations) == 3  # R3: three repetitions, then no more
    assert h.state.timers == {}
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    assert h.completed_elements(key).count("escalated") == 3
    h.assert_instance_completed(key)


def test_cycle_boundary_stops_when_the_task_completes(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                boundary("remind", "task", timer("timeCycle", "R/PT10S"), interrupting=False),
                end("reminded"),
                chain("start", "task", "end"),
                chain("remind", "reminded"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.advance(timedelta(seconds=10))
    h.advance(timedelta(seconds=10))
    assert h.completed_elements(key).count("reminded") == 2
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    assert h.state.timers == {}
    h.advance(timedelta(minutes=1))
    assert h.completed_elements(key).count("reminded") == 2
    h.assert_instance_completed(key)


def test_interrupting_timer_boundary(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                boundary("late", "task", timer("timeDuration", "PT1H")),
                end("timeout"),
                chain("start", "task", "end"),
                chain("late", "timeout"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.advance(timedelta(hours=1))
    assert h.jobs() == []
    h.assert_element_completed(key, "timeout")
    h.assert_instance_completed(key)


def test_timer_start_event_cycle_creates_instances(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start("start", timer("timeCycle", "R2/PT1H")),
                service_task("task", "work"),
                end(),
                chain("start", "task", "end"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    assert h.jobs() == []
    h.advance(timedelta(hours=1))
    assert len(h.jobs("work")) == 1
    h.advance(timedelta(hours=1))
    assert len(h.jobs("work")) == 2
    h.advance(timedelta(hours=5))
    assert len(h.jobs("work")) == 2
    assert h.state.timers == {}


def test_redeploying_replaces_the_timer_start_event_of_the_old_version(h: Harness) -> None:
    def model(task_type: str) -> str:
        return process(
            "\n".join(
                [
                    start("start", timer("timeCycle", "R/PT1H")),
                    service_task("task", task_type),
                    end(),
                    chain("start", "task", "end"),
                ]
            )
        )

    h.deploy(("p.bpmn", model("v1")))
    h.deploy(("p.bpmn", model("v2")))
    assert len(h.state.timers) == 1
    h.advance(timedelta(hours=1))
    assert h.jobs("v1") == []
    assert len(h.jobs("v2")) == 1


def test_feel_cycle_function_defines_a_repeating_boundary_timer(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                boundary(
                    "remind",
                    "task",
                    timer("timeCycle", '=cycle(2, duration("PT1M"))'),
                    interrupting=False,
                ),
                end("reminded"),
                chain("start", "task", "end"),
                chain("remind", "reminded"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.advance(timedelta(seconds=59))
    assert h.completed_elements(key).count("reminded") == 0
    h.advance(timedelta(seconds=1))
    h.advance(timedelta(minutes=1))
    h.advance(timedelta(minutes=5))
    assert h.completed_elements(key).count("reminded") == 2
