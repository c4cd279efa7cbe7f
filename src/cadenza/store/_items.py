"""Read-model items: what a search returns, one frozen dataclass per query table.

Field names are the snake_case forms of the Camunda names (``processInstanceKey`` ->
``process_instance_key``); sort fields are given in the camelCase form. Zeebe's "none"
sentinels (``-1`` keys and deadlines, ``""`` workers, assignees and dates) read as None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ProcessDefinition:
    """A deployed version of a BPMN process."""

    process_definition_key: int
    bpmn_process_id: str
    version: int
    version_tag: str | None
    resource_name: str | None
    checksum: str | None
    tenant_id: str | None
    deployment_time: int


@dataclass(frozen=True, slots=True)
class DecisionRequirements:
    """A deployed DMN decision requirements graph (one DMN resource)."""

    decision_requirements_key: int
    decision_requirements_id: str
    decision_requirements_name: str | None
    version: int
    namespace: str | None
    resource_name: str | None
    checksum: str | None
    tenant_id: str | None
    deployment_time: int


@dataclass(frozen=True, slots=True)
class DecisionDefinition:
    """A deployed version of one decision of a DRG."""

    decision_key: int
    decision_id: str
    decision_name: str | None
    version: int
    decision_requirements_id: str | None
    decision_requirements_key: int | None
    tenant_id: str | None
    deployment_time: int


@dataclass(frozen=True, slots=True)
class ProcessInstance:
    """A process instance: state ACTIVE, COMPLETED or CANCELED, plus an open-incident flag."""

    process_instance_key: int
    bpmn_process_id: str | None
    version: int | None
    process_definition_key: int | None
    state: str
    start_date: int
    end_date: int | None
    parent_process_instance_key: int | None
    parent_element_instance_key: int | None
    tenant_id: str | None
    has_incident: bool


@dataclass(frozen=True, slots=True)
class ElementInstance:
    """An instance of a BPMN element (the process itself included): ACTIVE, COMPLETED or
    TERMINATED, plus an open-incident flag."""

    element_instance_key: int
    process_instance_key: int
    process_definition_key: int | None
    bpmn_process_id: str | None
    element_id: str
    element_type: str
    flow_scope_key: int | None
    state: str
    start_date: int
    end_date: int | None
    tenant_id: str | None
    has_incident: bool


@dataclass(frozen=True, slots=True)
class Variable:
    """A variable of a scope; ``value`` is JSON text as in the VARIABLE record."""

    variable_key: int
    name: str
    value: str
    scope_key: int
    process_instance_key: int
    process_definition_key: int | None
    bpmn_process_id: str | None
    tenant_id: str | None


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident: ACTIVE until RESOLVED."""

    incident_key: int
    error_type: str | None
    error_message: str | None
    bpmn_process_id: str | None
    process_definition_key: int | None
    process_instance_key: int | None
    element_id: str | None
    element_instance_key: int | None
    job_key: int | None
    variable_scope_key: int | None
    state: str
    creation_time: int
    resolution_time: int | None
    tenant_id: str | None


@dataclass(frozen=True, slots=True)
class Job:
    """A job; ``state`` is its last lifecycle event (CREATED, ACTIVATED, COMPLETED, ...)."""

    job_key: int
    type: str | None
    worker: str | None
    state: str
    retries: int | None
    retry_backoff: int | None
    deadline: int | None
    timeout: int | None
    error_message: str | None
    error_code: str | None
    custom_headers: Mapping[str, Any]
    element_id: str | None
    element_instance_key: int | None
    process_instance_key: int | None
    process_definition_key: int | None
    bpmn_process_id: str | None
    process_definition_version: int | None
    tenant_id: str | None
    creation_time: int
    last_update_time: int


@dataclass(frozen=True, slots=True)
class UserTask:
    """A user task: CREATED until COMPLETED or CANCELED."""

    user_task_key: int
    element_id: str | None
    name: str | None
    assignee: str | None
    candidate_users: tuple[str, ...]
    candidate_groups: tuple[str, ...]
    state: str
    due_date: str | None
    follow_up_date: str | None
    form_key: int | None
    external_form_reference: str | None
    priority: int | None
    custom_headers: Mapping[str, Any]
    element_instance_key: int | None
    process_instance_key: int | None
    process_definition_key: int | None
    bpmn_process_id: str | None
    process_definition_version: int | None
    tenant_id: str | None
    creation_date: int
    completion_date: int | None


@dataclass(frozen=True, slots=True)
class DecisionInstance:
    """One decision evaluation: EVALUATED or FAILED. ``decision_output`` is JSON text and
    ``evaluated_decisions`` the record's list of evaluated decisions."""

    decision_evaluation_key: int
    state: str
    evaluation_date: int
    decision_key: int | None
    decision_id: str | None
    decision_name: str | None
    decision_version: int | None
    decision_requirements_key: int | None
    decision_output: str | None
    evaluated_decisions: tuple[Any, ...]
    evaluation_failure_message: str | None
    failed_decision_id: str | None
    process_instance_key: int | None
    element_instance_key: int | None
    element_id: str | None
    process_definition_key: int | None
    bpmn_process_id: str | None
    tenant_id: str | None


@dataclass(frozen=True, slots=True)
class ElementStatistics:
    """How many instances of one element of a process definition are in each state; an active
    instance with an open incident counts in ``incidents``, not in ``active``."""

    element_id: str
    active: int
    incidents: int
    completed: int
    terminated: int
