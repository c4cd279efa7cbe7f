"""User tasks: Camunda user tasks (assignment, ASSIGN / CLAIM / UPDATE / COMPLETE) and
job-based user tasks (a job with the assignment headers)."""

from __future__ import annotations

import json

import pytest
from kernel_xml import boundary, chain, end, process, start, timer

from cadenza.errors import CommandRejected
from cadenza.kernel import RejectionType, ValueType
from cadenza.testing import Harness

ASSIGNMENT = (
    '<zeebe:assignmentDefinition assignee="=owner" candidateGroups="sales, ops" '
    'candidateUsers="=[&quot;ann&quot;, &quot;bob&quot;]" />'
)


def user_task(camunda: bool, extra: str = "") -> str:
    marker = "<zeebe:userTask />" if camunda else ""
    task = (
        f'<bpmn:userTask id="review"><bpmn:extensionElements>{marker}{ASSIGNMENT}'
        "</bpmn:extensionElements></bpmn:userTask>"
    )
    return process("\n".join([start(), task, end(), chain("start", "review", "end"), extra]))


def task_key(h: Harness) -> int:
    [task] = h.state.user_tasks.values()
    return int(task["userTaskKey"])


def test_camunda_user_task_is_created_with_its_assignment(h: Harness) -> None:
    h.deploy(("p.bpmn", user_task(camunda=True)))
    key = h.create_instance("p", {"owner": "carla"})
    [created] = h.records(ValueType.USER_TASK, "CREATED")
    assert created.value["assignee"] == "carla"
    assert created.value["candidateGroupsList"] == ["sales", "ops"]
    assert created.value["candidateUsersList"] == ["ann", "bob"]
    assert created.value["processInstanceKey"] == key
    assert created.value["elementId"] == "review"
    assert h.jobs() == []


def test_assign_claim_update_complete(h: Harness) -> None:
    h.deploy(("p.bpmn", user_task(camunda=True)))
    key = h.create_instance("p", {"owner": None})
    utk = task_key(h)
    h.execute(ValueType.USER_TASK, "CLAIM", {"assignee": "anna"}, key=utk)
    assert h.state.user_tasks[utk]["assignee"] == "anna"
    with pytest.raises(CommandRejected) as rejected:
        h.execute(ValueType.USER_TASK, "CLAIM", {"assignee": "ben"}, key=utk)
    assert rejected.value.rejection_type is RejectionType.INVALID_STATE
    h.execute(ValueType.USER_TASK, "ASSIGN", {"assignee": "ben"}, key=utk)
    assert h.state.user_tasks[utk]["assignee"] == "ben"
    h.execute(ValueType.USER_TASK, "UPDATE", {"priority": 80}, key=utk)
    [updated] = h.records(ValueType.USER_TASK, "UPDATED")
    assert updated.value["priority"] == 80
    assert updated.value["changedAttributes"] == ["priority"]
    h.execute(ValueType.USER_TASK, "COMPLETE", {"variables": {"approved": True}}, key=utk)
    h.assert_instance_completed(key)
    assert h.variables(key)["approved"] is True
    assert h.state.user_tasks == {}
    # the settled events, in order (the transitional *ING events are left out of this check)
    settled = ("CREATED", "ASSIGNED", "UPDATED", "COMPLETED")
    intents = [r.intent for r in h.records(ValueType.USER_TASK) if r.intent in settled]
    assert intents == ["CREATED", "ASSIGNED", "ASSIGNED", "UPDATED", "COMPLETED"]


def test_commands_on_an_unknown_user_task_are_not_found(h: Harness) -> None:
    with pytest.raises(CommandRejected) as rejected:
        h.execute(ValueType.USER_TASK, "COMPLETE", {}, key=12345)
    assert rejected.value.rejection_type is RejectionType.NOT_FOUND


def test_user_task_is_canceled_when_its_boundary_interrupts(h: Harness) -> None:
    from datetime import timedelta

    extra = "\n".join(
        [
            boundary("late", "review", timer("timeDuration", "PT1H")),
            end("timeout"),
            chain("late", "timeout"),
        ]
    )
    h.deploy(("p.bpmn", user_task(camunda=True, extra=extra)))
    key = h.create_instance("p", {"owner": "x"})
    h.advance(timedelta(hours=1))
    assert h.state.user_tasks == {}
    assert h.records(ValueType.USER_TASK)[-1].intent == "CANCELED"
    h.assert_instance_completed(key)


def test_job_based_user_task_has_the_assignment_headers(h: Harness) -> None:
    h.deploy(("p.bpmn", user_task(camunda=False)))
    key = h.create_instance("p", {"owner": "carla"})
    [job] = h.activate_jobs("io.camunda.zeebe:userTask")
    assert job.custom_headers["io.camunda.zeebe:assignee"] == "carla"
    assert json.loads(job.custom_headers["io.camunda.zeebe:candidateGroups"]) == ["sales", "ops"]
    assert json.loads(job.custom_headers["io.camunda.zeebe:candidateUsers"]) == ["ann", "bob"]
    assert h.state.user_tasks == {}
    h.complete_job(job.key, {"done": 1})
    h.assert_instance_completed(key)
