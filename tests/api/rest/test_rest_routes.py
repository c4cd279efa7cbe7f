"""Each route of the REST API against the fake engine; bodies are parsed with the models of
the official Python client (camunda-orchestration-sdk), which refuse missing required fields."""

from __future__ import annotations

import asyncio
import json

import pytest
from camunda_orchestration_sdk.models import (
    CreateProcessInstanceResult,
    DecisionDefinitionSearchQueryResult,
    DeploymentResult,
    ElementInstanceSearchQueryResult,
    EvaluateDecisionResult,
    FormResult,
    IncidentSearchQueryResult,
    JobActivationResult,
    JobSearchQueryResult,
    MessageCorrelationResult,
    MessagePublicationResult,
    ProcessDefinitionResult,
    ProcessDefinitionSearchQueryResult,
    ProcessInstanceResult,
    ProcessInstanceSearchQueryResult,
    SignalBroadcastResult,
    TopologyResponse,
    UserTaskResult,
    UserTaskSearchQueryResult,
    VariableSearchQueryResult,
)
from rest_support import (
    DMN,
    EMPTY_BPMN,
    FORM,
    ORDER_BPMN,
    Api,
    api,
    assert_problem,
    order,
)

from cadenza.kernel._records import ValueType

__all__ = ["api", "order"]  # fixtures


def test_topology_has_every_required_field(api: Api) -> None:
    topology = TopologyResponse.from_dict(api.get("/topology").json())
    assert topology.partitions_count == 2
    assert [p.role.value for p in topology.brokers[0].partitions] == ["leader", "follower"]
    assert topology.brokers[0].partitions[1].health.value == "unhealthy"


def test_deployment_reports_processes_decisions_and_forms(api: Api) -> None:
    body = api.deploy(("order.bpmn", ORDER_BPMN), ("approval.dmn", DMN), ("approval.form", FORM))
    result = DeploymentResult.from_dict(body)
    kinds = [next(iter(item)) for item in body["deployments"]]
    assert kinds == ["processDefinition", "decisionDefinition", "form"]
    process = result.deployments[0].process_definition
    assert process is not None and process.process_definition_id == "order"
    assert process.resource_name == "order.bpmn"
    command = api.port.commands[0]
    assert command.value_type is ValueType.DEPLOYMENT
    assert command.value["resources"][0] == {"resourceName": "order.bpmn", "resource": ORDER_BPMN}


def test_deployment_passes_the_tenant(api: Api) -> None:
    files = [("resources", ("order.bpmn", ORDER_BPMN, "application/xml"))]
    response = api.post("/deployments", files=files, data={"tenantId": "acme"})
    assert DeploymentResult.from_dict(response.json()).tenant_id == "acme"
    assert api.port.commands[0].tenant_id == "acme"


def test_deployment_of_a_conformance_model() -> None:
    import pathlib

    path = pathlib.Path("/work/shared/conformance/zeebe-models/pyzeebe/test.bpmn")
    if not path.exists():
        pytest.skip(f"conformance corpus not present at {path}")
    from rest_fake_port import FakePort

    client = Api(FakePort())
    try:
        body = client.deploy((path.name, path.read_bytes()))
    finally:
        client.close()
    assert body["deployments"][0]["processDefinition"]["processDefinitionId"] == "test"


def test_create_process_instance_by_id_and_by_key(order: Api) -> None:
    response = order.post("/process-instances", json={"processDefinitionId": "order"})
    created = CreateProcessInstanceResult.from_dict(response.json())
    assert created.process_definition_id == "order" and created.process_definition_version == 1
    by_key = order.post(
        "/process-instances",
        json={"processDefinitionKey": str(created.process_definition_key), "tags": ["vip"]},
    )
    again = CreateProcessInstanceResult.from_dict(by_key.json())
    assert again.process_definition_key == created.process_definition_key
    assert again.tags == ["vip"]
    assert again.process_instance_key != created.process_instance_key
    command = order.port.commands[-1]
    assert command.intent == "CREATE"
    assert command.value["processDefinitionKey"] == int(created.process_definition_key)


