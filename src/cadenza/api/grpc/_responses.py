"""Engine answers as responses of the gateway protocol."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cadenza.api._port import Answer, Command, Topology
from cadenza.api.grpc._proto import gateway_pb2 as pb
from cadenza.api.grpc._variables import dump_json, json_text

_ROLES = frozenset(pb.Partition.PartitionBrokerRole.keys())
_HEALTHS = frozenset(pb.Partition.PartitionBrokerHealth.keys())


def _tenant(answer: Answer, command: Command) -> str:
    return str(answer.value.get("tenantId") or command.tenant_id)


def _process_metadata(item: Mapping[str, Any], tenant_id: str) -> pb.ProcessMetadata:
    return pb.ProcessMetadata(
        bpmnProcessId=item.get("bpmnProcessId", ""),
        version=item.get("version", 0),
        processDefinitionKey=item.get("processDefinitionKey", 0),
        resourceName=item.get("resourceName", ""),
        tenantId=item.get("tenantId") or tenant_id,
    )


def _deployments(value: Mapping[str, Any], tenant_id: str) -> list[pb.Deployment]:
    deployments = [
        pb.Deployment(process=_process_metadata(item, tenant_id))
        for item in value.get("processesMetadata", ())
    ]
    deployments += [
        pb.Deployment(
            decision=pb.DecisionMetadata(
                dmnDecisionId=item.get("decisionId", ""),
                dmnDecisionName=item.get("decisionName", ""),
                version=item.get("version", 0),
                decisionKey=item.get("decisionKey", 0),
                dmnDecisionRequirementsId=item.get("decisionRequirementsId", ""),
                decisionRequirementsKey=item.get("decisionRequirementsKey", 0),
                tenantId=item.get("tenantId") or tenant_id,
            )
        )
        for item in value.get("decisionsMetadata", ())
    ]
    deployments += [
        pb.Deployment(
            decisionRequirements=pb.DecisionRequirementsMetadata(
                dmnDecisionRequirementsId=item.get("decisionRequirementsId", ""),
                dmnDecisionRequirementsName=item.get("decisionRequirementsName", ""),
                version=item.get("decisionRequirementsVersion", item.get("version", 0)),
                decisionRequirementsKey=item.get("decisionRequirementsKey", 0),
                resourceName=item.get("resourceName", ""),
                tenantId=item.get("tenantId") or tenant_id,
            )
        )
        for item in value.get("decisionRequirementsMetadata", ())
    ]
    deployments += [
        pb.Deployment(
            form=pb.FormMetadata(
                formId=item.get("formId", ""),
                version=item.get("version", 0),
                formKey=item.get("formKey", 0),
                resourceName=item.get("resourceName", ""),
                tenantId=item.get("tenantId") or tenant_id,
            )
        )
        for item in value.get("formMetadata", ())
    ]
    return deployments


def deploy_resource(answer: Answer, command: Command) -> pb.DeployResourceResponse:
    """The deployment key and one entry per deployed process, decision, DRG and form."""
    tenant_id = _tenant(answer, command)
    return pb.DeployResourceResponse(
        key=answer.key, deployments=_deployments(answer.value, tenant_id), tenantId=tenant_id
    )


def deploy_process(answer: Answer, command: Command) -> pb.DeployProcessResponse:
    """The deployment key and the deployed processes (the deprecated RPC shows nothing else)."""
    tenant_id = _tenant(answer, command)
    processes = [
        _process_metadata(item, tenant_id) for item in answer.value.get("processesMetadata", ())
    ]
    return pb.DeployProcessResponse(key=answer.key, processes=processes)


def create_process_instance(answer: Answer, command: Command) -> pb.CreateProcessInstanceResponse:
    """The created instance and the definition it runs."""
    value = answer.value
    return pb.CreateProcessInstanceResponse(
        processDefinitionKey=value.get("processDefinitionKey", 0),
        bpmnProcessId=value.get("bpmnProcessId", ""),
        version=value.get("version", 0),
        processInstanceKey=value.get("processInstanceKey", answer.key),
        tenantId=_tenant(answer, command),
        tags=list(value.get("tags", ())),
    )


def create_process_instance_with_result(
    answer: Answer, command: Command
) -> pb.CreateProcessInstanceWithResultResponse:
    """The completed instance with its (fetched) root variables."""
    value = answer.value
    return pb.CreateProcessInstanceWithResultResponse(
        processDefinitionKey=value.get("processDefinitionKey", 0),
        bpmnProcessId=value.get("bpmnProcessId", ""),
        version=value.get("version", 0),
        processInstanceKey=value.get("processInstanceKey", answer.key),
        variables=dump_json(value.get("variables", {})),
        tenantId=_tenant(answer, command),
        tags=list(value.get("tags", ())),
    )


def _evaluated_decision(
    item: Mapping[str, Any], evaluation_key: int, index: int, tenant_id: str
) -> pb.EvaluatedDecision:
    return pb.EvaluatedDecision(
        decisionKey=item.get("decisionKey", 0),
        decisionId=item.get("decisionId", ""),
        decisionName=item.get("decisionName", ""),
        decisionVersion=item.get("decisionVersion", 0),
        decisionType=item.get("decisionType", ""),
        decisionOutput=json_text(item.get("decisionOutput")),
        matchedRules=[
            pb.MatchedDecisionRule(
                ruleId=rule.get("ruleId", ""),
                ruleIndex=rule.get("ruleIndex", 0),
                evaluatedOutputs=[
                    pb.EvaluatedDecisionOutput(
                        outputId=output.get("outputId", ""),
                        outputName=output.get("outputName", ""),
                        outputValue=json_text(output.get("outputValue")),
                    )
                    for output in rule.get("evaluatedOutputs", ())
                ],
            )
            for rule in item.get("matchedRules", ())
        ],
        evaluatedInputs=[
            pb.EvaluatedDecisionInput(
                inputId=given.get("inputId", ""),
                inputName=given.get("inputName", ""),
                inputValue=json_text(given.get("inputValue")),
            )
            for given in item.get("evaluatedInputs", ())
        ],
        tenantId=item.get("tenantId") or tenant_id,
        decisionEvaluationInstanceKey=str(
            item.get("decisionEvaluationInstanceKey") or f"{evaluation_key}-{index + 1}"
        ),
    )


def evaluate_decision(answer: Answer, command: Command) -> pb.EvaluateDecisionResponse:
    """The decision's result and every decision evaluated, or where the evaluation failed.

    A failed evaluation (intent FAILED) is still a response, as in Zeebe: the client reads
    ``failedDecisionId`` and ``failureMessage``.
    """
    value = answer.value
    tenant_id = _tenant(answer, command)
    output = value.get("decisionOutput")
    return pb.EvaluateDecisionResponse(
        decisionKey=value.get("decisionKey", 0),
        decisionId=value.get("decisionId", ""),
        decisionName=value.get("decisionName", ""),
        decisionVersion=value.get("decisionVersion", 0),
        decisionRequirementsId=value.get("decisionRequirementsId", ""),
        decisionRequirementsKey=value.get("decisionRequirementsKey", 0),
        decisionOutput=json_text(output) if output is not None else "",
        evaluatedDecisions=[
            _evaluated_decision(item, answer.key, index, tenant_id)
            for index, item in enumerate(value.get("evaluatedDecisions", ()))
        ],
        failedDecisionId=value.get("failedDecisionId", ""),
        failureMessage=value.get("evaluationFailureMessage") or value.get("failureMessage", ""),
        tenantId=tenant_id,
        decisionInstanceKey=answer.key,
        decisionEvaluationKey=answer.key,
    )


def publish_message(answer: Answer, command: Command) -> pb.PublishMessageResponse:
    """The message key."""
    return pb.PublishMessageResponse(key=answer.key, tenantId=_tenant(answer, command))


def broadcast_signal(answer: Answer, command: Command) -> pb.BroadcastSignalResponse:
    """The signal key."""
    return pb.BroadcastSignalResponse(key=answer.key, tenantId=_tenant(answer, command))


def set_variables(answer: Answer, command: Command) -> pb.SetVariablesResponse:
    """The key of the variable document update."""
    return pb.SetVariablesResponse(key=answer.key)


def topology(info: Topology) -> pb.TopologyResponse:
    """This node as the only broker, leading every partition it serves."""
    partitions = [
        pb.Partition(
            partitionId=p.partition_id,
            role=p.role if p.role in _ROLES else "LEADER",
            health=p.health if p.health in _HEALTHS else "HEALTHY",
        )
        for p in info.partitions
    ]
    broker = pb.BrokerInfo(
        nodeId=info.node_id,
        host=info.host,
        port=info.port,
        partitions=partitions,
        version=info.gateway_version,
    )
    return pb.TopologyResponse(
        brokers=[broker],
        clusterSize=info.cluster_size,
        partitionsCount=info.partitions_count,
        replicationFactor=info.replication_factor,
        gatewayVersion=info.gateway_version,
    )
