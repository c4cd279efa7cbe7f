"""Engine answers and read-model rows turned into the JSON shapes of Camunda's REST API.

Rows come from ``port.query`` (see ``_queries``): REST field names, int keys, instants in epoch
milliseconds. Engine answers use Zeebe's record-value shapes (see ``cadenza.api._port``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cadenza.api._port import Answer, Topology
from cadenza.api.rest._wire import encode_cursor, format_instant, format_key, json_text

DEFAULT_TENANT = "<default>"

# The read model's rows for each search carry these fields (absent ones read as null/defaults).
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "process_definitions": (
        "processDefinitionKey", "processDefinitionId", "name", "resourceName", "version",
        "versionTag", "tenantId", "hasStartForm", "state",
    ),
    "process_instances": (
        "processInstanceKey", "processDefinitionKey", "processDefinitionId",
        "processDefinitionName", "processDefinitionVersion", "processDefinitionVersionTag",
        "startDate", "endDate", "state", "hasIncident", "tenantId", "parentProcessInstanceKey",
        "parentElementInstanceKey", "rootProcessInstanceKey", "tags", "businessId",
    ),
    "element_instances": (
        "elementInstanceKey", "processInstanceKey", "processDefinitionKey",
        "processDefinitionId", "elementId", "elementName", "type", "state", "hasIncident",
        "incidentKey", "tenantId", "startDate", "endDate", "rootProcessInstanceKey",
    ),
    "variables": (
        "variableKey", "name", "value", "isTruncated", "tenantId", "scopeKey",
        "processInstanceKey", "rootProcessInstanceKey",
    ),
    "incidents": (
        "incidentKey", "processDefinitionKey", "processDefinitionId", "processInstanceKey",
        "errorType", "errorMessage", "elementId", "elementInstanceKey", "creationTime", "state",
        "tenantId", "jobKey", "rootProcessInstanceKey",
    ),
    "jobs": (
        "jobKey", "type", "worker", "state", "kind", "listenerEventType", "retries",
        "errorCode", "errorMessage", "customHeaders", "deadline", "endTime", "creationTime",
        "lastUpdateTime", "processDefinitionId", "processDefinitionKey", "processInstanceKey",
        "elementId", "elementInstanceKey", "tenantId", "hasFailedWithRetriesLeft", "isDenied",
        "deniedReason", "priority", "rootProcessInstanceKey", "businessId",
    ),
    "user_tasks": (
        "userTaskKey", "name", "state", "assignee", "elementId", "elementInstanceKey",
        "candidateGroups", "candidateUsers", "processDefinitionId", "processDefinitionKey",
        "processDefinitionVersion", "processName", "processInstanceKey", "creationDate",
        "completionDate", "followUpDate", "dueDate", "tenantId", "externalFormReference",
        "customHeaders", "priority", "formKey", "tags", "businessId", "rootProcessInstanceKey",
    ),
    "decision_definitions": (
        "decisionDefinitionKey", "decisionDefinitionId", "name", "version",
        "decisionRequirementsId", "decisionRequirementsKey", "decisionRequirementsName",
        "decisionRequirementsVersion", "tenantId",
    ),
}  # fmt: skip

_KEY_FIELDS = frozenset(
    name for fields in ROW_FIELDS.values() for name in fields if name.endswith("Key")
)
_INSTANT_FIELDS = frozenset(
    [
        "startDate",
        "endDate",
        "creationTime",
        "deadline",
        "endTime",
        "lastUpdateTime",
        "creationDate",
        "completionDate",
        "followUpDate",
        "dueDate",
    ]
)

# Defaults for row fields the read model may leave out; everything else defaults to null.
_DEFAULTS: dict[str, Any] = {
    "tenantId": DEFAULT_TENANT,
    "tags": [],
    "candidateGroups": [],
    "candidateUsers": [],
    "customHeaders": {},
    "hasIncident": False,
    "hasStartForm": False,
    "hasFailedWithRetriesLeft": False,
    "isTruncated": False,
    "priority": 0,
    "version": 1,
    "processDefinitionVersion": 1,
    "decisionRequirementsVersion": 1,
    "retries": 0,
    "kind": "BPMN_ELEMENT",
    "listenerEventType": "UNSPECIFIED",
    "state": "ACTIVE",
    "elementName": "",
    "type": "UNSPECIFIED",
    "name": None,
    "worker": "",
    "resourceName": "",
    "errorMessage": "",
    "decisionRequirementsName": "",
}

# Camunda's read model calls a cancelled process or element instance TERMINATED.
_STATE_ALIASES = {"CANCELED": "TERMINATED", "CANCELLED": "TERMINATED"}


def shape_row(entity: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A read-model row of ``entity`` in wire form (string keys, ISO instants, defaults)."""
    result: dict[str, Any] = {}
    for name in ROW_FIELDS[entity]:
        value = row.get(name)
        if value is None:
            value = _DEFAULTS.get(name)
        if name in _KEY_FIELDS:
            value = format_key(value)
        elif name in _INSTANT_FIELDS:
            value = format_instant(value)
        elif name == "value":
            value = json_text(value)
        result[name] = value
    if entity in ("process_instances", "element_instances"):
        result["state"] = _STATE_ALIASES.get(result["state"], result["state"])
    if entity == "process_instances":
        result.setdefault("suspendedDate", None)
    if entity in ("user_tasks", "jobs") and result["state"] == "ACTIVE":
        result["state"] = "CREATED"
    if entity == "decision_definitions":
        result["name"] = result["name"] or result["decisionDefinitionId"]
    return result


