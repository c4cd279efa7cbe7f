"""Signals: start events, intermediate catch, boundary, event subprocess; broadcast reaches every
open subscription; signals are not buffered."""

from __future__ import annotations

from kernel_xml import (
    boundary,
    catch,
    chain,
    end,
    process,
    service_task,
    signal,
    start,
    sub_process,
)

from cadenza.kernel import ValueType
from cadenza.testing import Harness

SIG = '<bpmn:signalEventDefinition signalRef="Go" />'
GO = signal("Go", "go")


def waiting(process_id: str = "p") -> str:
    return process(
        "\n".join([start(), catch("wait", SIG), end(), chain("start", "wait", "end")]),
        after=GO,
        process_id=process_id,
    )


def test_broadcast_triggers_every_waiting_catch_event(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()), ("q.bpmn", waiting("q")))
    keys = [h.create_instance("p"), h.create_instance("p"), h.create_instance("q")]
    h.broadcast_signal("go", {"v": 1})
    for key in keys:
        h.assert_instance_completed(key)
        assert h.variables(key)["v"] == 1
    assert h.state.signal_subscriptions == {}


def test_signals_are_not_buffered(h: Harness) -> None:
    h.deploy(("p.bpmn", waiting()))
    h.broadcast_signal("go")
    key = h.create_instance("p")
    assert h.instance_state(key) == "ACTIVE"
    h.broadcast_signal("other")
    assert h.instance_state(key) == "ACTIVE"


def test_signal_start_event_creates_an_instance(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start("start", SIG),
                service_task("task", "work"),
                end(),
                chain("start", "task", "end"),
            ]
        ),
        after=GO,
    )
    h.deploy(("p.bpmn", xml))
    h.broadcast_signal("go", {"n": 7})
    [job] = h.activate_jobs("work")
    assert job.variables == {"n": 7}
    h.broadcast_signal("go", {"n": 8})
    assert len(h.jobs("work")) == 2


def test_signal_boundary_interrupts_the_task(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                service_task("task", "work"),
                end(),
                boundary("stop", "task", SIG),
                end("stopped"),
                chain("start", "task", "end"),
                chain("stop", "stopped"),
            ]
        ),
        after=GO,
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.broadcast_signal("go")
    assert h.jobs() == []
    h.assert_element_completed(key, "stopped")
    h.assert_instance_completed(key)


def test_signal_event_subprocess_and_catch_in_the_same_broadcast(h: Harness) -> None:
    esp = sub_process(
        "esp",
        "\n".join(
            [
                start("esp_start", SIG, interrupting=False),
                end("esp_end"),
                chain("esp_start", "esp_end"),
            ]
        ),
        triggered_by_event=True,
    )
    xml = process(
        "\n".join([start(), catch("wait", SIG), end(), chain("start", "wait", "end"), esp]),
        after=GO,
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    assert len(h.state.signal_subscriptions) == 2
    h.broadcast_signal("go")
    h.assert_element_completed(key, "esp")
    h.assert_element_completed(key, "wait")
    h.assert_instance_completed(key)


def test_signal_end_event_broadcasts(h: Harness) -> None:
    thrower = process(
        "\n".join([start(), end("send", SIG), chain("start", "send")]), after=GO, process_id="t"
    )
    h.deploy(("p.bpmn", waiting()), ("t.bpmn", thrower))
    waiter = h.create_instance("p")
    h.create_instance("t")
    h.assert_instance_completed(waiter)
    assert len(h.records(ValueType.SIGNAL_SUBSCRIPTION, "DELETED")) == 1
