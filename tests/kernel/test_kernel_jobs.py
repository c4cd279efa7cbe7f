"""Service tasks and their jobs: value fields, headers, retries, back-off, incidents, time-out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from kernel_xml import chain, end, process, service_task, start

from cadenza.errors import CommandRejected
from cadenza.kernel import RejectionType, ValueType
from cadenza.testing import Harness


def one_task(job_type: str = "work", **kwargs: object) -> str:
    task = service_task("task", job_type, **kwargs)  # type: ignore[arg-type]
    return process("\n".join([start(), task, end(), chain("start", "task", "end")]))


def test_job_carries_the_element_and_process_fields(h: Harness) -> None:
    deployment = h.deploy(("p.bpmn", one_task(task_headers={"region": "eu", "tier": "gold"})))
    key = h.create_instance("p", {"x": 1})
    [job] = h.activate_jobs("work", worker="w1")
    assert job.type == "work"
    assert job.retries == 3  # Zeebe's default
    assert job.custom_headers == {"region": "eu", "tier": "gold"}
    assert job.element_id == "task"
    assert job.process_instance_key == key
    assert job.bpmn_process_id == "p"
    assert job.process_definition_key == deployment.processes[0].process_definition_key
    assert job.process_definition_version == 1
    assert job.worker == "w1"
    assert job.variables == {"x": 1}
    [created] = h.records(ValueType.JOB, "CREATED")
    assert created.value["elementInstanceKey"] == job.element_instance_key
    assert created.key == job.key


def test_retries_and_type_from_feel_expressions(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task('="work-" + region', retries="=n * 2")))
    h.create_instance("p", {"region": "eu", "n": 3})
    [job] = h.activate_jobs("work-eu")
    assert job.retries == 6


def test_job_type_expression_failure_is_an_incident(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task("=missing.name")))
    key = h.create_instance("p")
    incident = h.assert_incident(key, "EXTRACT_VALUE_ERROR")
    assert incident["elementId"] == "task"
    h.set_variables(key, {"missing": {"name": "late"}})
    h.resolve_incident(incident["key"])
    [job] = h.activate_jobs("late")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_completing_the_job_completes_the_task(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.complete_job(job.key, {"done": True})
    assert h.completed_elements(key) == ["start", "task", "end", "p"]
    assert h.variables(key) == {"done": True}
    assert h.jobs() == []


def test_fail_with_retries_left_makes_the_job_activatable_again(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.fail_job(job.key, retries=2, error_message="flaky")
    [again] = h.activate_jobs("work")
    assert again.key == job.key
    assert again.retries == 2
    assert h.incidents(key) == []


def test_retry_back_off_waits_for_time_travel(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.fail_job(job.key, retries=1, retry_backoff=timedelta(minutes=10))
    assert h.activate_jobs("work") == []
    h.advance(timedelta(minutes=9))
    assert h.activate_jobs("work") == []
    h.advance(timedelta(minutes=1))
    [again] = h.activate_jobs("work")
    assert again.key == job.key
    assert "RECURRED_AFTER_BACKOFF" in [r.intent for r in h.records(ValueType.JOB)]


def test_no_retries_raises_an_incident_and_update_plus_resolve_retries(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.fail_job(job.key, retries=0, error_message="boom")
    incident = h.assert_incident(key, "JOB_NO_RETRIES")
    assert incident["errorMessage"] == "boom"
    assert incident["jobKey"] == job.key
    assert incident["elementId"] == "task"
    assert h.activate_jobs("work") == []
    # resolving before retries were given back is refused
    with pytest.raises(CommandRejected):
        h.resolve_incident(incident["key"])
    h.update_job_retries(job.key, 2)
    h.resolve_incident(incident["key"])
    assert h.incidents(key) == []
    [again] = h.activate_jobs("work")
    assert again.retries == 2
    h.complete_job(again.key)
    h.assert_instance_completed(key)


def test_job_time_out_makes_it_activatable_with_retries_unchanged(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    h.create_instance("p")
    [job] = h.activate_jobs("work", timeout=timedelta(seconds=30))
    assert h.activate_jobs("work") == []
    h.advance(timedelta(seconds=31))
    [again] = h.activate_jobs("work")
    assert again.key == job.key
    assert again.retries == 3
    assert "TIMED_OUT" in [r.intent for r in h.records(ValueType.JOB)]


def test_a_completed_job_cannot_be_completed_again(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    with pytest.raises(CommandRejected) as rejected:
        h.complete_job(job.key)
    assert rejected.value.rejection_type is RejectionType.NOT_FOUND


def test_update_retries_must_be_positive(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    h.create_instance("p")
    [job] = h.activate_jobs("work")
    with pytest.raises(CommandRejected) as rejected:
        h.update_job_retries(job.key, 0)
    assert rejected.value.rejection_type is RejectionType.INVALID_ARGUMENT


def test_in_process_worker_failure_decrements_retries(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task(retries="2")))
    calls: list[int] = []

    @h.worker("work")
    def work(job: object) -> None:
        calls.append(1)
        raise RuntimeError("down")

    key = h.create_instance("p")
    h.run_until_idle()
    assert len(calls) == 2
    incident = h.assert_incident(key, "JOB_NO_RETRIES")
    assert "down" in incident["errorMessage"]


def test_job_worker_fetch_variables_limits_what_is_sent(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    h.create_instance("p", {"a": 1, "b": 2})
    [job] = h.activate_jobs("work", fetch_variables=["b"])
    assert job.variables == {"b": 2}
