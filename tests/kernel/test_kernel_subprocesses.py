"""Embedded subprocesses and event subprocesses (message, timer, signal, error, escalation
starts; interrupting and non-interrupting)."""

from __future__ import annotations

from datetime import timedelta

from kernel_xml import (
    chain,
    end,
    escalation,
    message,
    process,
    service_task,
    signal,
    start,
    sub_process,
    timer,
)

from cadenza.kernel import ValueType
from cadenza.testing import Harness


def test_embedded_subprocess_runs_its_children_then_continues(h: Harness) -> None:
    inner = "\n".join(
        [
            start("s_start"),
            service_task("task", "work"),
            end("s_end"),
            chain("s_start", "task", "s_end"),
        ]
    )
    xml = process(
        "\n".join([start(), sub_process("sub", inner), end(), chain("start", "sub", "end")])
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    sub = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="sub")[0]
    task = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="task")[0]
    assert task.value["flowScopeKey"] == sub.key
    h.complete_job(job.key)
    assert h.completed_elements(key) == ["start", "s_start", "task", "s_end", "sub", "end", "p"]


def with_event_sub_process(definition: str, *, interrupting: bool, after: str = "") -> str:
    esp = sub_process(
        "esp",
        "\n".join(
            [
                start("esp_start", definition, interrupting=interrupting),
                service_task("handle", "handle"),
                end("esp_end"),
                chain("esp_start", "handle", "esp_end"),
            ]
        ),
        triggered_by_event=True,
    )
    return process(
        "\n".join(
            [start(), service_task("task", "work"), end(), chain("start", "task", "end"), esp]
        ),
        after=after,
    )


MSG = '<bpmn:messageEventDefinition messageRef="Cancel" />'
CANCEL = message("Cancel", "cancel", "=orderId")


def test_interrupting_message_event_subprocess_terminates_the_work(h: Harness) -> None:
    h.deploy(("p.bpmn", with_event_sub_process(MSG, interrupting=True, after=CANCEL)))
    key = h.create_instance("p", {"orderId": "o-1"})
    [work] = h.activate_jobs("work")
    h.publish_message("cancel", "o-1", {"why": "customer"})
    assert ("task", "ELEMENT_TERMINATED") in h.element_intents(key)
    assert h.jobs("work") == []
    [handle] = h.activate_jobs("handle")
    assert handle.variables["why"] == "customer"
    h.complete_job(handle.key)
    h.assert_element_completed(key, "esp")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)
    # the job of the terminated task is gone
    assert [r.intent for r in h.records(ValueType.JOB) if r.key == work.key][-1] == "CANCELED"


def test_non_interrupting_message_event_subprocess_runs_beside_the_work(h: Harness) -> None:
    h.deploy(("p.bpmn", with_event_sub_process(MSG, interrupting=False, after=CANCEL)))
    key = h.create_instance("p", {"orderId": "o-1"})
    h.publish_message("cancel", "o-1")
    h.publish_message("cancel", "o-1")
    handles = h.activate_jobs("handle")
    assert len(handles) == 2
    for job in handles:
        h.complete_job(job.key)
    [work] = h.activate_jobs("work")
    h.complete_job(work.key)
    assert h.completed_elements(key).count("esp") == 2
    h.assert_element_completed(key, "end")
    h.assert_instance_completed(key)


def test_timer_event_subprocess(h: Harness) -> None:
    h.deploy(("p.bpmn", with_event_sub_process(timer("timeDuration", "PT5M"), interrupting=True)))
    key = h.create_instance("p")
    h.advance(timedelta(minutes=4))
    assert h.activate_jobs("handle") == []
    h.advance(timedelta(minutes=1))
    [handle] = h.activate_jobs("handle")
    assert h.jobs("work") == []
    h.complete_job(handle.key)
    h.assert_instance_completed(key)


def test_non_interrupting_timer_event_subprocess(h: Harness) -> None:
    xml = with_event_sub_process(timer("timeDuration", "PT5M"), interrupting=False)
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.advance(timedelta(minutes=5))
    [handle] = h.activate_jobs("handle")
    [work] = h.activate_jobs("work")
    h.complete_job(handle.key)
    h.complete_job(work.key)
    h.assert_element_completed(key, "end")
    h.assert_instance_completed(key)


