"""Request bodies of the REST API. Unknown members are refused (400 naming the member), as
Camunda's gateway refuses them; members Camunda defines but Cadenza ignores are accepted."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from cadenza.api.rest._wire import KeyParam

Variables = dict[str, Any]


class RequestModel(BaseModel):
    """Base of the request models: camelCase members, nothing unknown."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class StartInstruction(RequestModel):
    """Start the new instance at this element instead of the none start event."""

    element_id: str


class ProcessInstanceCreation(RequestModel):
    """``POST /v2/process-instances``: by ``processDefinitionId`` (+ version) or by key."""

    process_definition_id: str | None = None
    process_definition_key: KeyParam | None = None
    process_definition_version: int = -1
    process_definition_version_tag: str | None = None
    variables: Variables | None = None
    tenant_id: str | None = None
    operation_reference: int | None = None
    start_instructions: list[StartInstruction] | None = None
    runtime_instructions: list[dict[str, Any]] | None = None
    await_completion: bool = False
    fetch_variables: list[str] | None = None
    request_timeout: int | None = Field(default=None, ge=0)
    tags: list[str] | None = None
    business_id: str | None = None


class OperationReference(RequestModel):
    """Bodies that only carry Camunda's optional operation reference."""

    operation_reference: int | None = None


class JobActivationRequest(RequestModel):
    """``POST /v2/jobs/activation``."""

    type: str = Field(min_length=1)
    worker: str | None = None
    timeout: int = Field(gt=0)
    max_jobs_to_activate: int = Field(gt=0)
    fetch_variable: list[str] | None = None
    request_timeout: int | None = None
    tenant_ids: list[str] | None = None
    tenant_filter: Literal["PROVIDED", "ASSIGNED"] | None = None
    with_lease: bool | None = None


class JobResultRequest(RequestModel):
    """The optional ``result`` of a job completion (user task listeners, ad-hoc subprocess)."""

    type: str | None = None
    denied: bool | None = None
    denied_reason: str | None = None
    corrections: dict[str, Any] | None = None
    activate_elements: list[dict[str, Any]] | None = None
    is_completion_condition_fulfilled: bool | None = None
    is_cancel_remaining_instances: bool | None = None


class JobCompletionRequest(RequestModel):
    """``POST /v2/jobs/{key}/completion``."""

    variables: Variables | None = None
    result: JobResultRequest | None = None
    job_lease_token: str | None = None
    business_id: str | None = None


class JobFailRequest(RequestModel):
    """``POST /v2/jobs/{key}/failure``."""

    retries: int = Field(default=0, ge=0)
    error_message: str | None = None
    retry_back_off: int = Field(default=0, ge=0)
    variables: Variables | None = None
    job_lease_token: str | None = None


class JobErrorRequest(RequestModel):
    """``POST /v2/jobs/{key}/error``."""

    error_code: str = Field(min_length=1)
    error_message: str | None = None
    variables: Variables | None = None
    job_lease_token: str | None = None


class JobChangeset(RequestModel):
    """What ``PATCH /v2/jobs/{key}`` changes."""

    retries: int | None = Field(default=None, ge=0)
    timeout: int | None = Field(default=None, ge=0)
    priority: int | None = None


class JobUpdateRequest(RequestModel):
    """``PATCH /v2/jobs/{key}``."""

    changeset: JobChangeset
    operation_reference: int | None = None
    job_lease_token: str | None = None


class MessagePublicationRequest(RequestModel):
    """``POST /v2/messages/publication``."""

    name: str = Field(min_length=1)
    correlation_key: str = ""
    time_to_live: int = Field(default=0, ge=0)
    message_id: str | None = None
    variables: Variables | None = None
    tenant_id: str | None = None
    business_id: str | None = None


class MessageCorrelationRequest(RequestModel):
    """``POST /v2/messages/correlation``."""

    name: str = Field(min_length=1)
    correlation_key: str = ""
    variables: Variables | None = None
    tenant_id: str | None = None
    business_id: str | None = None


class SignalBroadcastRequest(RequestModel):
    """``POST /v2/signals/broadcast``."""

    signal_name: str = Field(min_length=1)
    variables: Variables | None = None
    tenant_id: str | None = None


class UserTaskAssignmentRequest(RequestModel):
    """``POST /v2/user-tasks/{key}/assignment``."""

    assignee: str | None = Field(default=None, min_length=1)
    allow_override: bool | None = None
    action: str | None = None


class UserTaskCompletionRequest(RequestModel):
    """``POST /v2/user-tasks/{key}/completion``."""

    variables: Variables | None = None
    action: str | None = None


class SetVariableRequest(RequestModel):
    """``PUT /v2/element-instances/{key}/variables``."""

    variables: Variables
    local: bool = False
    operation_reference: int | None = None


class DecisionEvaluationRequest(RequestModel):
    """``POST /v2/decision-definitions/evaluation``: by ``decisionDefinitionId`` or key."""

    decision_definition_id: str | None = None
    decision_definition_key: KeyParam | None = None
    variables: Variables | None = None
    tenant_id: str | None = None


class SearchQuery(BaseModel):
    """A search request: ``filter``, ``sort`` and ``page``, checked against the entity's fields."""

    model_config = ConfigDict(extra="forbid")

    filter: dict[str, Any] | None = None
    sort: list[dict[str, Any]] | None = None
    page: dict[str, Any] | None = None
