"""Response bodies of the REST API, as pydantic models: they document ``/v2/openapi.json`` and
check each answer before it leaves, so a missing required field is our 500, not a client crash.

Every field the Camunda clients require is required here too; nullable ones must still be sent.
Keys are decimal strings, instants ISO 8601 text.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class WireModel(BaseModel):
    """Base of the response models: camelCase on the wire, unknown members dropped."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class ProblemDetail(WireModel):
    """An RFC 9457 problem (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str


class PartitionResult(WireModel):
    """A partition as the topology reports it."""

    partition_id: int
    role: str
    health: str
    state: str


class BrokerResult(WireModel):
    """A node of the cluster."""

    node_id: int
    broker_id: str
    host: str
    port: int
    partitions: list[PartitionResult]
    version: str


class TopologyResult(WireModel):
    """``GET /v2/topology``."""

    brokers: list[BrokerResult]
    cluster_id: str | None
    cluster_size: int
    partitions_count: int
    replication_factor: int
    gateway_version: str
    last_completed_change_id: str


class DeployedProcess(WireModel):
    """A process definition created (or found unchanged) by a deployment."""

    process_definition_id: str
    process_definition_version: int
    resource_name: str
    tenant_id: str
    process_definition_key: str


class DeployedDecision(WireModel):
    """A decision definition of a deployment."""

    decision_definition_id: str
    version: int
    name: str
    tenant_id: str
    decision_requirements_id: str
    decision_definition_key: str
    decision_requirements_key: str


class DeployedDecisionRequirements(WireModel):
    """A DRG (DMN resource) of a deployment."""

    decision_requirements_id: str
    decision_requirements_name: str
    version: int
    resource_name: str
    tenant_id: str
    decision_requirements_key: str


class DeployedForm(WireModel):
    """A form of a deployment."""

    form_id: str
    version: int
    resource_name: str
    tenant_id: str
    form_key: str


class DeploymentItem(WireModel):
    """One deployed thing; exactly one member is set."""

    process_definition: DeployedProcess | None = None
    decision_definition: DeployedDecision | None = None
    decision_requirements: DeployedDecisionRequirements | None = None
    form: DeployedForm | None = None


class DeploymentResult(WireModel):
    """``POST /v2/deployments``."""

    deployment_key: str
    tenant_id: str
    deployments: list[DeploymentItem]


class CreateProcessInstanceResult(WireModel):
    """``POST /v2/process-instances``."""

    process_definition_id: str
    process_definition_version: int
    tenant_id: str
    variables: dict[str, Any]
    process_definition_key: str
    process_instance_key: str
    tags: list[str]
    business_id: str | None


class ProcessInstanceResult(WireModel):
    """A process instance of the read model."""

    process_definition_id: str
    process_definition_name: str | None
    process_definition_version: int
    process_definition_version_tag: str | None
    start_date: str
    end_date: str | None
    state: str
    suspended_date: str | None
    has_incident: bool
    tenant_id: str
    process_instance_key: str
    process_definition_key: str
    parent_process_instance_key: str | None
    parent_element_instance_key: str | None
    root_process_instance_key: str | None
    tags: list[str]
    business_id: str | None


class ProcessDefinitionResult(WireModel):
    """A deployed process definition."""

    name: str | None
    resource_name: str
    version: int
    version_tag: str | None
    process_definition_id: str
    tenant_id: str
    process_definition_key: str
    has_start_form: bool
    state: str


class ActivatedUserTask(WireModel):
    """User task properties of a job that belongs to a user task (task listeners)."""

    action: str | None
    assignee: str | None
    candidate_groups: list[str]
    candidate_users: list[str]
    changed_attributes: list[str]
    due_date: str | None
    follow_up_date: str | None
    form_key: str | None
    priority: int | None
    user_task_key: str | None


class ActivatedJob(WireModel):
    """A job handed to a worker by ``POST /v2/jobs/activation``."""

    type: str
    process_definition_id: str
    process_definition_version: int
    element_id: str
    custom_headers: dict[str, Any]
    worker: str
    retries: int
    deadline: int
    variables: dict[str, Any]
    tenant_id: str
    physical_tenant_id: str
    job_key: str
    process_instance_key: str
    process_definition_key: str
    element_instance_key: str
    kind: str
    listener_event_type: str
    user_task: ActivatedUserTask | None
    tags: list[str]
    root_process_instance_key: str | None
    business_id: str | None
    priority: int
    job_lease_token: str | None = None


class JobActivationResult(WireModel):
    """``POST /v2/jobs/activation``."""

    jobs: list[ActivatedJob]


class JobResult(WireModel):
    """A job of the read model."""

    custom_headers: dict[str, Any]
    deadline: str | None
    denied_reason: str | None
    element_id: str | None
    element_instance_key: str
    end_time: str | None
    error_code: str | None
    error_message: str | None
    has_failed_with_retries_left: bool
    is_denied: bool | None
    job_key: str
    kind: str
    listener_event_type: str
    process_definition_id: str
    process_definition_key: str
    process_instance_key: str
    root_process_instance_key: str | None
    business_id: str | None
    retries: int
    state: str
    tenant_id: str
    type: str
    worker: str
    creation_time: str | None
    last_update_time: str | None
    priority: int


class MessagePublicationResult(WireModel):
    """``POST /v2/messages/publication``."""

    tenant_id: str
    message_key: str


class MessageCorrelationResult(WireModel):
    """``POST /v2/messages/correlation``."""

    tenant_id: str
    message_key: str
    process_instance_key: str


class SignalBroadcastResult(WireModel):
    """``POST /v2/signals/broadcast``."""

    tenant_id: str
    signal_key: str


class UserTaskResult(WireModel):
    """A user task of the read model."""

    name: str | None
    state: str
    assignee: str | None
    element_id: str
    candidate_groups: list[str]
    candidate_users: list[str]
    process_definition_id: str
    creation_date: str
    completion_date: str | None
    follow_up_date: str | None
    due_date: str | None
    tenant_id: str
    external_form_reference: str | None
    process_definition_version: int
    custom_headers: dict[str, Any]
    priority: int
    user_task_key: str
    element_instance_key: str
    process_name: str | None
    process_definition_key: str
    process_instance_key: str
    root_process_instance_key: str | None
    business_id: str | None
    form_key: str | None
    tags: list[str]


class FormResult(WireModel):
    """``GET /v2/user-tasks/{key}/form``."""

    tenant_id: str
    form_id: str
    schema_: str
    version: int
    form_key: str

    model_config = ConfigDict(
        alias_generator=lambda name: "schema" if name == "schema_" else to_camel(name),
        populate_by_name=True,
        extra="ignore",
    )


class IncidentResult(WireModel):
    """An incident of the read model."""

    process_definition_id: str
    error_type: str
    error_message: str
    element_id: str
    creation_time: str
    state: str
    tenant_id: str
    incident_key: str
    process_definition_key: str
    process_instance_key: str
    root_process_instance_key: str | None
    element_instance_key: str
    job_key: str | None


class VariableResult(WireModel):
    """A variable of the read model; ``value`` is JSON text."""

    value: str
    is_truncated: bool
    name: str
    tenant_id: str
    variable_key: str
    scope_key: str
    process_instance_key: str
    root_process_instance_key: str | None


class ElementInstanceResult(WireModel):
    """An element instance of the read model."""

    process_definition_id: str | None
    start_date: str
    end_date: str | None
    element_id: str
    element_name: str
    type: str
    state: str
    has_incident: bool
    tenant_id: str
    element_instance_key: str
    process_instance_key: str
    root_process_instance_key: str | None
    process_definition_key: str | None
    incident_key: str | None


class DecisionDefinitionResult(WireModel):
    """A deployed decision definition."""

    decision_definition_id: str
    decision_definition_key: str
    decision_requirements_id: str
    decision_requirements_key: str
    decision_requirements_name: str
    decision_requirements_version: int
    name: str
    tenant_id: str
    version: int


class EvaluatedInput(WireModel):
    """An input of a decision table and the value it had."""

    input_id: str
    input_name: str
    input_value: str


class EvaluatedOutput(WireModel):
    """An output of a matched rule."""

    output_id: str
    output_name: str
    output_value: str
    rule_id: str | None
    rule_index: int | None


class MatchedRule(WireModel):
    """A rule of a decision table that matched."""

    rule_id: str
    rule_index: int
    evaluated_outputs: list[EvaluatedOutput]


class EvaluatedDecision(WireModel):
    """One decision evaluated on the way to the requested one."""

    decision_definition_id: str
    decision_definition_name: str
    decision_definition_version: int
    decision_definition_type: str
    output: str
    tenant_id: str
    matched_rules: list[MatchedRule]
    evaluated_inputs: list[EvaluatedInput]
    decision_definition_key: str
    decision_evaluation_instance_key: str


class EvaluateDecisionResult(WireModel):
    """``POST /v2/decision-definitions/evaluation``."""

    decision_definition_id: str
    decision_definition_key: str
    decision_definition_name: str
    decision_definition_version: int
    decision_evaluation_key: str
    decision_instance_key: str
    decision_requirements_id: str
    decision_requirements_key: str
    evaluated_decisions: list[EvaluatedDecision]
    failed_decision_definition_id: str | None
    failure_message: str | None
    output: str
    tenant_id: str


class PageResult(WireModel):
    """The paging part of a search answer."""

    total_items: int
    has_more_total_items: bool
    start_cursor: str | None
    end_cursor: str | None


ItemT = TypeVar("ItemT", bound=WireModel)


class SearchResult(WireModel, Generic[ItemT]):
    """A page of search results."""

    items: list[ItemT]
    page: PageResult
