"""Multi-instance: parallel and sequential bodies, loop variables, output collections in input
order, completion conditions, empty collections, boundary events on the body."""

from __future__ import annotations

import random
from datetime import timedelta

from kernel_xml import (
    boundary,
    chain,
    end,
    flow,
    multi_instance,
    process,
    service_task,
    start,
    timer,
)

from cadenza.kernel import ValueType
from cadenza.testing import Harness


def mi_process(loop: str, *, outputs: list[tuple[str, str]] | None = None, extra: str = "") -> str:
    task = service_task("task", "work", outputs=outputs or [], inner=loop)
    return process("\n".join([start(), task, end(), chain("start", "task", "end"), extra]))


def test_parallel_creates_one_job_per_item_with_locals(h: Harness) -> None:
    h.deploy(("p.bpmn", mi_process(multi_instance("=items", "item"))))
    key = h.create_instance("p", {"items": ["a", "b", "c"]})
    jobs = h.activate_jobs("work")
    assert sorted((j.variables["item"], j.variables["loopCounter"]) for j in jobs) == [
        ("a", 1),
        ("b", 2),
        ("c", 3),
    ]
    body = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="task")[0]
    assert body.value["bpmnElementType"] == "MULTI_INSTANCE_BODY"
    for job in jobs:
        # inputElement and loopCounter are local to each inner instance
        assert set(h.state.variables[job.element_instance_key]) == {"item", "loopCounter"}
    for job in jobs:
        h.complete_job(job.key)
    assert h.completed_elements(key).count("task") == 4  # 3 inner + the body
    assert "item" not in h.variables(key)
    h.assert_instance_completed(key)


def test_output_collection_follows_input_order_not_completion_order(h: Harness) -> None:
    loop = multi_instance("=items", "item", output_collection="results", output_element="=result")
    h.deploy(("p.bpmn", mi_process(loop)))
    key = h.create_instance("p", {"items": [1, 2, 3, 4]})
    jobs = h.activate_jobs("work")
    for job in reversed(jobs):
        h.complete_job(job.key, {"result": job.variables["item"] * 10})
    h.assert_instance_completed(key)
    assert h.variables(key)["results"] == [10, 20, 30, 40]


def test_sequential_runs_one_at_a_time_in_order(h: Harness) -> None:
    loop = multi_instance(
        "=items", "item", sequential=True, output_collection="out", output_element="=item + 1"
    )
    h.deploy(("p.bpmn", mi_process(loop)))
    key = h.create_instance("p", {"items": [5, 6, 7]})
    seen = []
    for _ in range(3):
        [job] = h.activate_jobs("work")
        seen.append((job.variables["item"], job.variables["loopCounter"]))
        h.complete_job(job.key)
    assert seen == [(5, 1), (6, 2), (7, 3)]
    assert h.activate_jobs("work") == []
    h.assert_instance_completed(key)
    assert h.variables(key)["out"] == [6, 7, 8]


def test_completion_condition_terminates_the_remaining_instances(h: Harness) -> None:
    loop = multi_instance("=items", "item", completion="=numberOfCompletedInstances >= 2")
    h.deploy(("p.bpmn", mi_process(loop)))
    key = h.create_instance("p", {"items": [1, 2, 3, 4]})
    jobs = h.activate_jobs("work")
    h.complete_job(jobs[0].key)
    h.assert_element_not_reached(key, "end")
    h.complete_job(jobs[1].key)
    h.assert_element_completed(key, "end")
    assert h.jobs() == []
    terminated = [e for e, i in h.element_intents(key) if e == "task" and i == "ELEMENT_TERMINATED"]
    assert len(terminated) == 2
    h.assert_instance_completed(key)


def test_completion_condition_over_outputs(h: Harness) -> None:
    loop = multi_instance(
        "=items",
        "item",
        output_collection="results",
        output_element="=ok",
        completion="=some r in results satisfies r = true",
    )
    h.deploy(("p.bpmn", mi_process(loop)))
    key = h.create_instance("p", {"items": [1, 2, 3]})
    jobs = h.activate_jobs("work")
    h.complete_job(jobs[1].key, {"ok": True})
    h.assert_instance_completed(key)
    assert h.variables(key)["results"] == [None, True, None]


