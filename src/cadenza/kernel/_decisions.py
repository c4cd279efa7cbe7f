"""Evaluating a deployed decision and recording it as Zeebe's DECISION_EVALUATION value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cadenza.kernel._state import DeployedDecision, State
from cadenza.kernel._variables import encode


def evaluate_decision(
    state: State, decision: DeployedDecision, variables: Mapping[str, Any]
) -> tuple[Any, dict[str, Any], str | None]:
    """(output, record value, failure message or None) of evaluating ``decision``."""
    drg = state.drgs[decision.drg_key]
    result = drg.model.evaluate(decision.decision_id, variables)
    versions = {d.decision_id: d for d in (state.decisions[k] for k in drg.decision_keys)}
    evaluated = []
    for item in result.evaluated_decisions:
        deployed = versions.get(item.decision_id)
        evaluated.append(
            {
                "decisionId": item.decision_id,
                "decisionName": item.decision_name,
                "decisionKey": deployed.key if deployed else -1,
                "decisionVersion": deployed.version if deployed else -1,
                "decisionType": item.decision_type.value,
                "decisionOutput": item.decision_output,
                "evaluatedInputs": [
                    {
                        "inputId": i.input_id,
                        "inputName": i.input_name,
                        "inputValue": i.input_value,
                    }
                    for i in item.evaluated_inputs
                ],
                "matchedRules": [
                    {
                        "ruleId": r.rule_id,
                        "ruleIndex": r.rule_index,
                        "evaluatedOutputs": [
                            {
                                "outputId": o.output_id,
                                "outputName": o.output_name,
                                "outputValue": o.output_value,
                            }
                            for o in r.evaluated_outputs
                        ],
                    }
                    for r in item.matched_rules
                ],
                "tenantId": "<default>",
            }
        )
    failure = result.failure
    value: dict[str, Any] = {
        "decisionKey": decision.key,
        "decisionId": decision.decision_id,
        "decisionName": decision.decision_name,
        "decisionVersion": decision.version,
        "decisionRequirementsId": drg.drg_id,
        "decisionRequirementsKey": drg.key,
        "decisionOutput": "null" if failure else encode(result.output),
        "evaluatedDecisions": evaluated,
        "evaluationFailureMessage": failure.evaluation_failure_message if failure else "",
        "failedDecisionId": failure.failed_decision_id if failure else "",
        "bpmnProcessId": "",
        "processDefinitionKey": -1,
        "processInstanceKey": -1,
        "elementId": "",
        "elementInstanceKey": -1,
        "tenantId": "<default>",
    }
    message = None
    if failure is not None:
        message = (
            f"Expected to evaluate decision '{decision.decision_id}', but "
            f"{failure.evaluation_failure_message}"
        )
    return result.output, value, message
