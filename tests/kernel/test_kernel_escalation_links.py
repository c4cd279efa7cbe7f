"""Escalations (throw, end, boundary on a subprocess, uncaught), link events, terminate end
events."""

from __future__ import annotations

from kernel_xml import boundary, chain, end, escalation, process, service_task, start, sub_process

from cadenza.testing import Harness

ESC = '<bpmn:escalationEventDefinition escalationRef="Esc" />'
LATE = escalation("Esc", "LATE")


def sub_with(thrower: str, *, interrupting: bool) -> str:
    inner = "\n".join(
        [
            start("s_start"),
            thrower,
            service_task("task", "work"),
            end("s_end"),
            chain("s_start", "raise", "task", "s_end"),
        ]
    )
    return process(
        "\n".join(
            [
                start(),
                sub_process("sub", inner),
                end(),
                boundary("caught", "sub", ESC, interrupting=interrupting),
                end("handled"),
                chain("start", "sub", "end"),
                chain("caught", "handled"),
            ]
        ),
        after=LATE,
    )


THROW = f'<bpmn:intermediateThrowEvent id="raise">{ESC}</bpmn:intermediateThrowEvent>'


def test_non_interrupting_escalation_boundary_on_a_subprocess(h: Harness) -> None:
    h.deploy(("p.bpmn", sub_with(THROW, interrupting=False)))
    key = h.create_instance("p")
    h.assert_element_completed(key, "raise")
    h.assert_element_completed(key, "handled")
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    h.assert_element_completed(key, "end")
    h.assert_instance_completed(key)


def test_interrupting_escalation_boundary_on_a_subprocess(h: Harness) -> None:
    h.deploy(("p.bpmn", sub_with(THROW, interrupting=True)))
    key = h.create_instance("p")
    assert ("sub", "ELEMENT_TERMINATED") in h.element_intents(key)
    h.assert_element_completed(key, "handled")
    h.assert_element_not_reached(key, "task")
    h.assert_instance_completed(key)


def test_escalation_end_event_caught_on_the_subprocess(h: Harness) -> None:
    inner = "\n".join([start("s_start"), end("raise", ESC), chain("s_start", "raise")])
    xml = process(
        "\n".join(
            [
                start(),
                sub_process("sub", inner),
                end(),
                boundary("caught", "sub", ESC),
                end("handled"),
                chain("start", "sub", "end"),
                chain("caught", "handled"),
            ]
        ),
        after=LATE,
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.assert_element_completed(key, "handled")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)


def test_uncaught_escalation_continues(h: Harness) -> None:
    xml = process("\n".join([start(), THROW, end(), chain("start", "raise", "end")]), after=LATE)
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    assert h.incidents(key) == []
    h.assert_instance_completed(key)


def test_link_events_jump_to_the_catch_with_the_same_name(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                '<bpmn:intermediateThrowEvent id="goto">'
                '<bpmn:linkEventDefinition name="next" /></bpmn:intermediateThrowEvent>',
                '<bpmn:intermediateCatchEvent id="landing">'
                '<bpmn:linkEventDefinition name="next" /></bpmn:intermediateCatchEvent>',
                '<bpmn:intermediateCatchEvent id="other">'
                '<bpmn:linkEventDefinition name="elsewhere" /></bpmn:intermediateCatchEvent>',
                end(),
                end("other_end"),
                chain("start", "goto"),
                chain("landing", "end"),
                chain("other", "other_end"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    assert h.completed_elements(key) == ["start", "goto", "landing", "end", "p"]


def test_terminate_end_event_ends_the_whole_instance(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                '<bpmn:parallelGateway id="fork" />',
                service_task("task", "work"),
                end("stop", "<bpmn:terminateEventDefinition />"),
                end(),
                chain("start", "fork"),
                chain("fork", "task", "end"),
                chain("fork", "stop"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    assert h.jobs() == []
    assert ("task", "ELEMENT_TERMINATED") in h.element_intents(key)
    h.assert_element_completed(key, "stop")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)


def test_terminate_end_event_in_a_subprocess_ends_only_the_subprocess(h: Harness) -> None:
    inner = "\n".join(
        [
            start("s_start"),
            '<bpmn:parallelGateway id="fork" />',
            service_task("task", "work"),
            end("stop", "<bpmn:terminateEventDefinition />"),
            end("s_end"),
            chain("s_start", "fork"),
            chain("fork", "task", "s_end"),
            chain("fork", "stop"),
        ]
    )
    xml = process(
        "\n".join(
            [
                start(),
                sub_process("sub", inner),
                service_task("after", "after"),
                end(),
                chain("start", "sub", "after", "end"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    assert h.jobs("work") == []
    h.assert_element_completed(key, "sub")
    [job] = h.activate_jobs("after")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_escalation_code_expression_failure_is_an_incident_then_resolved(h: Harness) -> None:
    xml = process(
        "\n".join([start(), end("raise", ESC), chain("start", "raise")]),
        after='<bpmn:escalation id="Esc" name="Esc" escalationCode="=code" />',
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    incident = h.assert_incident(key, "EXTRACT_VALUE_ERROR")
    assert incident["elementId"] == "raise"
    h.set_variables(key, {"code": "LATE"})
    h.resolve_incident(incident["key"])
    h.assert_instance_completed(key)
    assert h.completed_elements(key) == ["start", "raise", "p"]