def shape_page(
    entity: str, rows: Sequence[Mapping[str, Any]], total: int, offset: int
) -> dict[str, Any]:
    """A search answer: the shaped rows and Camunda's page member (cursors are offsets)."""
    return {
        "items": [shape_row(entity, row) for row in rows],
        "page": {
            "totalItems": total,
            "hasMoreTotalItems": False,
            "startCursor": encode_cursor(offset) if rows else None,
            "endCursor": encode_cursor(offset + len(rows)) if rows else None,
        },
    }


def shape_topology(topology: Topology) -> dict[str, Any]:
    """The topology in the shape of ``GET /v2/topology``."""
    return {
        "brokers": [
            {
                "nodeId": topology.node_id,
                "brokerId": str(topology.node_id),
                "host": topology.host,
                "port": topology.port,
                "version": topology.gateway_version,
                "partitions": [
                    {
                        "partitionId": p.partition_id,
                        "role": p.role.lower(),
                        "health": p.health.lower(),
                        "state": "active",
                    }
                    for p in topology.partitions
                ],
            }
        ],
        "clusterId": None,
        "clusterSize": topology.cluster_size,
        "partitionsCount": topology.partitions_count,
        "replicationFactor": topology.replication_factor,
        "gatewayVersion": topology.gateway_version,
        "lastCompletedChangeId": "-1",
    }


def shape_deployment(answer: Answer, tenant_id: str) -> dict[str, Any]:
    """The DEPLOYMENT CREATED value in the shape of ``POST /v2/deployments``."""
    value = answer.value
    items: list[dict[str, Any]] = []
    for p in value.get("processesMetadata", ()):
        items.append(
            {
                "processDefinition": {
                    "processDefinitionId": p["bpmnProcessId"],
                    "processDefinitionVersion": p["version"],
                    "resourceName": p.get("resourceName", ""),
                    "tenantId": p.get("tenantId", tenant_id),
                    "processDefinitionKey": str(p["processDefinitionKey"]),
                }
            }
        )
    for d in value.get("decisionsMetadata", ()):
        items.append(
            {
                "decisionDefinition": {
                    "decisionDefinitionId": d["decisionId"],
                    "version": d["version"],
                    "name": d.get("decisionName") or d["decisionId"],
                    "tenantId": d.get("tenantId", tenant_id),
                    "decisionRequirementsId": d.get("decisionRequirementsId", ""),
                    "decisionDefinitionKey": str(d["decisionKey"]),
                    "decisionRequirementsKey": str(d.get("decisionRequirementsKey", 0)),
                }
            }
        )
    for r in value.get("decisionRequirementsMetadata", ()):
        items.append(
            {
                "decisionRequirements": {
                    "decisionRequirementsId": r["decisionRequirementsId"],
                    "decisionRequirementsName": r.get("decisionRequirementsName")
                    or r["decisionRequirementsId"],
                    "version": r.get("decisionRequirementsVersion", r.get("version", 1)),
                    "resourceName": r.get("resourceName", ""),
                    "tenantId": r.get("tenantId", tenant_id),
                    "decisionRequirementsKey": str(r["decisionRequirementsKey"]),
                }
            }
        )
    for f in value.get("formMetadata", ()):
        items.append(
            {
                "form": {
                    "formId": f["formId"],
                    "version": f["version"],
                    "resourceName": f.get("resourceName", ""),
                    "tenantId": f.get("tenantId", tenant_id),
                    "formKey": str(f["formKey"]),
                }
            }
        )
    return {"deploymentKey": str(answer.key), "tenantId": tenant_id, "deployments": items}