def test_create_with_await_completion_returns_the_fetched_variables(order: Api) -> None:
    order.deploy(("empty.bpmn", EMPTY_BPMN))
    body = {
        "processDefinitionId": "empty",
        "variables": {"a": 1, "b": 2},
        "awaitCompletion": True,
        "fetchVariables": ["a"],
        "requestTimeout": 5000,
    }
    result = CreateProcessInstanceResult.from_dict(
        order.post("/process-instances", json=body).json()
    )
    assert result.variables.to_dict() == {"a": 1}
    command = order.port.commands[-1]
    assert (command.intent, command.timeout_ms) == ("CREATE_WITH_AWAITING_RESULT", 5000)


def test_create_with_await_completion_times_out_with_504(order: Api) -> None:
    body = {"processDefinitionId": "order", "awaitCompletion": True, "requestTimeout": 20}
    assert_problem(order.post("/process-instances", json=body), 504)


def test_get_and_cancel_process_instance(order: Api) -> None:
    key = order.start()
    instance = ProcessInstanceResult.from_dict(order.get(f"/process-instances/{key}").json())
    assert instance.state.value == "ACTIVE" and instance.process_instance_key == key
    assert order.post(f"/process-instances/{key}/cancellation").status_code == 204
    instance = ProcessInstanceResult.from_dict(order.get(f"/process-instances/{key}").json())
    assert instance.state.value == "TERMINATED" and instance.end_date is not None
    assert_problem(order.post(f"/process-instances/{key}/cancellation", json={}), 409)
    assert_problem(order.get("/process-instances/42"), 404, "42")


def test_process_definition_get_and_xml(order: Api) -> None:
    found = ProcessDefinitionSearchQueryResult.from_dict(order.search("process-definitions"))
    key = found.items[0].process_definition_key
    definition = ProcessDefinitionResult.from_dict(order.get(f"/process-definitions/{key}").json())
    assert definition.process_definition_id == "order" and definition.state.value == "ACTIVE"
    xml = order.get(f"/process-definitions/{key}/xml")
    assert xml.headers["content-type"].startswith("text/xml")
    assert xml.content == ORDER_BPMN
    assert_problem(order.get("/process-definitions/7/xml"), 404)
    assert_problem(order.get("/process-definitions/7"), 404)


def test_job_activation_returns_complete_jobs(order: Api) -> None:
    order.start(variables={"amount": 10, "currency": "EUR"})
    body = {"type": "charge", "timeout": 5000, "maxJobsToActivate": 5, "worker": "w1"}
    response = order.post("/jobs/activation", json={**body, "fetchVariable": ["amount"]})
    result = JobActivationResult.from_dict(response.json())
    (job,) = result.jobs
    assert job.variables.to_dict() == {"amount": 10}
    assert (job.worker, job.kind.value, job.retries) == ("w1", "BPMN_ELEMENT", 3)
    assert job.custom_headers.to_dict() == {"h": "1"}
    assert order.activate() == []  # already activated


def test_job_activation_long_polls_until_a_job_appears(order: Api) -> None:
    body = {"type": "charge", "timeout": 5000, "maxJobsToActivate": 5, "requestTimeout": 10_000}

    async def scenario() -> list[dict[str, object]]:
        poll = asyncio.ensure_future(order.client.post("/jobs/activation", json=body))
        await asyncio.sleep(0.05)
        assert not poll.done()  # waiting, not answering empty
        created = await order.client.post(
            "/process-instances", json={"processDefinitionId": "order"}
        )
        assert created.status_code == 200
        response = await poll
        return list(response.json()["jobs"])

    jobs = order.run(scenario())
    assert [job["type"] for job in jobs] == ["charge"]


