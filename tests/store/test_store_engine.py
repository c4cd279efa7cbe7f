"""The store under the real engine: what the kernel writes is what the read model shows.

Only the public engine surface (``cadenza.testing.Harness``) is used; the BPMN is written out
here so the test does not lean on another package's test helpers.
"""

from __future__ import annotations

from collections.abc import Callable

from cadenza.kernel import ValueType
from cadenza.store import (
    ElementInstanceFilter,
    IncidentFilter,
    JobFilter,
    ProcessDefinitionFilter,
    ProcessInstanceFilter,
    Query,
    SqlStore,
    UserTaskFilter,
    VariableFilter,
)
from cadenza.testing import Harness

ORDER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
    xmlns:modeler="http://camunda.org/schema/modeler/1.0"
    id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn"
    modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="charge" />
    <bpmn:serviceTask id="charge">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="charge-card" retries="1" />
        <zeebe:taskHeaders><zeebe:header key="region" value="eu" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="review" />
    <bpmn:userTask id="review">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition candidateGroups="sales" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_an_instance_through_the_engine(open_store: Callable[[], SqlStore]) -> None:
    store = open_store()
    engine = Harness(store=store)
    engine.deploy(("order.bpmn", ORDER))
    key = engine.create_instance("order", {"orderId": "o-1", "total": 12.5})

    definitions = store.search(Query(ProcessDefinitionFilter(bpmn_process_id="order"))).items
    assert [(d.version, d.resource_name) for d in definitions] == [(1, "order.bpmn")]
    assert "charge-card" in (
        store.process_definition_xml(definitions[0].process_definition_key) or ""
    )
    instance = store.search(Query(ProcessInstanceFilter(process_instance_key=key))).items[0]
    assert (instance.state, instance.bpmn_process_id, instance.has_incident) == (
        "ACTIVE",
        "order",
        False,
    )
    variables = store.search(Query(VariableFilter(process_instance_key=key), [("name", "asc")]))
    assert [(v.name, v.value) for v in variables.items] == [("orderId", '"o-1"'), ("total", "12.5")]

    [job] = engine.activate_jobs("charge-card", worker="w1")
    row = store.search(Query(JobFilter(process_instance_key=key))).items[0]
    assert (row.state, row.worker, row.custom_headers, row.element_id) == (
        "ACTIVATED",
        "w1",
        {"region": "eu"},
        "charge",
    )
    engine.fail_job(job.key, retries=0, error_message="card declined")
    incident = store.search(Query(IncidentFilter(process_instance_key=key))).items[0]
    assert (incident.state, incident.error_type, incident.job_key) == (
        "ACTIVE",
        "JOB_NO_RETRIES",
        job.key,
    )
    assert store.search(Query(ProcessInstanceFilter(has_incident=True))).total == 1

    engine.update_job_retries(job.key, 1)
    engine.resolve_incident(incident.incident_key)
    assert store.search(Query(IncidentFilter(state="RESOLVED"))).total == 1
    [job] = engine.activate_jobs("charge-card", worker="w2")
    engine.complete_job(job.key, {"paid": True})
    assert store.search(Query(JobFilter(job_key=job.key))).items[0].state == "COMPLETED"

    task = store.search(Query(UserTaskFilter(candidate_group="sales"))).items[0]
    assert (task.state, task.element_id, task.process_instance_key) == ("CREATED", "review", key)
    engine.execute(ValueType.USER_TASK, "COMPLETE", {}, key=task.user_task_key)
    assert store.search(Query(UserTaskFilter())).items[0].state == "COMPLETED"

    instance = store.search(Query(ProcessInstanceFilter(process_instance_key=key))).items[0]
    assert (instance.state, instance.has_incident) == ("COMPLETED", False)
    assert instance.end_date is not None and instance.end_date >= instance.start_date
    elements = store.search(
        Query(ElementInstanceFilter(process_instance_key=key), [("startDate", "asc")])
    ).items
    assert [(e.element_id, e.state) for e in elements] == [
        ("order", "COMPLETED"),
        ("start", "COMPLETED"),
        ("charge", "COMPLETED"),
        ("review", "COMPLETED"),
        ("end", "COMPLETED"),
    ]
    assert store.rebuild_read_model() == store.last_position(1)
    assert store.search(Query(ElementInstanceFilter(process_instance_key=key))).total == 5
