"""Call activities: variable propagation, child completion, cancellation, errors, missing
called processes."""

from __future__ import annotations

from kernel_xml import chain, end, ext, io, process, service_task, start

from cadenza.kernel import ValueType
from cadenza.testing import Harness


def child() -> str:
    return process(
        "\n".join([start(), service_task("task", "work"), end(), chain("start", "task", "end")]),
        process_id="child",
    )


def parent(
    process_id: str = "child",
    *,
    parent_vars: bool | None = None,
    child_vars: bool | None = None,
    inputs: list[tuple[str, str]] | None = None,
    outputs: list[tuple[str, str]] | None = None,
) -> str:
    attributes = f'processId="{process_id}"'
    if parent_vars is not None:
        attributes += f' propagateAllParentVariables="{str(parent_vars).lower()}"'
    if child_vars is not None:
        attributes += f' propagateAllChildVariables="{str(child_vars).lower()}"'
    call = (
        '<bpmn:callActivity id="call">'
        + ext(f"<zeebe:calledElement {attributes} />", io(inputs or [], outputs or []))
        + "</bpmn:callActivity>"
    )
    return process(
        "\n".join([start(), call, end(), chain("start", "call", "end")]), process_id="parent"
    )


def test_child_sees_all_parent_variables_and_returns_its_own(h: Harness) -> None:
    h.deploy(("child.bpmn", child()), ("parent.bpmn", parent()))
    key = h.create_instance("parent", {"a": 1, "b": 2})
    [job] = h.activate_jobs("work")
    assert job.bpmn_process_id == "child"
    assert job.variables == {"a": 1, "b": 2}
    child_key = job.process_instance_key
    created = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING", element_id="child")[0]
    call_key = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="call")[0].key
    assert created.value["parentProcessInstanceKey"] == key
    assert created.value["parentElementInstanceKey"] == call_key
    h.complete_job(job.key, {"result": "ok"})
    h.assert_instance_completed(child_key)
    h.assert_instance_completed(key)
    assert h.variables(key) == {"a": 1, "b": 2, "result": "ok"}


def test_propagate_all_parent_variables_false_copies_only_input_mappings(h: Harness) -> None:
    h.deploy(
        ("child.bpmn", child()),
        ("parent.bpmn", parent(parent_vars=False, inputs=[("=a", "only")])),
    )
    h.create_instance("parent", {"a": 1, "b": 2})
    [job] = h.activate_jobs("work")
    assert job.variables == {"only": 1}


def test_propagate_all_child_variables_false_applies_only_output_mappings(h: Harness) -> None:
    h.deploy(
        ("child.bpmn", child()),
        ("parent.bpmn", parent(child_vars=False, outputs=[("=result", "mapped")])),
    )
    key = h.create_instance("parent", {"a": 1})
    [job] = h.activate_jobs("work")
    h.complete_job(job.key, {"result": "ok", "noise": True})
    h.assert_instance_completed(key)
    assert h.variables(key) == {"a": 1, "mapped": "ok"}


def test_propagate_all_child_variables_false_without_mappings_returns_nothing(h: Harness) -> None:
    h.deploy(("child.bpmn", child()), ("parent.bpmn", parent(child_vars=False)))
    key = h.create_instance("parent", {"a": 1})
    [job] = h.activate_jobs("work")
    h.complete_job(job.key, {"result": "ok"})
    h.assert_instance_completed(key)
    assert h.variables(key) == {"a": 1}


def test_cancelling_the_parent_terminates_the_child(h: Harness) -> None:
    h.deploy(("child.bpmn", child()), ("parent.bpmn", parent()))
    key = h.create_instance("parent")
    [job] = h.activate_jobs("work")
    child_key = job.process_instance_key
    h.cancel_instance(key)
    h.assert_instance_terminated(child_key)
    h.assert_instance_terminated(key)
    assert h.jobs() == []
    assert h.state.elements == {}
    intents = h.element_intents(key)
    assert intents[-2:] == [("call", "ELEMENT_TERMINATED"), ("parent", "ELEMENT_TERMINATED")]


def test_a_child_instance_cannot_be_cancelled_directly(h: Harness) -> None:
    import pytest

    from cadenza.errors import CommandRejected
    from cadenza.kernel import RejectionType

    h.deploy(("child.bpmn", child()), ("parent.bpmn", parent()))
    h.create_instance("parent")
    [job] = h.activate_jobs("work")
    with pytest.raises(CommandRejected) as rejected:
        h.cancel_instance(job.process_instance_key)
    assert rejected.value.rejection_type is RejectionType.INVALID_STATE


def test_missing_called_process_is_a_called_element_error(h: Harness) -> None:
    h.deploy(("parent.bpmn", parent("nowhere")))
    key = h.create_instance("parent")
    incident = h.assert_incident(key, "CALLED_ELEMENT_ERROR")
    assert incident["elementId"] == "call"
    assert "nowhere" in incident["errorMessage"]
    h.deploy(("child.bpmn", child().replace('id="child"', 'id="nowhere"')))
    h.resolve_incident(incident["key"])
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_called_process_id_from_an_expression(h: Harness) -> None:
    h.deploy(("child.bpmn", child()), ("parent.bpmn", parent("=target")))
    key = h.create_instance("parent", {"target": "child"})
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    h.assert_instance_completed(key)