def test_job_completion_failure_error_and_update(order: Api) -> None:
    order.start()
    order.start()
    order.start()
    first, second, third = (job["jobKey"] for job in order.activate())
    done = order.post(f"/jobs/{first}/completion", json={"variables": {"paid": True}})
    assert done.status_code == 204
    assert order.port.commands[-1].value == {"variables": {"paid": True}}
    assert_problem(order.post(f"/jobs/{first}/completion"), 409)
    fail = {"retries": 2, "errorMessage": "card declined", "retryBackOff": 100}
    assert order.post(f"/jobs/{second}/failure", json=fail).status_code == 204
    assert order.port.commands[-1].value == {
        "retries": 2,
        "errorMessage": "card declined",
        "retryBackoff": 100,
        "variables": {},
    }
    assert order.post(f"/jobs/{third}/error", json={"errorCode": "E1"}).status_code == 204
    assert order.port.commands[-1].value["errorCode"] == "E1"
    patch = order.request(
        "PATCH", f"/jobs/{second}", json={"changeset": {"retries": 5, "timeout": 9}}
    )
    assert patch.status_code == 204
    intents = [(c.intent, dict(c.value)) for c in order.port.commands[-2:]]
    assert intents == [("UPDATE_RETRIES", {"retries": 5}), ("UPDATE_TIMEOUT", {"timeout": 9})]
    jobs = JobSearchQueryResult.from_dict(order.search("jobs", {"sort": [{"field": "jobKey"}]}))
    assert [j.state.value for j in jobs.items] == ["COMPLETED", "FAILED", "ERROR_THROWN"]
    assert_problem(order.post("/jobs/1/completion"), 404, "1")


def test_job_update_needs_a_change(order: Api) -> None:
    assert_problem(order.request("PATCH", "/jobs/5", json={"changeset": {}}), 400, "changeset")
    body = {"changeset": {"priority": 3}}
    assert_problem(order.request("PATCH", "/jobs/5", json=body), 400, "priority")


def test_incident_search_and_resolution(order: Api) -> None:
    order.start()
    (job,) = order.activate()
    order.post(f"/jobs/{job['jobKey']}/failure", json={"retries": 0, "errorMessage": "boom"})
    found = IncidentSearchQueryResult.from_dict(order.search("incidents"))
    (incident,) = found.items
    assert incident.error_type.value == "JOB_NO_RETRIES" and incident.job_key == job["jobKey"]
    key = incident.incident_key
    assert order.post(f"/incidents/{key}/resolution").status_code == 204
    assert order.port.commands[-1].key == int(key)
    assert_problem(order.post(f"/incidents/{key}/resolution"), 404)


def test_message_publication_and_correlation(order: Api) -> None:
    body = {"name": "go", "correlationKey": "o-1", "timeToLive": 1000, "messageId": "m1"}
    published = MessagePublicationResult.from_dict(
        order.post("/messages/publication", json=body).json()
    )
    assert int(published.message_key) > 0
    assert order.port.commands[-1].value["timeToLive"] == 1000
    assert_problem(order.post("/messages/publication", json=body), 409)
    assert_problem(order.post("/messages/correlation", json={"name": "go"}), 404)
    key = order.start()
    correlated = order.post("/messages/correlation", json={"name": "go", "correlationKey": "o-1"})
    result = MessageCorrelationResult.from_dict(correlated.json())
    assert result.process_instance_key == key


def test_signal_broadcast(order: Api) -> None:
    response = order.post("/signals/broadcast", json={"signalName": "stop", "variables": {"x": 1}})
    result = SignalBroadcastResult.from_dict(response.json())
    assert result.tenant_id == "<default>"
    assert order.port.commands[-1].value == {"signalName": "stop", "variables": {"x": 1}}


def test_user_task_lifecycle(order: Api) -> None:
    order.start()
    (task,) = UserTaskSearchQueryResult.from_dict(order.search("user-tasks")).items
    key = task.user_task_key
    assert task.state.value == "CREATED" and task.assignee is None
    assert order.post(f"/user-tasks/{key}/assignment", json={"assignee": "ann"}).status_code == 204
    assert UserTaskResult.from_dict(order.get(f"/user-tasks/{key}").json()).assignee == "ann"
    claim = {"assignee": "bob", "allowOverride": False}
    assert_problem(order.post(f"/user-tasks/{key}/assignment", json=claim), 409)
    assert order.request("DELETE", f"/user-tasks/{key}/assignee").status_code == 204
    assert UserTaskResult.from_dict(order.get(f"/user-tasks/{key}").json()).assignee is None
    form = FormResult.from_dict(order.get(f"/user-tasks/{key}/form").json())
    assert form.form_id == "approval-form" and json.loads(form.schema)["id"] == "approval-form"
    done = order.post(f"/user-tasks/{key}/completion", json={"variables": {"ok": True}})
    assert done.status_code == 204
    assert order.port.commands[-1].value == {"variables": {"ok": True}, "action": "complete"}
    assert (
        UserTaskResult.from_dict(order.get(f"/user-tasks/{key}").json()).state.value == "COMPLETED"
    )
    assert_problem(order.get("/user-tasks/3"), 404)


