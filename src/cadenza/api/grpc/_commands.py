"""Requests of the gateway protocol as engine commands (the table in ``Command``'s docstring)."""

from __future__ import annotations

from typing import Any

from cadenza.api._port import Command
from cadenza.api.grpc._errors import invalid_argument
from cadenza.api.grpc._proto import gateway_pb2 as pb
from cadenza.api.grpc._variables import parse_variables
from cadenza.kernel._records import ValueType

DEFAULT_TENANT = "<default>"


def tenant(tenant_id: str) -> str:
    """The tenant a request names, or the default tenant when it names none."""
    return tenant_id or DEFAULT_TENANT


def deploy_resource(request: pb.DeployResourceRequest) -> Command:
    """DeployResource: DEPLOYMENT CREATE with every resource of the request."""
    resources = [{"resourceName": r.name, "resource": bytes(r.content)} for r in request.resources]
    return _deployment(resources, tenant(request.tenantId))


def deploy_process(request: pb.DeployProcessRequest) -> Command:
    """DeployProcess (the deprecated form): the same deployment, processes only."""
    resources = [
        {"resourceName": p.name, "resource": bytes(p.definition)} for p in request.processes
    ]
    return _deployment(resources, DEFAULT_TENANT)


def _deployment(resources: list[dict[str, Any]], tenant_id: str) -> Command:
    if not resources:
        raise invalid_argument("Expected to deploy at least one resource, but none given")
    return Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources}, tenant_id=tenant_id)


def _creation_value(request: pb.CreateProcessInstanceRequest, field: str) -> dict[str, Any]:
    if not request.bpmnProcessId and request.processDefinitionKey <= 0:
        raise invalid_argument(
            "Expected a process definition key or a BPMN process id, but neither was given"
        )
    value: dict[str, Any] = {
        "bpmnProcessId": request.bpmnProcessId,
        # Versions start at 1, so an unset version (0) can only mean the latest one.
        "version": request.version if request.version > 0 else -1,
        "processDefinitionKey": request.processDefinitionKey,
        "variables": parse_variables(request.variables, field),
    }
    if request.startInstructions:
        value["startInstructions"] = [{"elementId": s.elementId} for s in request.startInstructions]
    if request.runtimeInstructions:
        value["runtimeInstructions"] = [
            {"type": "TERMINATE_PROCESS_INSTANCE", "afterElementId": r.terminate.afterElementId}
            for r in request.runtimeInstructions
            if r.HasField("terminate")
        ]
    if request.tags:
        value["tags"] = list(request.tags)
    return value


def create_process_instance(request: pb.CreateProcessInstanceRequest) -> Command:
    """CreateProcessInstance: PROCESS_INSTANCE_CREATION CREATE."""
    value = _creation_value(request, "variables")
    return Command(
        ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value, tenant_id=tenant(request.tenantId)
    )


def create_process_instance_with_result(
    request: pb.CreateProcessInstanceWithResultRequest, default_timeout_ms: int
) -> Command:
    """CreateProcessInstanceWithResult: CREATE_WITH_AWAITING_RESULT, bounded by the timeout."""
    value = _creation_value(request.request, "request.variables")
    value["fetchVariables"] = list(request.fetchVariables)
    timeout_ms = request.requestTimeout if request.requestTimeout > 0 else default_timeout_ms
    return Command(
        ValueType.PROCESS_INSTANCE_CREATION,
        "CREATE_WITH_AWAITING_RESULT",
        value,
        tenant_id=tenant(request.request.tenantId),
        timeout_ms=timeout_ms,
    )


def cancel_process_instance(request: pb.CancelProcessInstanceRequest) -> Command:
    """CancelProcessInstance: PROCESS_INSTANCE CANCEL on the instance's key."""
    return Command(ValueType.PROCESS_INSTANCE, "CANCEL", {}, key=request.processInstanceKey)


def complete_job(request: pb.CompleteJobRequest) -> Command:
    """CompleteJob: JOB COMPLETE with the job's variables (and a listener's result)."""
    value: dict[str, Any] = {"variables": parse_variables(request.variables)}
    if request.HasField("result"):
        value["result"] = _job_result(request.result)
    return Command(ValueType.JOB, "COMPLETE", value, key=request.jobKey)


