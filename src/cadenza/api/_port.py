"""What the API layers (gRPC gateway, REST v2) need from the engine, and nothing more.

The gateways translate client requests into engine commands and the engine's answers back, the
way Zeebe's gateway talks to its brokers: a command is a value type, an intent and a value in
Zeebe's record-value shape (camelCase keys, variables as JSON-like dicts); the answer is the
resulting event's key, intent and value, or a rejection. The runtime implements this port; tests
of the API layers use a fake.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cadenza.errors import CommandRejected
from cadenza.kernel._records import RejectionType, ValueType


@dataclass(frozen=True, slots=True)
class Command:
    """A command for the engine, e.g. ``Command(ValueType.JOB, "COMPLETE", {"variables": {}}, key=job_key)``.

    Values and intents by RPC (Zeebe's shapes):
    - DeployResource: DEPLOYMENT CREATE ``{"resources": [{"resourceName": str, "resource": bytes}]}``
      -> CREATED ``{"processesMetadata": [{bpmnProcessId, version, processDefinitionKey,
      resourceName, checksum, isDuplicate}], "decisionsMetadata": [{decisionId, decisionName,
      version, decisionKey, decisionRequirementsId, decisionRequirementsKey, isDuplicate}],
      "decisionRequirementsMetadata": [...], "formMetadata": [{formId, version, formKey,
      resourceName, isDuplicate}]}``; the deployment key is the answer's key.
    - CreateProcessInstance: PROCESS_INSTANCE_CREATION CREATE ``{bpmnProcessId, version (-1 =
      latest), processDefinitionKey (0 = by id), variables: dict}`` -> CREATED
      ``{bpmnProcessId, version, processDefinitionKey, processInstanceKey}``.
    - CreateProcessInstanceWithResult: PROCESS_INSTANCE_CREATION CREATE_WITH_AWAITING_RESULT
      ``{... as CREATE, fetchVariables: [str]}`` -> PROCESS_INSTANCE_RESULT COMPLETED
      ``{bpmnProcessId, version, processDefinitionKey, processInstanceKey, variables: dict}``
      (answered when the instance completes; ``timeout_ms`` bounds the wait).
    - CancelProcessInstance: PROCESS_INSTANCE CANCEL, key = process instance key, value {}.
    - CompleteJob: JOB COMPLETE, key = job key, ``{variables}``.
    - FailJob: JOB FAIL ``{retries, errorMessage, retryBackoff (ms), variables}``.
    - ThrowError: JOB THROW_ERROR ``{errorCode, errorMessage, variables}``.
    - UpdateJobRetries: JOB UPDATE_RETRIES ``{retries}``; UpdateJobTimeout: JOB UPDATE_TIMEOUT
      ``{timeout (ms)}``.
    - PublishMessage: MESSAGE PUBLISH ``{name, correlationKey, timeToLive (ms), messageId,
      variables}`` -> PUBLISHED (key = message key).
    - BroadcastSignal: SIGNAL BROADCAST ``{signalName, variables}`` -> BROADCASTED.
    - SetVariables: VARIABLE_DOCUMENT UPDATE ``{scopeKey, updateSemantics: "LOCAL"|"PROPAGATE",
      variables}`` -> UPDATED (key = the command's key).
    - ResolveIncident: INCIDENT RESOLVE, key = incident key -> RESOLVED.
    - EvaluateDecision: DECISION_EVALUATION EVALUATE ``{decisionId | decisionKey, variables}``
      -> EVALUATED (or FAILED) with Zeebe's decision evaluation value.
    - DeleteResource: RESOURCE_DELETION DELETE ``{resourceKey}`` -> DELETED.
    - User tasks (REST): USER_TASK ASSIGN ``{assignee, action}`` / CLAIM / COMPLETE ``{variables,
      action}`` / UPDATE ``{changedAttributes, ...}``, key = user task key.
    """

    value_type: ValueType
    intent: str
    value: Mapping[str, Any] = field(default_factory=dict)
    key: int = -1
    tenant_id: str = "<default>"
    timeout_ms: int | None = None  # for commands answered later (create with result)


@dataclass(frozen=True, slots=True)
class Answer:
    """The engine's answer to a command: the resulting event."""

    key: int
    intent: str
    value: Mapping[str, Any]


__all__ = ["CommandRejected", "RejectionType"]


class Backpressure(Exception):
    """The engine is at its in-flight limit: RESOURCE_EXHAUSTED (gRPC) / 503 (REST)."""


class AnswerTimeout(Exception):
    """A command answered later (create with result) did not get its answer in time."""


@dataclass(frozen=True, slots=True)
class JobActivation:
    """What a worker asks for when it activates jobs (ActivateJobs, StreamActivatedJobs, REST)."""

    type: str
    worker: str
    timeout_ms: int
    max_jobs: int
    fetch_variables: Sequence[str] = ()  # empty = all visible variables
    tenant_ids: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class PartitionInfo:
    """One partition of the topology; this node leads every partition it serves."""

    partition_id: int
    role: str = "LEADER"
    health: str = "HEALTHY"


@dataclass(frozen=True, slots=True)
class Topology:
    """The cluster as the Topology RPC and ``GET /v2/topology`` report it."""

    cluster_size: int
    partitions_count: int
    replication_factor: int
    gateway_version: str
    node_id: int
    host: str
    port: int
    partitions: Sequence[PartitionInfo]


class EnginePort(Protocol):
    """The engine as the gateways see it. All methods are coroutines on the server's loop."""

    async def execute(self, command: Command) -> Answer:
        """Run one command and answer with its resulting event.

        Raises ``CommandRejected``, ``Backpressure`` or ``AnswerTimeout``."""
        ...

    async def activate_jobs(self, request: JobActivation) -> list[dict[str, Any]]:
        """Activate up to ``max_jobs`` jobs now (possibly none).

        Each job is Zeebe's activated-job shape: ``{key, type, processInstanceKey,
        bpmnProcessId, processDefinitionVersion, processDefinitionKey, elementId,
        elementInstanceKey, customHeaders: dict, worker, retries, deadline (ms epoch),
        variables: dict, tenantId}``."""
        ...

    async def wait_for_jobs(self, job_type: str, timeout_s: float) -> bool:
        """Wait until a job of ``job_type`` may be activatable (True) or the timeout passes
        (False). Used for long polling; a spurious True is allowed."""
        ...

    def stream_jobs(self, request: JobActivation) -> AsyncIterator[dict[str, Any]]:
        """Push activated jobs of ``request.type`` as they are created, until the consumer
        stops iterating (StreamActivatedJobs). ``max_jobs`` is ignored."""
        ...

    async def topology(self) -> Topology:
        """The topology of this node."""
        ...

    async def query(self, name: str, **params: Any) -> Any:
        """Read-model queries for the REST search endpoints (``name`` e.g.
        ``"process_instances"``, params: filter, sort, page). Immediately consistent with
        every answered command."""
        ...
