"""The replay invariant: the events of the log, replayed onto an empty state, rebuild the live
state. ``canonical`` keeps the meaningful parts of a state (not due-date heaps or caches)."""

from __future__ import annotations

import json
from typing import Any

from cadenza.kernel import Kernel, Record, RecordType, RejectionType, State, ValueType
from cadenza.kernel._snapshot import from_snapshot, to_snapshot
from cadenza.testing import Harness


def canonical(state: State) -> dict[str, Any]:
    """The parts of ``state`` that replay must rebuild exactly, as plain comparable values."""
    return {
        "last_key": state.last_key,
        "last_position": state.last_position,
        "processes": {
            k: (p.bpmn_process_id, p.version, p.checksum, p.resource_name, p.deployment_key)
            for k, p in state.processes.items()
        },
        "process_versions": state.process_versions,
        "process_version_counter": state.process_version_counter,
        "drgs": {
            k: (d.drg_id, d.version, d.checksum, d.decision_keys) for k, d in state.drgs.items()
        },
        "decisions": {k: (d.decision_id, d.version, d.drg_key) for k, d in state.decisions.items()},
        "forms": {k: (f.form_id, f.version, f.checksum) for k, f in state.forms.items()},
        "elements": {
            k: {
                "id": e.element.id,
                "state": e.state,
                "value": e.value,
                "parent": e.parent_key,
                "active_flows": e.active_flows,
                "job": e.job_key,
                "user_task": e.user_task_key,
                "called_child": e.called_child_key,
                "loop_counter": e.loop_counter,
                "mi": (e.mi_next, e.mi_completed, e.mi_terminated),
                "interrupting": e.interrupting_event,
                "joins": e.taken_joins,
            }
            for k, e in state.elements.items()
        },
        "children": {k: list(v) for k, v in state.children.items() if v},
        "variables": state.variables,
        "variable_keys": state.variable_keys,
        "event_triggers": {
            k: [(t.key, t.element_id, t.variables) for t in v]
            for k, v in state.event_triggers.items()
        },
        "mi_inputs": state.mi_inputs,
        "mi_outputs": state.mi_outputs,
        "jobs": {k: (j.state, j.value) for k, j in state.jobs.items()},
        "activatable": {t: list(keys) for t, keys in state.activatable.items() if keys},
        "timers": {k: t.value for k, t in state.timers.items()},
        "timers_by_element": state.timers_by_element,
        "messages": {
            k: (m.value, m.deadline, sorted(m.correlated_processes))
            for k, m in state.messages.items()
        },
        "messages_by_name": {k: list(v) for k, v in state.messages_by_name.items()},
        "message_ids": state.message_ids,
        "subscriptions": {k: s.value for k, s in state.subscriptions.items()},
        "subscriptions_by_element": state.subscriptions_by_element,
        "subscriptions_by_name": {k: list(v) for k, v in state.subscriptions_by_name.items()},
        "message_start_events": state.message_start_events,
        "message_start_instances": state.message_start_instances,
        "instance_correlation_keys": state.instance_correlation_keys,
        "signal_subscriptions": {k: s.value for k, s in state.signal_subscriptions.items()},
        "signal_by_name": {k: list(v) for k, v in state.signal_by_name.items()},
        "signal_by_element": state.signal_by_element,
        "incidents": state.incidents,
        "incident_by_element": state.incident_by_element,
        "incident_by_job": state.incident_by_job,
        "user_tasks": state.user_tasks,
    }


# the lifecycle of an element instance: which intent may follow which
_NEXT = {
    None: {"ELEMENT_ACTIVATING"},
    "ELEMENT_ACTIVATING": {"ELEMENT_ACTIVATED", "ELEMENT_TERMINATING"},
    "ELEMENT_ACTIVATED": {"ELEMENT_COMPLETING", "ELEMENT_TERMINATING"},
    "ELEMENT_COMPLETING": {"ELEMENT_COMPLETED", "ELEMENT_TERMINATING"},
    "ELEMENT_TERMINATING": {"ELEMENT_TERMINATED"},
    "ELEMENT_COMPLETED": set(),
    "ELEMENT_TERMINATED": set(),
}


def assert_lifecycles(records: list[Record]) -> None:
    """Every element instance walks its lifecycle in order, each step once."""
    last: dict[int, str | None] = {}
    for record in records:
        if (
            record.record_type is not RecordType.EVENT
            or record.value_type is not ValueType.PROCESS_INSTANCE
            or record.intent == "SEQUENCE_FLOW_TAKEN"
        ):
            continue
        before = last.get(record.key)
        assert record.intent in _NEXT[before], (
            f"{record.value.get('elementId')} ({record.key}): {before} -> {record.intent}"
        )
        last[record.key] = record.intent


def assert_replay_matches(harness: Harness) -> None:
    """Replaying the harness's log onto an empty state gives its live state; and no command
    failed with an unexpected exception inside the kernel."""
    records = list(harness.store.read(harness.partition.partition_id))
    crashed = [
        r
        for r in records
        if r.record_type is RecordType.COMMAND_REJECTION
        and r.rejection_type is RejectionType.PROCESSING_ERROR
    ]
    assert not crashed, [(r.value_type.name, r.intent, r.rejection_reason) for r in crashed]
    assert_lifecycles(records)
    replayed = Kernel(harness.partition.partition_id)
    replayed.replay(records)
    live = canonical(harness.state)
    again = canonical(replayed.state)
    differing = [name for name in live if live[name] != again[name]]
    assert not differing, {name: (live[name], again[name]) for name in differing}
    # the other recovery path: a snapshot of the state (through JSON, as stored) restores it
    stored = json.loads(json.dumps(to_snapshot(harness.state)))
    restored = canonical(from_snapshot(stored))
    differing = [name for name in live if live[name] != restored[name]]
    assert not differing, {name: (live[name], restored[name]) for name in differing}