def _job_result(result: pb.JobResult) -> dict[str, Any]:
    value: dict[str, Any] = {
        "type": result.type if result.HasField("type") else "userTask",
        "denied": result.denied,
        "deniedReason": result.deniedReason,
    }
    if result.HasField("corrections"):
        corrections = result.corrections
        corrected: dict[str, Any] = {}
        for name in ("assignee", "dueDate", "followUpDate", "priority"):
            if corrections.HasField(name):
                corrected[name] = getattr(corrections, name)
        for name in ("candidateUsers", "candidateGroups"):
            if corrections.HasField(name):
                corrected[name] = list(getattr(corrections, name).values)
        value["corrections"] = corrected
        value["correctedAttributes"] = sorted(corrected)
    if result.activateElements:
        value["activateElements"] = [
            {
                "elementId": element.elementId,
                "variables": parse_variables(
                    element.variables, "result.activateElements.variables"
                ),
            }
            for element in result.activateElements
        ]
    if result.HasField("isCompletionConditionFulfilled"):
        value["isCompletionConditionFulfilled"] = result.isCompletionConditionFulfilled
    if result.HasField("isCancelRemainingInstances"):
        value["isCancelRemainingInstances"] = result.isCancelRemainingInstances
    return value


def fail_job(request: pb.FailJobRequest) -> Command:
    """FailJob: JOB FAIL with the retries left and the back-off."""
    value = {
        "retries": request.retries,
        "errorMessage": request.errorMessage,
        "retryBackoff": request.retryBackOff,
        "variables": parse_variables(request.variables),
    }
    return Command(ValueType.JOB, "FAIL", value, key=request.jobKey)


def throw_error(request: pb.ThrowErrorRequest) -> Command:
    """ThrowError: JOB THROW_ERROR with the error code."""
    value = {
        "errorCode": request.errorCode,
        "errorMessage": request.errorMessage,
        "variables": parse_variables(request.variables),
    }
    return Command(ValueType.JOB, "THROW_ERROR", value, key=request.jobKey)


def update_job_retries(request: pb.UpdateJobRetriesRequest) -> Command:
    """UpdateJobRetries: JOB UPDATE_RETRIES."""
    return Command(
        ValueType.JOB, "UPDATE_RETRIES", {"retries": request.retries}, key=request.jobKey
    )


def update_job_timeout(request: pb.UpdateJobTimeoutRequest) -> Command:
    """UpdateJobTimeout: JOB UPDATE_TIMEOUT."""
    return Command(
        ValueType.JOB, "UPDATE_TIMEOUT", {"timeout": request.timeout}, key=request.jobKey
    )


def publish_message(request: pb.PublishMessageRequest) -> Command:
    """PublishMessage: MESSAGE PUBLISH."""
    if not request.name:
        raise invalid_argument("Expected a message name, but 'name' was blank")
    value = {
        "name": request.name,
        "correlationKey": request.correlationKey,
        "timeToLive": request.timeToLive,
        "messageId": request.messageId,
        "variables": parse_variables(request.variables),
    }
    return Command(ValueType.MESSAGE, "PUBLISH", value, tenant_id=tenant(request.tenantId))


def broadcast_signal(request: pb.BroadcastSignalRequest) -> Command:
    """BroadcastSignal: SIGNAL BROADCAST."""
    if not request.signalName:
        raise invalid_argument("Expected a signal name, but 'signalName' was blank")
    value = {"signalName": request.signalName, "variables": parse_variables(request.variables)}
    return Command(ValueType.SIGNAL, "BROADCAST", value, tenant_id=tenant(request.tenantId))


def set_variables(request: pb.SetVariablesRequest) -> Command:
    """SetVariables: VARIABLE_DOCUMENT UPDATE on a scope, local or propagating."""
    value = {
        "scopeKey": request.elementInstanceKey,
        "updateSemantics": "LOCAL" if request.local else "PROPAGATE",
        "variables": parse_variables(request.variables),
    }
    return Command(ValueType.VARIABLE_DOCUMENT, "UPDATE", value)


def resolve_incident(request: pb.ResolveIncidentRequest) -> Command:
    """ResolveIncident: INCIDENT RESOLVE on the incident's key."""
    return Command(ValueType.INCIDENT, "RESOLVE", {}, key=request.incidentKey)


def evaluate_decision(request: pb.EvaluateDecisionRequest) -> Command:
    """EvaluateDecision: DECISION_EVALUATION EVALUATE, by key when one is given, else by id."""
    value: dict[str, Any] = {"variables": parse_variables(request.variables)}
    if request.decisionKey > 0:
        value["decisionKey"] = request.decisionKey
    elif request.decisionId:
        value["decisionId"] = request.decisionId
    else:
        raise invalid_argument(
            "Expected either a decision id or a decision key, but neither was given"
        )
    return Command(
        ValueType.DECISION_EVALUATION, "EVALUATE", value, tenant_id=tenant(request.tenantId)
    )


def delete_resource(request: pb.DeleteResourceRequest) -> Command:
    """DeleteResource: RESOURCE_DELETION DELETE."""
    return Command(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": request.resourceKey})
