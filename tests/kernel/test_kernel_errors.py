"""BPMN errors thrown by jobs and error end events: boundary, event subprocess, across a call
activity, uncaught."""

from __future__ import annotations

from kernel_xml import (
    boundary,
    chain,
    end,
    error,
    ext,
    flow,
    io,
    process,
    service_task,
    start,
    sub_process,
)

from cadenza.kernel import ValueType
from cadenza.runtime import BpmnError
from cadenza.testing import Harness

ERR = '<bpmn:errorEventDefinition errorRef="Err" />'
CATCH_ALL = "<bpmn:errorEventDefinition />"


def with_boundary(definition: str = ERR, outputs: list[tuple[str, str]] | None = None) -> str:
    return process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                f'<bpmn:boundaryEvent id="caught" attachedToRef="task">'
                f"{ext(io(outputs=outputs or []))}{definition}</bpmn:boundaryEvent>",
                end("handled"),
                chain("start", "task", "end"),
                flow("caught", "handled"),
            ]
        ),
        after=error("Err", "PAYMENT_FAILED"),
    )


def test_error_boundary_catches_a_thrown_error(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "PAYMENT_FAILED", "card declined", {"reason": "declined"})
    assert ("task", "ELEMENT_TERMINATED") in h.element_intents(key)
    h.assert_element_completed(key, "caught")
    h.assert_element_completed(key, "handled")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)
    assert h.jobs() == []
    # error variables are created in the catch event's scope, not propagated without mappings
    caught = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="caught")[0]
    [variable] = h.records(ValueType.VARIABLE, "CREATED")
    assert (variable.value["name"], variable.value["scopeKey"]) == ("reason", caught.key)
    assert h.variables(key) == {}


def test_error_variables_reach_the_process_through_output_mappings(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary(outputs=[("=reason", "why")])))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "PAYMENT_FAILED", "card declined", {"reason": "declined"})
    h.assert_instance_completed(key)
    assert h.variables(key) == {"why": "declined"}


def test_error_code_and_message_variables(h: Harness) -> None:
    h.deploy(
        (
            "p.bpmn",
            with_boundary(
                '<bpmn:errorEventDefinition zeebe:errorCodeVariable="code" '
                'zeebe:errorMessageVariable="msg" />',
                outputs=[("=code", "code"), ("=msg", "msg")],
            ),
        )
    )
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "ANY", "went wrong")
    h.assert_element_completed(key, "handled")
    assert h.variables(key) == {"code": "ANY", "msg": "went wrong"}


def test_a_code_that_does_not_match_is_unhandled(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "OTHER", "nope")
    incident = h.assert_incident(key, "UNHANDLED_ERROR_EVENT")
    assert incident["elementId"] == "task"
    assert "OTHER" in incident["errorMessage"]
    h.assert_element_not_reached(key, "caught")


def test_catch_all_boundary_catches_any_code(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary(CATCH_ALL)))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "WHATEVER")
    h.assert_element_completed(key, "handled")


def test_in_process_worker_raising_bpmn_error(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary()))

    @h.worker("work")
    def work(job: object) -> None:
        raise BpmnError("PAYMENT_FAILED", "declined")

    key = h.create_instance("p")
    h.run_until_idle()
    h.assert_element_completed(key, "handled")


def test_error_end_event_in_subprocess_caught_by_boundary_on_the_subprocess(h: Harness) -> None:
    inner = "\n".join(
        [
            start("s_start"),
            end("s_end", ERR),
            chain("s_start", "s_end"),
        ]
    )
    xml = process(
        "\n".join(
            [
                start(),
                sub_process("sub", inner),
                end(),
                boundary("caught", "sub", ERR),
                end("handled"),
                chain("start", "sub", "end"),
                flow("caught", "handled"),
            ]
        ),
        after=error("Err", "PAYMENT_FAILED"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    assert ("sub", "ELEMENT_TERMINATED") in h.element_intents(key)
    h.assert_element_completed(key, "handled")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)


def test_error_caught_by_an_event_subprocess(h: Harness) -> None:
    esp = sub_process(
        "onError",
        "\n".join([start("e_start", ERR), end("e_end"), chain("e_start", "e_end")]),
        triggered_by_event=True,
    )
    xml = process(
        "\n".join(
            [start(), service_task("task", "work"), end(), chain("start", "task", "end"), esp]
        ),
        after=error("Err", "PAYMENT_FAILED"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "PAYMENT_FAILED", "", {"why": "x"})
    assert ("task", "ELEMENT_TERMINATED") in h.element_intents(key)
    h.assert_element_completed(key, "e_end")
    h.assert_element_completed(key, "onError")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)
    start_key = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING", element_id="e_start")[
        0
    ].key
    [variable] = h.records(ValueType.VARIABLE, "CREATED")
    assert (variable.value["name"], variable.value["scopeKey"]) == ("why", start_key)
    assert h.variables(key) == {}