def shape_activated_job(job: Mapping[str, Any]) -> dict[str, Any]:
    """A job from ``EnginePort.activate_jobs`` (Zeebe's activated-job shape) for the REST API."""
    process_instance_key = str(job["processInstanceKey"])
    return {
        "type": job["type"],
        "processDefinitionId": job["bpmnProcessId"],
        "processDefinitionVersion": job.get("processDefinitionVersion", 1),
        "elementId": job["elementId"],
        "customHeaders": dict(job.get("customHeaders") or {}),
        "worker": job.get("worker", ""),
        "retries": job.get("retries", 0),
        "deadline": job.get("deadline", 0),
        "variables": dict(job.get("variables") or {}),
        "tenantId": job.get("tenantId") or DEFAULT_TENANT,
        "physicalTenantId": DEFAULT_TENANT,
        "jobKey": str(job["key"]),
        "processInstanceKey": process_instance_key,
        "processDefinitionKey": str(job["processDefinitionKey"]),
        "elementInstanceKey": str(job["elementInstanceKey"]),
        "kind": job.get("jobKind") or job.get("kind") or "BPMN_ELEMENT",
        "listenerEventType": job.get("listenerEventType") or "UNSPECIFIED",
        "userTask": None,
        "tags": list(job.get("tags") or ()),
        "rootProcessInstanceKey": format_key(job.get("rootProcessInstanceKey"))
        or process_instance_key,
        "businessId": job.get("businessId"),
        "priority": job.get("priority", 0),
        "jobLeaseToken": None,
    }


def _evaluated_decision(
    d: Mapping[str, Any], tenant_id: str, evaluation_key: int, index: int
) -> dict[str, Any]:
    return {
        "decisionDefinitionId": d["decisionId"],
        "decisionDefinitionName": d.get("decisionName") or d["decisionId"],
        "decisionDefinitionVersion": d.get("decisionVersion", 1),
        "decisionDefinitionType": d.get("decisionType", "DECISION_TABLE"),
        "output": json_text(d.get("decisionOutput")),
        "tenantId": d.get("tenantId", tenant_id),
        "decisionDefinitionKey": str(d.get("decisionKey", 0)),
        # Camunda names each evaluated decision "<evaluation key>-<1-based position>"
        "decisionEvaluationInstanceKey": f"{evaluation_key}-{index}",
        "evaluatedInputs": [
            {
                "inputId": i["inputId"],
                "inputName": i.get("inputName") or i["inputId"],
                "inputValue": json_text(i.get("inputValue")),
            }
            for i in d.get("evaluatedInputs", ())
        ],
        "matchedRules": [
            {
                "ruleId": r["ruleId"],
                "ruleIndex": r["ruleIndex"],
                "evaluatedOutputs": [
                    {
                        "outputId": o["outputId"],
                        "outputName": o.get("outputName") or o["outputId"],
                        "outputValue": json_text(o.get("outputValue")),
                        "ruleId": r["ruleId"],
                        "ruleIndex": r["ruleIndex"],
                    }
                    for o in r.get("evaluatedOutputs", ())
                ],
            }
            for r in d.get("matchedRules", ())
        ],
    }


def shape_evaluation(answer: Answer, tenant_id: str) -> dict[str, Any]:
    """The DECISION_EVALUATION EVALUATED / FAILED value for ``POST .../evaluation``."""
    v = answer.value
    failed = v.get("failedDecisionId") or None
    return {
        "decisionDefinitionId": v["decisionId"],
        "decisionDefinitionKey": str(v.get("decisionKey", 0)),
        "decisionDefinitionName": v.get("decisionName") or v["decisionId"],
        "decisionDefinitionVersion": v.get("decisionVersion", 1),
        "decisionEvaluationKey": str(answer.key),
        "decisionInstanceKey": str(answer.key),
        "decisionRequirementsId": v.get("decisionRequirementsId", ""),
        "decisionRequirementsKey": str(v.get("decisionRequirementsKey", 0)),
        "evaluatedDecisions": [
            _evaluated_decision(d, tenant_id, answer.key, index)
            for index, d in enumerate(v.get("evaluatedDecisions", ()), start=1)
        ],
        "failedDecisionDefinitionId": failed,
        "failureMessage": v.get("evaluationFailureMessage") or None,
        "output": json_text(v.get("decisionOutput")),
        "tenantId": v.get("tenantId", tenant_id),
    }
