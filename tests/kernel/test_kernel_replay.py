"""The replay invariant over random small models and random command orders: whatever happens,
replaying the log onto an empty state rebuilds the live state, and the kernel never fails."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kernel_replay import assert_replay_matches, canonical
from kernel_xml import (
    boundary,
    catch,
    chain,
    end,
    error,
    flow,
    message,
    multi_instance,
    process,
    service_task,
    signal,
    start,
    sub_process,
    timer,
)

from cadenza.errors import CommandRejected
from cadenza.kernel import Kernel
from cadenza.testing import Harness

BLOCKS = (
    "task",
    "timer",
    "message",
    "parallel",
    "xor",
    "inclusive",
    "sub",
    "mi",
    "guarded",
    "signal",
    "call",
    "race",
    "cancellable",
)
CHILD = process(
    "\n".join([start(), service_task("task", "work"), end(), chain("start", "task", "end")]),
    process_id="child",
)


def block(kind: str, n: int) -> tuple[str, str, str]:
    """XML of one block, and the ids where flows enter and leave it."""
    b = f"{kind}{n}"
    if kind == "task":
        return service_task(b, "work"), b, b
    if kind == "timer":
        return catch(b, timer("timeDuration", "PT1M")), b, b
    if kind == "message":
        return catch(b, '<bpmn:messageEventDefinition messageRef="Msg" />'), b, b
    if kind == "signal":
        return catch(b, '<bpmn:signalEventDefinition signalRef="Sig" />'), b, b
    if kind == "call":
        called = '<zeebe:calledElement processId="child" />'
        return (
            (
                f'<bpmn:callActivity id="{b}"><bpmn:extensionElements>{called}'
                "</bpmn:extensionElements></bpmn:callActivity>"
            ),
            b,
            b,
        )
    if kind == "race":  # an event-based gateway: the message or a timer
        xml = "\n".join(
            [
                f'<bpmn:eventBasedGateway id="{b}g" />',
                catch(f"{b}m", '<bpmn:messageEventDefinition messageRef="Msg" />'),
                catch(f"{b}t", timer("timeDuration", "PT2M")),
                f'<bpmn:exclusiveGateway id="{b}j" />',
                chain(f"{b}g", f"{b}m", f"{b}j"),
                chain(f"{b}g", f"{b}t", f"{b}j"),
            ]
        )
        return xml, f"{b}g", f"{b}j"
    if kind == "cancellable":  # an interrupting message boundary on a task
        xml = "\n".join(
            [
                service_task(b, "work"),
                boundary(f"{b}b", b, '<bpmn:messageEventDefinition messageRef="Msg" />'),
                f'<bpmn:exclusiveGateway id="{b}j" />',
                chain(b, f"{b}j"),
                chain(f"{b}b", f"{b}j"),
            ]
        )
        return xml, b, f"{b}j"
    if kind in ("parallel", "inclusive"):
        tag = "parallelGateway" if kind == "parallel" else "inclusiveGateway"
        default = f' default="{b}f_to_{b}y"' if kind == "inclusive" else ""
        conditions = (None, None) if kind == "parallel" else ("=n > 0", "=n > 1")
        xml = "\n".join(
            [
                f'<bpmn:{tag} id="{b}f"{default} />',
                f'<bpmn:{tag} id="{b}j" />',
                service_task(f"{b}x", "work"),
                service_task(f"{b}y", "work"),
                flow(f"{b}f", f"{b}x", condition=conditions[0]),
                flow(f"{b}f", f"{b}y", condition=conditions[1]),
                chain(f"{b}x", f"{b}j"),
                chain(f"{b}y", f"{b}j"),
            ]
        )
        return xml, f"{b}f", f"{b}j"
    if kind == "xor":
        xml = "\n".join(
            [
                f'<bpmn:exclusiveGateway id="{b}f" />',
                f'<bpmn:exclusiveGateway id="{b}j" />',
                service_task(f"{b}x", "work"),
                service_task(f"{b}y", "work"),
                flow(f"{b}f", f"{b}x", condition="=n > 1"),
                flow(f"{b}f", f"{b}y", condition="=n <= 1"),
                chain(f"{b}x", f"{b}j"),
                chain(f"{b}y", f"{b}j"),
            ]
        )
        return xml, f"{b}f", f"{b}j"
    if kind == "sub":
        inner = "\n".join(
            [
                start(f"{b}s"),
                service_task(f"{b}t", "work"),
                end(f"{b}e"),
                chain(f"{b}s", f"{b}t", f"{b}e"),
            ]
        )
        xml = "\n".join(
            [
                sub_process(b, inner),
                boundary(f"{b}b", b, timer("timeCycle", "R2/PT1M"), interrupting=False),
                end(f"{b}be"),
                chain(f"{b}b", f"{b}be"),
            ]
        )
        return xml, b, b
    if kind == "mi":
        loop = multi_instance(
            "=[1, 2, 3]", "item", output_collection=f"out{n}", output_element="=item"
        )
        return service_task(b, "work", inner=loop), b, b
    # guarded: a task whose errors are caught by a boundary
    xml = "\n".join(
        [
            service_task(b, "work"),
            boundary(f"{b}b", b, '<bpmn:errorEventDefinition errorRef="Err" />'),
            f'<bpmn:exclusiveGateway id="{b}j" />',
            chain(b, f"{b}j"),
            chain(f"{b}b", f"{b}j"),
        ]
    )
    return xml, b, f"{b}j"


def model(kinds: list[str]) -> str:
    parts = [start()]
    previous = "start"
    for n, kind in enumerate(kinds):
        xml, entry, leave = block(kind, n)
        parts += [xml, flow(previous, entry)]
        previous = leave
    parts += [end(), flow(previous, "end")]
    refs = message("Msg", "msg", "=k") + error("Err", "E") + signal("Sig", "sig")
    return process("\n".join(parts), after=refs)


# (action, a number, another number): what the numbers mean depends on the action
Action = tuple[str, int, int]
ACTIONS = st.tuples(
    st.sampled_from(["complete", "fail", "error", "advance", "publish", "retry", "set", "cancel"]),
    st.integers(0, 120),
    st.integers(0, 2),
)
ERROR_CODES = ("E", "OTHER", "E")


def act(h: Harness, key: int, action: Action) -> None:
    name, number, other = action
    jobs = sorted(j["key"] for j in h.jobs("work"))
    job = jobs[number % len(jobs)] if jobs else None
    if name == "complete" and job is not None:
        h.activate_jobs("work")
        h.complete_job(job, {"done": number})
    elif name == "fail" and job is not None:
        h.fail_job(job, retries=other, retry_backoff=timedelta(seconds=other * 30))
    elif name == "error" and job is not None:
        h.throw_error(job, ERROR_CODES[other])
    elif name == "advance":
        h.advance(timedelta(seconds=1 + number % 90))
    elif name == "publish":
        h.publish_message("msg", "k1", {"m": 1}, ttl=timedelta(seconds=number))
    elif name == "retry":
        incidents = h.incidents()
        if incidents:
            incident = incidents[number % len(incidents)]
            if incident["jobKey"] > 0:
                h.update_job_retries(incident["jobKey"], 1)
            h.resolve_incident(incident["key"])
    elif name == "set" and key in h.state.elements:
        h.set_variables(key, {"n": number % 4})
    elif name == "cancel":
        h.cancel_instance(key)
    elif name == "signal":
        h.broadcast_signal("sig", {"s": number})


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    kinds=st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=4),
    n=st.integers(0, 3),
    actions=st.lists(ACTIONS, max_size=14),
)
def test_replay_rebuilds_the_state_after_any_scenario(
    kinds: list[str], n: int, actions: list[Action]
) -> None:
    h = Harness()
    try:
        h.deploy(("child.bpmn", CHILD), ("p.bpmn", model(kinds)))
        key = h.create_instance("p", {"n": n, "k": "k1"})
        for action in actions:
            # a command the state forbids is a valid outcome here
            with contextlib.suppress(CommandRejected):
                act(h, key, action)
            assert_replay_matches(h)
        drain(h, key)
        assert h.instance_state(key) in ("COMPLETED", "TERMINATED"), h.element_intents(key)[-6:]
        assert h.jobs() == []
        assert h.state.subscriptions == {}
        assert [t for t in h.state.timers.values() if t.value["elementInstanceKey"] != -1] == []
        assert_replay_matches(h)
    finally:
        h.close()


def drain(h: Harness, key: int) -> None:
    """Give the instance everything it may wait for until it ends: retries, job completions,
    the message, time."""
    for _ in range(40):
        if key not in h.state.elements:
            return
        for incident in h.incidents():  # the called instances' too
            if incident["jobKey"] > 0:
                h.update_job_retries(incident["jobKey"], 1)
            h.resolve_incident(incident["key"])
        for job in h.activate_jobs("work", max_jobs=100):
            h.complete_job(job.key)
        h.publish_message("msg", "k1", ttl=timedelta(seconds=30))
        h.broadcast_signal("sig")
        h.advance(timedelta(minutes=2))


def test_replay_of_a_finished_instance_leaves_only_deployments(h: Harness) -> None:
    h.deploy(("p.bpmn", model(["task", "parallel"])))
    key = h.create_instance("p", {"n": 1, "k": "k1"})
    while jobs := h.activate_jobs("work"):
        for job in jobs:
            h.complete_job(job.key)
    h.assert_instance_completed(key)
    replayed = Kernel()
    replayed.replay(h.store.read(1))
    state = canonical(replayed.state)
    assert state["elements"] == {}
    assert state["jobs"] == {}
    assert state["variables"] == {}
    assert len(state["processes"]) == 1