def test_boundary_is_preferred_over_the_event_subprocess_of_an_outer_scope(h: Harness) -> None:
    esp = sub_process(
        "onError",
        "\n".join([start("e_start", ERR), end("e_end"), chain("e_start", "e_end")]),
        triggered_by_event=True,
    )
    xml = process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                boundary("caught", "task", ERR),
                end("handled"),
                chain("start", "task", "end"),
                flow("caught", "handled"),
                esp,
            ]
        ),
        after=error("Err", "PAYMENT_FAILED"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "PAYMENT_FAILED")
    h.assert_element_completed(key, "handled")
    h.assert_element_not_reached(key, "onError")


def test_error_crosses_a_call_activity_into_the_parent(h: Harness) -> None:
    child = process(
        "\n".join([start(), service_task("task", "work"), end(), chain("start", "task", "end")]),
        process_id="child",
    )
    parent = process(
        "\n".join(
            [
                start(),
                '<bpmn:callActivity id="call"><bpmn:extensionElements>'
                '<zeebe:calledElement processId="child" /></bpmn:extensionElements>'
                "</bpmn:callActivity>",
                end(),
                boundary("caught", "call", ERR),
                end("handled"),
                chain("start", "call", "end"),
                flow("caught", "handled"),
            ]
        ),
        process_id="parent",
        after=error("Err", "PAYMENT_FAILED"),
    )
    h.deploy(("child.bpmn", child), ("parent.bpmn", parent))
    key = h.create_instance("parent")
    [job] = h.activate_jobs("work")
    child_key = job.process_instance_key
    assert child_key != key
    h.throw_error(job.key, "PAYMENT_FAILED")
    h.assert_instance_terminated(child_key)
    h.assert_element_completed(key, "handled")
    h.assert_instance_completed(key)


def test_uncaught_error_end_event_raises_an_incident(h: Harness) -> None:
    xml = process(
        "\n".join([start(), end("boom", ERR), chain("start", "boom")]),
        after=error("Err", "PAYMENT_FAILED"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    incident = h.assert_incident(key, "UNHANDLED_ERROR_EVENT")
    assert incident["elementId"] == "boom"
    assert h.instance_state(key) == "ACTIVE"
    assert h.records(ValueType.INCIDENT, "CREATED")


def test_resolving_an_unhandled_job_error_re_enables_the_job(h: Harness) -> None:
    h.deploy(("p.bpmn", with_boundary()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.throw_error(job.key, "UNKNOWN")
    incident = h.assert_incident(key, "UNHANDLED_ERROR_EVENT")
    assert incident["jobKey"] == job.key
    assert h.activate_jobs("work") == []
    h.resolve_incident(incident["key"])
    [again] = h.activate_jobs("work")
    assert again.key == job.key
    h.complete_job(again.key)
    h.assert_element_completed(key, "end")
    h.assert_instance_completed(key)


def test_resolving_the_incident_of_an_error_end_event_raises_it_again(h: Harness) -> None:
    xml = process(
        "\n".join([start(), end("boom", ERR), chain("start", "boom")]),
        after=error("Err", "PAYMENT_FAILED"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    first = h.assert_incident(key, "UNHANDLED_ERROR_EVENT")
    h.resolve_incident(first["key"])
    second = h.assert_incident(key, "UNHANDLED_ERROR_EVENT")
    assert second["key"] != first["key"]
    activated = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="boom")
    assert len(activated) == 1


def test_error_end_event_payload_reaches_the_catch_event(h: Harness) -> None:
    thrower = (
        '<bpmn:endEvent id="s_end">'
        + ext(io(inputs=[("=order.id", "failedId")]))
        + f"{ERR}</bpmn:endEvent>"
    )
    inner = "\n".join([start("s_start"), thrower, chain("s_start", "s_end")])
    catcher = (
        '<bpmn:boundaryEvent id="caught" attachedToRef="sub">'
        + ext(io(outputs=[("=failedId", "failed")]))
        + f"{ERR}</bpmn:boundaryEvent>"
    )
    xml = process(
        "\n".join(
            [
                start(),
                sub_process("sub", inner),
                end(),
                catcher,
                end("handled"),
                chain("start", "sub", "end"),
                chain("caught", "handled"),
            ]
        ),
        after=error("Err", "PAYMENT_FAILED"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"order": {"id": "o-7"}})
    h.assert_element_completed(key, "handled")
    assert h.variables(key) == {"order": {"id": "o-7"}, "failed": "o-7"}