def test_signal_event_subprocess(h: Harness) -> None:
    xml = with_event_sub_process(
        '<bpmn:signalEventDefinition signalRef="Stop" />',
        interrupting=True,
        after=signal("Stop", "stop"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.broadcast_signal("stop", {"by": "ops"})
    [handle] = h.activate_jobs("handle")
    assert handle.variables["by"] == "ops"
    assert h.jobs("work") == []
    h.complete_job(handle.key)
    h.assert_instance_completed(key)


def test_escalation_event_subprocess_non_interrupting(h: Harness) -> None:
    inner = "\n".join(
        [
            start("s_start"),
            '<bpmn:intermediateThrowEvent id="raise">'
            '<bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:intermediateThrowEvent>',
            service_task("task", "work"),
            end("s_end"),
            chain("s_start", "raise", "task", "s_end"),
        ]
    )
    esp = sub_process(
        "esp",
        "\n".join(
            [
                start(
                    "esp_start",
                    '<bpmn:escalationEventDefinition escalationRef="Esc" />',
                    interrupting=False,
                ),
                service_task("handle", "handle"),
                end("esp_end"),
                chain("esp_start", "handle", "esp_end"),
            ]
        ),
        triggered_by_event=True,
    )
    xml = process(
        "\n".join([start(), sub_process("sub", inner), end(), chain("start", "sub", "end"), esp]),
        after=escalation("Esc", "LATE"),
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    [handle] = h.activate_jobs("handle")
    [work] = h.activate_jobs("work")
    h.complete_job(handle.key)
    h.complete_job(work.key)
    h.assert_element_completed(key, "raise")
    h.assert_element_completed(key, "end")
    h.assert_instance_completed(key)


def test_event_subprocess_of_a_subprocess_closes_with_it(h: Harness) -> None:
    esp = sub_process(
        "esp",
        "\n".join(
            [
                start("esp_start", MSG, interrupting=False),
                end("esp_end"),
                chain("esp_start", "esp_end"),
            ]
        ),
        triggered_by_event=True,
    )
    inner = "\n".join(
        [
            start("s_start"),
            service_task("task", "work"),
            end("s_end"),
            chain("s_start", "task", "s_end"),
            esp,
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
        ),
        after=CANCEL,
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"orderId": "o-1"})
    assert len(h.state.subscriptions) == 1
    [work] = h.activate_jobs("work")
    h.complete_job(work.key)
    assert h.state.subscriptions == {}
    h.publish_message("cancel", "o-1")
    h.assert_element_not_reached(key, "esp")
    [after] = h.activate_jobs("after")
    h.complete_job(after.key)
    h.assert_instance_completed(key)


def test_non_interrupting_timer_cycle_event_subprocess_repeats(h: Harness) -> None:
    xml = with_event_sub_process(timer("timeCycle", "R2/PT1M"), interrupting=False)
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.advance(timedelta(minutes=1))
    h.advance(timedelta(minutes=1))
    h.advance(timedelta(minutes=5))
    handles = h.activate_jobs("handle")
    assert len(handles) == 2
    assert h.state.timers == {}
    [work] = h.activate_jobs("work")
    h.complete_job(work.key)
    assert h.instance_state(key) == "ACTIVE"  # the event subprocesses are still running
    for job in handles:
        h.complete_job(job.key)
    assert h.completed_elements(key).count("esp") == 2
    h.assert_instance_completed(key)


def test_interrupting_event_subprocess_terminates_running_non_interrupting_ones(
    h: Harness,
) -> None:
    notify = sub_process(
        "notify",
        "\n".join(
            [
                start("n_start", timer("timeDuration", "PT1M"), interrupting=False),
                service_task("n_task", "notify"),
                end("n_end"),
                chain("n_start", "n_task", "n_end"),
            ]
        ),
        triggered_by_event=True,
    )
    abort = sub_process(
        "abort",
        "\n".join([start("a_start", MSG), end("a_end"), chain("a_start", "a_end")]),
        triggered_by_event=True,
    )
    xml = process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                chain("start", "task", "end"),
                notify,
                abort,
            ]
        ),
        after=CANCEL,
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"orderId": "o-1"})
    h.advance(timedelta(minutes=1))
    assert len(h.jobs("notify")) == 1
    h.publish_message("cancel", "o-1")
    assert ("notify", "ELEMENT_TERMINATED") in h.element_intents(key)
    assert ("task", "ELEMENT_TERMINATED") in h.element_intents(key)
    assert h.jobs() == []
    h.assert_element_completed(key, "abort")
    h.assert_instance_completed(key)
    # triggered once: a second message finds no subscription
    assert h.state.subscriptions == {}
