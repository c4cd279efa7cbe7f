"""Business rule tasks with ``zeebe:calledDecision`` and script tasks with ``zeebe:script``."""

from __future__ import annotations

from kernel_xml import chain, dmn_table, end, process, service_task, start

from cadenza.kernel import ValueType
from cadenza.testing import Harness

DMN = dmn_table("risk", "amount", [("< 100", '"low"'), (">= 100", '"high"')])


def rule_task(decision: str = "risk") -> str:
    task = (
        '<bpmn:businessRuleTask id="decide"><bpmn:extensionElements>'
        f'<zeebe:calledDecision decisionId="{decision}" resultVariable="risk" />'
        "</bpmn:extensionElements></bpmn:businessRuleTask>"
    )
    return process("\n".join([start(), task, end(), chain("start", "decide", "end")]))


def test_business_rule_task_evaluates_the_decision(h: Harness) -> None:
    deployment = h.deploy(("risk.dmn", DMN), ("p.bpmn", rule_task()))
    assert [d["decisionId"] for d in deployment.decisions] == ["risk"]
    low = h.create_instance("p", {"amount": 5})
    high = h.create_instance("p", {"amount": 500})
    assert h.variables(low)["risk"] == "low"
    assert h.variables(high)["risk"] == "high"
    h.assert_instance_completed(low)
    evaluated = h.records(ValueType.DECISION_EVALUATION, "EVALUATED")
    assert [r.value["processInstanceKey"] for r in evaluated] == [low, high]
    assert evaluated[0].value["elementId"] == "decide"


def test_missing_decision_is_an_incident_resolved_after_deploying_it(h: Harness) -> None:
    h.deploy(("p.bpmn", rule_task()))
    key = h.create_instance("p", {"amount": 5})
    [incident] = h.incidents(key)
    assert incident["elementId"] == "decide"
    assert incident["errorType"] == "CALLED_DECISION_ERROR"
    h.deploy(("risk.dmn", DMN))
    h.resolve_incident(incident["key"])
    h.assert_instance_completed(key)
    assert h.variables(key)["risk"] == "low"


def test_job_based_business_rule_task(h: Harness) -> None:
    task = service_task("decide", "rules", tag="businessRuleTask")
    h.deploy(
        ("p.bpmn", process("\n".join([start(), task, end(), chain("start", "decide", "end")])))
    )
    key = h.create_instance("p")
    [job] = h.activate_jobs("rules")
    h.complete_job(job.key, {"r": 1})
    h.assert_instance_completed(key)


def script(expression: str) -> str:
    task = (
        '<bpmn:scriptTask id="calc"><bpmn:extensionElements>'
        f'<zeebe:script expression="{expression}" resultVariable="total" />'
        "</bpmn:extensionElements></bpmn:scriptTask>"
    )
    return process("\n".join([start(), task, end(), chain("start", "calc", "end")]))


def test_script_task_sets_its_result_variable(h: Harness) -> None:
    h.deploy(("p.bpmn", script("=sum(items)")))
    key = h.create_instance("p", {"items": [1, 2, 3]})
    h.assert_instance_completed(key)
    assert h.variables(key)["total"] == 6


def test_job_based_script_task(h: Harness) -> None:
    task = service_task("calc", "script", tag="scriptTask")
    h.deploy(("p.bpmn", process("\n".join([start(), task, end(), chain("start", "calc", "end")]))))
    key = h.create_instance("p")
    [job] = h.activate_jobs("script")
    h.complete_job(job.key)
    h.assert_instance_completed(key)


def test_failing_decision_is_a_decision_evaluation_error(h: Harness) -> None:
    unique = dmn_table("risk", "amount", [("< 100", '"low"'), ("< 1000", '"mid"')], "UNIQUE")
    h.deploy(("risk.dmn", unique), ("p.bpmn", rule_task()))
    key = h.create_instance("p", {"amount": 5})  # both rules match a UNIQUE table
    incident = h.assert_incident(key, "DECISION_EVALUATION_ERROR")
    assert incident["elementId"] == "decide"
    [failed] = h.records(ValueType.DECISION_EVALUATION, "FAILED")
    assert failed.value["failedDecisionId"] == "risk"
    assert failed.value["processInstanceKey"] == key
    h.set_variables(key, {"amount": 500})
    h.resolve_incident(incident["key"])
    h.assert_instance_completed(key)
    assert h.variables(key)["risk"] == "mid"
