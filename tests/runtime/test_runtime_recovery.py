"""Durability: what was acknowledged survives a restart, from the log and from snapshots."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
from runtime_models import ONE_TASK, TIMER_WAIT

import cadenza
from cadenza.kernel import Kernel, RecordType
from cadenza.kernel._snapshot import to_snapshot
from cadenza.runtime import ControlledClock, Engine
from cadenza.store import SqliteStore


def _canonical(state: object) -> str:
    return json.dumps(to_snapshot(state), sort_keys=True)  # type: ignore[arg-type]


def test_restart_recovers_instances_jobs_and_variables(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "db.sqlite"
    with Engine(path) as engine:
        engine.deploy(("one.bpmn", ONE_TASK))
        first = engine.create_instance("one", {"n": 1})
        second = engine.create_instance("one", {"n": 2})
        before = _canonical(engine.state)
    with Engine(path) as engine:
        assert _canonical(engine.state) == before
        jobs = engine.activate_jobs("work", max_jobs=10)
        assert sorted(j.variables["n"] for j in jobs) == [1, 2]
        for job in jobs:
            engine.complete_job(job.key, {"done": True})
        assert engine.instance_state(first) == "COMPLETED"
        assert engine.instance_state(second) == "COMPLETED"


def test_snapshot_then_tail_gives_the_same_state_as_full_replay(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "db.sqlite"
    with Engine(path) as engine:
        engine.deploy(("one.bpmn", ONE_TASK))
        engine.create_instance("one", {"n": 1})
        engine.partition.snapshot()
        engine.create_instance("one", {"n": 2})
        live = _canonical(engine.state)
    store = SqliteStore(path)
    snapshot = store.latest_snapshot(1)
    assert snapshot is not None and snapshot.position > 0
    full = Kernel()
    full.replay(store.read(1))
    store.close()
    assert _canonical(full.state) == live
    with Engine(path) as engine:  # recovers from the snapshot plus the tail
        assert _canonical(engine.state) == live


def test_timers_survive_a_restart(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "db.sqlite"
    clock = ControlledClock()
    with Engine(path, clock=clock) as engine:
        engine.deploy(("wait.bpmn", TIMER_WAIT))
        key = engine.create_instance("wait")
    clock.advance(timedelta(hours=2))
    with Engine(path, clock=clock) as engine:
        engine.run_until_idle()
        assert engine.instance_state(key) == "COMPLETED"


WRITER = textwrap.dedent(
    """
    import sys, cadenza
    engine = cadenza.Engine(sys.argv[1])
    engine.deploy(("one.bpmn", sys.argv[2]))
    print("ready", flush=True)
    n = 0
    while True:
        key = engine.create_instance("one", {"n": n})
        print(f"created {key} {n}", flush=True)   # acknowledged: the call returned
        n += 1
    """
)


@pytest.mark.slow
def test_sigkill_loses_nothing_acknowledged(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "db.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), ONE_TASK],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    acknowledged: list[int] = []
    try:
        assert process.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 10
        while len(acknowledged) < 200 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("created"):
                acknowledged.append(int(line.split()[1]))
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    assert len(acknowledged) >= 50
    with Engine(path) as engine:
        for key in acknowledged:
            assert engine.state.elements[key].value["bpmnProcessId"] == "one"
        jobs = engine.activate_jobs("work", max_jobs=10_000)
        assert len(jobs) == len(engine.state.jobs) >= len(acknowledged)
        for job in jobs:
            engine.complete_job(job.key)
        completed = [
            r.key
            for r in engine.records()
            if r.record_type is RecordType.EVENT
            and r.intent == "ELEMENT_COMPLETED"
            and r.value["bpmnElementType"] == "PROCESS"
        ]
        assert len(completed) == len(set(completed))  # nothing completed twice
        assert set(acknowledged) <= set(completed)


def test_a_failing_command_is_rejected_and_the_state_stays_consistent(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = cadenza.Engine(tmp_path / "db.sqlite")
    engine.deploy(("one.bpmn", ONE_TASK))
    kept = engine.create_instance("one", {"n": 1})
    before = _canonical(engine.state)

    from cadenza.kernel import _commands

    def explode(bpmn: object, command: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setitem(
        __import__("cadenza.kernel._kernel", fromlist=["PROCESSORS"]).PROCESSORS,
        (cadenza.kernel.ValueType.PROCESS_INSTANCE_CREATION, "CREATE"),
        explode,
    )
    with pytest.raises(cadenza.CommandRejected) as rejected:
        engine.create_instance("one", {"n": 2})
    assert rejected.value.rejection_type.name == "PROCESSING_ERROR"
    assert "a bug" in rejected.value.reason
    monkeypatch.undo()
    after = json.loads(_canonical(engine.state))
    expected = json.loads(before)
    assert after["elements"] == expected["elements"]
    assert kept in engine.state.elements
    assert _commands is not None
    engine.close()


def test_closing_after_much_work_writes_a_snapshot(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "db.sqlite"
    with Engine(path) as engine:
        engine.deploy(("one.bpmn", ONE_TASK))
        engine.create_instances("one", [{"n": n} for n in range(1_000)])
        live = _canonical(engine.state)
        position = engine.state.last_position
    store = SqliteStore(path)
    snapshot = store.latest_snapshot(1)
    store.close()
    assert snapshot is not None and snapshot.position == position
    with Engine(path) as engine:
        assert _canonical(engine.state) == live