def test_user_task_without_form_answers_204(api: Api) -> None:
    api.deploy(("order.bpmn", ORDER_BPMN))
    api.start()
    (task,) = api.search("user-tasks")["items"]
    assert api.get(f"/user-tasks/{task['userTaskKey']}/form").status_code == 204


def test_variables_search_gives_json_text(order: Api) -> None:
    key = order.start(variables={"order": {"id": 7}, "note": "x"})
    body = {"filter": {"processInstanceKey": key}, "sort": [{"field": "name"}]}
    found = VariableSearchQueryResult.from_dict(order.search("variables", body))
    assert [(v.name, v.value) for v in found.items] == [("note", '"x"'), ("order", '{"id": 7}')]


def test_element_instances_search_and_set_variables(order: Api) -> None:
    key = order.start()
    order.port.table("element_instances").append(
        {"elementInstanceKey": 99, "processInstanceKey": int(key), "processDefinitionKey": 1,
         "processDefinitionId": "order", "elementId": "charge", "elementName": "Charge",
         "type": "SERVICE_TASK", "state": "ACTIVE", "startDate": 0}
    )  # fmt: skip
    found = ElementInstanceSearchQueryResult.from_dict(order.search("element-instances"))
    assert [(e.element_id, e.type_.value) for e in found.items] == [("charge", "SERVICE_TASK")]
    body = {"variables": {"x": 1}, "local": True}
    assert order.request("PUT", f"/element-instances/{key}/variables", json=body).status_code == 204
    assert order.port.commands[-1].value == {
        "scopeKey": int(key),
        "updateSemantics": "LOCAL",
        "variables": {"x": 1},
    }
    order.request("PUT", f"/element-instances/{key}/variables", json={"variables": {"y": 2}})
    assert order.port.commands[-1].value["updateSemantics"] == "PROPAGATE"


def test_decision_search_and_evaluation(order: Api) -> None:
    found = DecisionDefinitionSearchQueryResult.from_dict(order.search("decision-definitions"))
    assert [d.decision_definition_id for d in found.items] == ["approval"]
    body = {"decisionDefinitionId": "approval", "variables": {"amount": 100}}
    result = EvaluateDecisionResult.from_dict(
        order.post("/decision-definitions/evaluation", json=body).json()
    )
    assert result.output == '"approve"' and result.failure_message is None
    (decision,) = result.evaluated_decisions
    assert decision.matched_rules[0].evaluated_outputs[0].output_value == '"approve"'
    by_key = {"decisionDefinitionKey": str(found.items[0].decision_definition_key)}
    assert order.post("/decision-definitions/evaluation", json=by_key).status_code == 200
    assert order.port.commands[-1].value["decisionKey"] == int(
        found.items[0].decision_definition_key
    )


def test_every_search_parses_with_the_client_models(order: Api) -> None:
    key = order.start(variables={"x": 1})
    (job,) = order.activate()
    order.post(f"/jobs/{job['jobKey']}/failure", json={"retries": 0})
    models = {
        "process-instances": ProcessInstanceSearchQueryResult,
        "process-definitions": ProcessDefinitionSearchQueryResult,
        "jobs": JobSearchQueryResult,
        "user-tasks": UserTaskSearchQueryResult,
        "incidents": IncidentSearchQueryResult,
        "variables": VariableSearchQueryResult,
        "decision-definitions": DecisionDefinitionSearchQueryResult,
    }
    for entity, model in models.items():
        result = model.from_dict(order.search(entity))
        assert result.page.total_items == len(result.items) >= 1, entity
    assert order.search("process-instances")["items"][0]["processInstanceKey"] == key