def test_empty_collection_completes_at_once(h: Harness) -> None:
    loop = multi_instance("=items", "item", output_collection="results", output_element="=x")
    h.deploy(("p.bpmn", mi_process(loop)))
    key = h.create_instance("p", {"items": []})
    assert h.jobs() == []
    h.assert_instance_completed(key)
    assert h.variables(key)["results"] == []


def test_input_collection_that_is_not_a_list_is_an_incident(h: Harness) -> None:
    h.deploy(("p.bpmn", mi_process(multi_instance("=items", "item"))))
    key = h.create_instance("p", {"items": "nope"})
    incident = h.assert_incident(key, "EXTRACT_VALUE_ERROR")
    h.set_variables(key, {"items": [1]})
    h.resolve_incident(incident["key"])
    [job] = h.activate_jobs("work")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_interrupting_boundary_on_the_body_terminates_every_inner_instance(h: Harness) -> None:
    extra = "\n".join(
        [
            boundary("late", "task", timer("timeDuration", "PT1H")),
            end("timeout"),
            flow("late", "timeout"),
        ]
    )
    h.deploy(("p.bpmn", mi_process(multi_instance("=items", "item"), extra=extra)))
    key = h.create_instance("p", {"items": [1, 2, 3]})
    assert len(h.state.timers) == 1  # one timer, on the body
    [first, *_] = h.activate_jobs("work")
    h.complete_job(first.key)
    h.advance(timedelta(hours=1))
    assert h.jobs() == []
    h.assert_element_completed(key, "timeout")
    h.assert_element_not_reached(key, "end")
    h.assert_instance_completed(key)


def test_seed_pattern_parallel_5000_collects_outputs_in_input_order(h: Harness) -> None:
    loop = multi_instance("=items", "item", output_collection="results", output_element="=out")
    h.deploy(("p.bpmn", mi_process(loop)))
    key = h.create_instance("p", {"items": list(range(5000))})
    jobs = h.activate_jobs("work", max_jobs=5000, fetch_variables=["item"])
    assert len(jobs) == 5000
    random.Random(5000).shuffle(jobs)  # complete them in an order unrelated to the input
    for job in jobs:
        h.complete_job(job.key, {"out": job.variables["item"] * 2})
    h.assert_instance_completed(key)
    assert h.variables(key)["results"] == [i * 2 for i in range(5000)]


def test_output_element_path_makes_its_variable_local_to_each_instance(h: Harness) -> None:
    loop = multi_instance("=items", "item", output_collection="out", output_element="=result.value")
    task = service_task("task", "work", inner=loop, inputs=[("=item.id", "id")])
    h.deploy(("p.bpmn", process("\n".join([start(), task, end(), chain("start", "task", "end")]))))
    key = h.create_instance("p", {"items": [{"id": 1}, {"id": 2}]})
    jobs = h.activate_jobs("work")
    # input mappings of the inner activity see its input element
    assert sorted(j.variables["id"] for j in jobs) == [1, 2]
    for job in jobs:
        assert h.state.variables[job.element_instance_key]["result"] is None
    for job in reversed(jobs):
        h.complete_job(job.key, {"result": {"value": job.variables["id"] * 10}})
    h.assert_instance_completed(key)
    # the results stayed inside the instances: only the collection reaches the process
    assert h.variables(key) == {"items": [{"id": 1}, {"id": 2}], "out": [10, 20]}


def test_interrupted_body_does_not_propagate_a_partial_output(h: Harness) -> None:
    loop = multi_instance("=[1, 2]", "item", output_collection="out", output_element="=item")
    extra = "\n".join(
        [
            boundary("late", "task", timer("timeDuration", "PT1H")),
            end("timeout"),
            flow("late", "timeout"),
        ]
    )
    h.deploy(("p.bpmn", mi_process(loop, extra=extra)))
    key = h.create_instance("p")
    [first, _] = h.activate_jobs("work")
    h.complete_job(first.key)
    h.advance(timedelta(hours=1))
    h.assert_instance_completed(key)
    assert "out" not in h.variables(key)
