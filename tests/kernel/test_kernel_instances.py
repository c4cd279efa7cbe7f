"""Process instances and deployments: start/end, sequence flows, create with result, cancel,
versioning, rejections."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from kernel_xml import chain, definitions, end, process, service_task, start

from cadenza.errors import CommandRejected
from cadenza.kernel import RejectionType, ValueType
from cadenza.testing import Harness


def straight(job_type: str = "work", process_id: str = "p") -> str:
    return process(
        "\n".join([start(), service_task("task", job_type), end(), chain("start", "task", "end")]),
        process_id=process_id,
    )


def test_lifecycle_of_a_straight_process(h: Harness) -> None:
    xml = process("\n".join([start(), end(), chain("start", "end")]))
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p", {"a": 1})
    assert h.element_intents(key) == [
        ("p", "ELEMENT_ACTIVATING"),
        ("p", "ELEMENT_ACTIVATED"),
        ("start", "ELEMENT_ACTIVATING"),
        ("start", "ELEMENT_ACTIVATED"),
        ("start", "ELEMENT_COMPLETING"),
        ("start", "ELEMENT_COMPLETED"),
        ("start_to_end", "SEQUENCE_FLOW_TAKEN"),
        ("end", "ELEMENT_ACTIVATING"),
        ("end", "ELEMENT_ACTIVATED"),
        ("end", "ELEMENT_COMPLETING"),
        ("end", "ELEMENT_COMPLETED"),
        ("p", "ELEMENT_COMPLETING"),
        ("p", "ELEMENT_COMPLETED"),
    ]
    [created] = h.records(ValueType.PROCESS_INSTANCE_CREATION, "CREATED")
    assert created.value["processInstanceKey"] == key
    assert h.variables(key) == {"a": 1}
    assert h.state.elements == {}
    assert h.state.variables == {}


def test_implicit_split_takes_every_outgoing_flow(h: Harness) -> None:
    xml = process(
        "\n".join([start(), end("a"), end("b"), chain("start", "a"), chain("start", "b")])
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    assert h.completed_elements(key) == ["start", "a", "b", "p"]


def test_process_completes_only_when_every_path_ended(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                service_task("slow", "slow"),
                end("a"),
                end("b"),
                chain("start", "slow", "a"),
                chain("start", "b"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    key = h.create_instance("p")
    h.assert_element_completed(key, "b")
    assert h.instance_state(key) == "ACTIVE"
    [job] = h.activate_jobs("slow")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_create_instance_with_result(h: Harness) -> None:
    h.deploy(("p.bpmn", straight()))

    @h.worker("work")
    def work(job: object) -> dict[str, object]:
        return {"y": job.variables["x"] * 2, "z": 0}  # type: ignore[attr-defined]

    assert h.create_instance_with_result("p", {"x": 21}, fetch_variables=["y"]) == {"y": 42}
    assert h.create_instance_with_result("p", {"x": 1}) == {"x": 1, "y": 2, "z": 0}


def test_cancel_instance_terminates_everything(h: Harness) -> None:
    h.deploy(("p.bpmn", straight()))
    key = h.create_instance("p")
    h.cancel_instance(key)
    h.assert_instance_terminated(key)
    assert h.jobs() == []
    assert h.element_intents(key)[-4:] == [
        ("p", "ELEMENT_TERMINATING"),
        ("task", "ELEMENT_TERMINATING"),
        ("task", "ELEMENT_TERMINATED"),
        ("p", "ELEMENT_TERMINATED"),
    ]
    assert h.records(ValueType.JOB)[-1].intent == "CANCELED"
    with pytest.raises(CommandRejected) as rejected:
        h.cancel_instance(key)
    assert rejected.value.rejection_type is RejectionType.NOT_FOUND


def test_cancel_resolves_open_incidents(h: Harness) -> None:
    h.deploy(("p.bpmn", straight()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.fail_job(job.key, retries=0)
    h.assert_incident(key, "JOB_NO_RETRIES")
    h.cancel_instance(key)
    assert h.state.incidents == {}
    assert h.records(ValueType.INCIDENT)[-1].intent == "RESOLVED"


def test_redeploying_identical_resources_does_not_create_a_version(h: Harness) -> None:
    first = h.deploy(("p.bpmn", straight()))
    second = h.deploy(("p.bpmn", straight()))
    assert first.processes[0].version == 1
    assert second.processes[0].is_duplicate
    assert second.processes[0].version == 1
    assert second.processes[0].process_definition_key == first.processes[0].process_definition_key
    third = h.deploy(("p.bpmn", straight("other")))
    assert third.processes[0].version == 2
    assert not third.processes[0].is_duplicate


def test_instances_run_the_version_they_started_with(h: Harness) -> None:
    h.deploy(("p.bpmn", straight("v1")))
    old = h.create_instance("p")
    h.deploy(("p.bpmn", straight("v2")))
    new = h.create_instance("p")
    pinned = h.create_instance("p", version=1)
    assert {j["processInstanceKey"] for j in h.jobs("v1")} == {old, pinned}
    assert [j["processInstanceKey"] for j in h.jobs("v2")] == [new]


def test_unknown_process_is_not_found(h: Harness) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.create_instance("nope")
    assert rejected.value.rejection_type is RejectionType.NOT_FOUND
    h.deploy(("p.bpmn", straight()))
    with pytest.raises(CommandRejected) as rejected:
        h.create_instance("p", version=7)
    assert rejected.value.rejection_type is RejectionType.NOT_FOUND
    assert len(h.rejections()) == 2


def test_unknown_job_incident_and_scope_are_not_found(h: Harness) -> None:
    actions: list[Callable[[], None]] = [
        lambda: h.complete_job(999),
        lambda: h.fail_job(999, retries=1),
        lambda: h.throw_error(999, "X"),
        lambda: h.update_job_retries(999, 1),
        lambda: h.resolve_incident(999),
        lambda: h.set_variables(999, {"a": 1}),
    ]
    for action in actions:
        with pytest.raises(CommandRejected) as rejected:
            action()
        assert rejected.value.rejection_type is RejectionType.NOT_FOUND


def test_variables_that_are_not_a_document_are_invalid(h: Harness) -> None:
    h.deploy(("p.bpmn", straight()))
    with pytest.raises(CommandRejected) as rejected:
        h.execute(
            ValueType.PROCESS_INSTANCE_CREATION,
            "CREATE",
            {"bpmnProcessId": "p", "version": -1, "variables": [1, 2]},
        )
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT


def test_invalid_model_is_rejected_with_its_location(h: Harness) -> None:
    xml = process("\n".join([start(), '<bpmn:serviceTask id="task" />', chain("start", "task")]))
    with pytest.raises(CommandRejected) as rejected:
        h.deploy(("broken.bpmn", xml))
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT
    assert "broken.bpmn:5 [task]" in rejected.value.reason
    assert h.state.processes == {}


def test_deploying_nothing_or_an_unknown_extension_is_invalid(h: Harness) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.deploy(("notes.txt", "hello"))
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT
    with pytest.raises(CommandRejected) as rejected:
        h.deploy()
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT


def test_unknown_command_is_rejected(h: Harness) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.execute(ValueType.PROCESS_INSTANCE, "JUMP", {})
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT


def test_deleting_a_version_keeps_the_others_reachable_by_number(h: Harness) -> None:
    first = h.deploy(("p.bpmn", straight("v1")))
    h.deploy(("p.bpmn", straight("v2")))
    deleted = first.processes[0].process_definition_key
    h.execute(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": deleted})
    with pytest.raises(CommandRejected) as rejected:
        h.create_instance("p", version=1)
    assert rejected.value.rejection_type is RejectionType.NOT_FOUND
    pinned = h.create_instance("p", version=2)
    latest = h.create_instance("p")
    assert {j["processInstanceKey"] for j in h.jobs("v2")} == {pinned, latest}
    # a version with running instances cannot be deleted
    [job] = h.jobs("v2")[:1]
    with pytest.raises(CommandRejected) as rejected:
        h.execute(
            ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": job["processDefinitionKey"]}
        )
    assert rejected.value.rejection_type is RejectionType.INVALID_STATE


def test_the_same_process_id_twice_in_one_deployment_is_invalid(h: Harness) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.deploy(("a.bpmn", straight()), ("b.bpmn", straight("other")))
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT
    assert "'p'" in rejected.value.reason
    assert h.state.processes == {}


def test_changed_resource_versions_each_process_it_holds(h: Harness) -> None:
    def two(job_type: str) -> str:
        def body(prefix: str) -> str:
            ids = [f"{prefix}{name}" for name in ("start", "task", "end")]
            return "\n".join(
                [start(ids[0]), service_task(ids[1], job_type), end(ids[2]), chain(*ids)]
            )

        return definitions(
            f'<bpmn:process id="a" isExecutable="true">{body("a_")}</bpmn:process>'
            f'<bpmn:process id="b" isExecutable="true">{body("b_")}</bpmn:process>'
        )

    first = h.deploy(("two.bpmn", two("x")))
    assert sorted((p.bpmn_process_id, p.version) for p in first.processes) == [("a", 1), ("b", 1)]
    second = h.deploy(("two.bpmn", two("y")))
    assert sorted((p.bpmn_process_id, p.version) for p in second.processes) == [("a", 2), ("b", 2)]


@pytest.mark.parametrize(
    "definition",
    [
        '<bpmn:signalEventDefinition signalRef="Go" />',
        '<bpmn:messageEventDefinition messageRef="Go" />',
        '<bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">'
        "R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>",
    ],
    ids=["signal", "message", "timer"],
)
def test_deleting_the_latest_version_reactivates_the_previous_start_events(
    h: Harness, definition: str
) -> None:
    def model(job_type: str) -> str:
        body = "\n".join(
            [
                start("start", definition),
                service_task("task", job_type),
                end(),
                chain("start", "task", "end"),
            ]
        )
        return process(
            body, after='<bpmn:signal id="Go" name="go" /><bpmn:message id="Go" name="go" />'
        )

    h.deploy(("p.bpmn", model("v1")))
    latest = h.deploy(("p.bpmn", model("v2")))
    h.execute(
        ValueType.RESOURCE_DELETION,
        "DELETE",
        {"resourceKey": latest.processes[0].process_definition_key},
    )
    h.broadcast_signal("go")
    h.publish_message("go")
    h.advance(timedelta(hours=1))
    assert len(h.jobs("v1")) == 1
    assert h.jobs("v2") == []
    assert all(
        s.value["processDefinitionKey"] != latest.processes[0].process_definition_key
        for s in h.state.signal_subscriptions.values()
    )


def test_a_deleted_version_number_is_never_reused(h: Harness) -> None:
    h.deploy(("p.bpmn", straight("v1")))
    second = h.deploy(("p.bpmn", straight("v2")))
    h.execute(
        ValueType.RESOURCE_DELETION,
        "DELETE",
        {"resourceKey": second.processes[0].process_definition_key},
    )
    # the previous version is the latest again
    h.create_instance("p")
    assert len(h.jobs("v1")) == 1
    third = h.deploy(("p.bpmn", straight("v3")))
    assert third.processes[0].version == 3
    with pytest.raises(CommandRejected):
        h.create_instance("p", version=2)


def test_start_instructions_start_at_the_given_elements(h: Harness) -> None:
    xml = process(
        "\n".join(
            [
                start(),
                service_task("first", "first"),
                service_task("second", "second"),
                end(),
                chain("start", "first", "second", "end"),
            ]
        )
    )
    h.deploy(("p.bpmn", xml))
    answer = h.execute(
        ValueType.PROCESS_INSTANCE_CREATION,
        "CREATE",
        {"bpmnProcessId": "p", "version": -1, "startInstructions": [{"elementId": "second"}]},
    )
    key = answer.value["processInstanceKey"]
    assert [j["type"] for j in h.jobs()] == ["second"]
    [job] = h.activate_jobs("second")
    h.complete_job(job.key)
    h.assert_instance_completed(key)
    h.assert_element_not_reached(key, "start")
    h.assert_element_not_reached(key, "first")


def test_start_instructions_for_unknown_or_nested_elements_are_rejected(h: Harness) -> None:
    h.deploy(("p.bpmn", process("\n".join([start(), end(), chain("start", "end")]))))
    with pytest.raises(CommandRejected) as rejected:
        h.execute(
            ValueType.PROCESS_INSTANCE_CREATION,
            "CREATE",
            {"bpmnProcessId": "p", "startInstructions": [{"elementId": "nope"}]},
        )
    assert rejected.value.rejection_type.name == "INVALID_ARGUMENT"
    assert "'nope'" in rejected.value.reason
