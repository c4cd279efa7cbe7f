"""Variables: input/output mappings, propagation, local updates, mapping incidents."""

from __future__ import annotations

from kernel_xml import chain, end, ext, io, process, service_task, start, sub_process

from cadenza.kernel import ValueType
from cadenza.testing import Harness


def one_task(**kwargs: object) -> str:
    task = service_task("task", "work", **kwargs)  # type: ignore[arg-type]
    return process("\n".join([start(), task, end(), chain("start", "task", "end")]))


def scope_variables(h: Harness, scope_key: int) -> dict[str, object]:
    return dict(h.state.variables.get(scope_key, {}))


def test_input_mappings_create_locals_with_nested_targets(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task(inputs=[("=order.id", "req.id"), ("=1 + 1", "req.n")])))
    key = h.create_instance("p", {"order": {"id": "o-1"}})
    [job] = h.activate_jobs("work")
    assert scope_variables(h, job.element_instance_key) == {"req": {"id": "o-1", "n": 2}}
    assert job.variables["req"] == {"id": "o-1", "n": 2}
    assert "req" not in h.variables(key)


def test_output_mappings_pick_what_goes_up_and_job_variables_stay_local(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task(outputs=[("=result.total", "summary.total")])))
    key = h.create_instance("p", {"summary": {"currency": "EUR"}})
    [job] = h.activate_jobs("work")
    h.complete_job(job.key, {"result": {"total": 42}, "noise": 1})
    assert h.variables(key) == {"summary": {"currency": "EUR", "total": 42}}
    created = {r.value["name"]: r.value["scopeKey"] for r in h.records(ValueType.VARIABLE)}
    assert created["noise"] == job.element_instance_key
    assert created["result"] == job.element_instance_key


def test_job_variables_without_output_mappings_propagate_to_root(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task()))
    key = h.create_instance("p", {"a": 1})
    [job] = h.activate_jobs("work")
    h.complete_job(job.key, {"a": 2, "b": 3})
    assert h.variables(key) == {"a": 2, "b": 3}
    updated = h.records(ValueType.VARIABLE, "UPDATED")
    assert [(r.value["name"], r.value["scopeKey"]) for r in updated] == [("a", key)]


def nested() -> str:
    inner = "\n".join(
        [
            start("s_start"),
            service_task("task", "work"),
            end("s_end"),
            chain("s_start", "task", "s_end"),
        ]
    )
    sub = sub_process("sub", inner).replace(
        '<bpmn:subProcess id="sub">',
        '<bpmn:subProcess id="sub">' + ext(io(inputs=[("=0", "local")])),
    )
    return process("\n".join([start(), sub, end(), chain("start", "sub", "end")]))


def test_propagation_goes_to_the_closest_scope_that_has_the_variable(h: Harness) -> None:
    h.deploy(("p.bpmn", nested()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    sub_key = h.records(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED", element_id="sub")[0].key
    h.complete_job(job.key, {"local": 5, "fresh": 6})
    sets = [(r.value["name"], r.value["scopeKey"]) for r in h.records(ValueType.VARIABLE)]
    assert ("local", sub_key) in sets
    assert ("fresh", key) in sets
    assert ("local", key) not in sets
    h.assert_instance_completed(key)
    assert h.variables(key) == {"fresh": 6}


def test_set_variables_local_and_propagated(h: Harness) -> None:
    h.deploy(("p.bpmn", nested()))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    task_key = job.element_instance_key
    h.set_variables(task_key, {"only_here": 1}, local=True)
    h.set_variables(task_key, {"up": 2})
    assert scope_variables(h, task_key) == {"only_here": 1}
    assert scope_variables(h, key) == {"up": 2}
    h.set_variables(key, {"root": 3}, local=True)
    assert scope_variables(h, key) == {"up": 2, "root": 3}
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_failing_input_mapping_raises_io_mapping_error_and_resolves(h: Harness) -> None:
    mapping = '=assert(customer.name, customer.name != null, "no customer name")'
    h.deploy(("p.bpmn", one_task(inputs=[(mapping, "name")])))
    key = h.create_instance("p")
    incident = h.assert_incident(key, "IO_MAPPING_ERROR")
    assert incident["elementId"] == "task"
    assert "no customer name" in incident["errorMessage"]
    assert h.jobs() == []
    h.set_variables(key, {"customer": {"name": "Ada"}})
    h.resolve_incident(incident["key"])
    assert h.incidents(key) == []
    [job] = h.activate_jobs("work")
    assert job.variables["name"] == "Ada"
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_failing_output_mapping_raises_io_mapping_error_and_resolves(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task(outputs=[("=assert(total, total > 0)", "total")])))
    key = h.create_instance("p")
    [job] = h.activate_jobs("work")
    h.complete_job(job.key, {"total": 0})
    incident = h.assert_incident(key, "IO_MAPPING_ERROR")
    assert incident["elementId"] == "task"
    h.set_variables(job.element_instance_key, {"total": 9}, local=True)
    h.resolve_incident(incident["key"])
    h.assert_instance_completed(key)
    assert h.variables(key) == {"total": 9}


def test_missing_source_variable_maps_to_null(h: Harness) -> None:
    h.deploy(("p.bpmn", one_task(inputs=[("=customer.name", "name")])))
    key = h.create_instance("p")
    assert h.incidents(key) == []
    [job] = h.activate_jobs("work")
    assert job.variables == {"name": None}


def test_process_variables_are_visible_to_the_job(h: Harness) -> None:
    h.deploy(("p.bpmn", nested()))
    h.create_instance("p", {"top": "t"})
    [job] = h.activate_jobs("work")
    assert job.variables == {"top": "t", "local": 0}
