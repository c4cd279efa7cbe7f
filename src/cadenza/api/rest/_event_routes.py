"""Messages, signals, variables of element instances, incidents and decisions: the commands
that do not belong to one process instance's lifecycle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response

from cadenza.api._port import Command
from cadenza.api.rest import _responses as r
from cadenza.api.rest._context import RestContext, path_key, require_one, tenant_of
from cadenza.api.rest._requests import (
    DecisionEvaluationRequest,
    MessageCorrelationRequest,
    MessagePublicationRequest,
    OperationReference,
    SetVariableRequest,
    SignalBroadcastRequest,
)
from cadenza.api.rest._shapes import shape_evaluation
from cadenza.api.rest._wire import StrictJsonRoute
from cadenza.kernel._records import ValueType

_NO_CONTENT: dict[int | str, dict[str, Any]] = {204: {"description": "Done"}}


def event_routes(ctx: RestContext) -> APIRouter:
    """Messages, signals, element-instance variables, incident resolution, decisions."""
    router = APIRouter(route_class=StrictJsonRoute)
    port = ctx.port

    @router.post(
        "/messages/publication", response_model=r.MessagePublicationResult, tags=["Message"]
    )
    async def publish_message(body: MessagePublicationRequest) -> dict[str, Any]:
        """Publish a message; with ``timeToLive`` it waits for subscriptions opened later."""
        tenant = tenant_of(body.tenant_id)
        value = {
            "name": body.name,
            "correlationKey": body.correlation_key,
            "timeToLive": body.time_to_live,
            "messageId": body.message_id or "",
            "variables": body.variables or {},
        }
        answer = await port.execute(Command(ValueType.MESSAGE, "PUBLISH", value, tenant_id=tenant))
        return {"tenantId": tenant, "messageKey": str(answer.key)}

    @router.post(
        "/messages/correlation", response_model=r.MessageCorrelationResult, tags=["Message"]
    )
    async def correlate_message(body: MessageCorrelationRequest) -> dict[str, Any]:
        """Correlate a message to one waiting subscription now (404 when none waits)."""
        tenant = tenant_of(body.tenant_id)
        value = {
            "name": body.name,
            "correlationKey": body.correlation_key,
            "variables": body.variables or {},
        }
        answer = await port.execute(
            Command(ValueType.MESSAGE, "CORRELATE", value, tenant_id=tenant)
        )
        return {
            "tenantId": tenant,
            "messageKey": str(answer.key),
            "processInstanceKey": str(answer.value["processInstanceKey"]),
        }

    @router.post("/signals/broadcast", response_model=r.SignalBroadcastResult, tags=["Signal"])
    async def broadcast_signal(body: SignalBroadcastRequest) -> dict[str, Any]:
        """Trigger every open subscription to the signal."""
        tenant = tenant_of(body.tenant_id)
        value = {"signalName": body.signal_name, "variables": body.variables or {}}
        answer = await port.execute(Command(ValueType.SIGNAL, "BROADCAST", value, tenant_id=tenant))
        return {"tenantId": tenant, "signalKey": str(answer.key)}

    @router.put(
        "/element-instances/{elementInstanceKey}/variables",
        status_code=204,
        responses=_NO_CONTENT,
        tags=["Element instance"],
    )
    async def set_variables(
        element_instance_key: Annotated[str, Path(alias="elementInstanceKey")],
        body: SetVariableRequest,
    ) -> Response:
        """Set variables in a scope (``local``) or propagate them up (the default)."""
        key = path_key(element_instance_key, "elementInstanceKey")
        value = {
            "scopeKey": key,
            "updateSemantics": "LOCAL" if body.local else "PROPAGATE",
            "variables": body.variables,
        }
        await port.execute(Command(ValueType.VARIABLE_DOCUMENT, "UPDATE", value, key=key))
        return Response(status_code=204)

    @router.post(
        "/incidents/{incidentKey}/resolution",
        status_code=204,
        responses=_NO_CONTENT,
        tags=["Incident"],
    )
    async def resolve_incident(
        incident_key: Annotated[str, Path(alias="incidentKey")],
        body: Annotated[OperationReference | None, Body()] = None,
    ) -> Response:
        """Resolve an incident: the step that failed is retried."""
        key = path_key(incident_key, "incidentKey")
        await port.execute(Command(ValueType.INCIDENT, "RESOLVE", {}, key=key))
        return Response(status_code=204)

    @router.post(
        "/decision-definitions/evaluation",
        response_model=r.EvaluateDecisionResult,
        tags=["Decision definition"],
    )
    async def evaluate_decision(body: DecisionEvaluationRequest) -> dict[str, Any]:
        """Evaluate a decision by id (latest version) or key."""
        require_one(
            body.decision_definition_id,
            body.decision_definition_key,
            ("decisionDefinitionId", "decisionDefinitionKey"),
        )
        tenant = tenant_of(body.tenant_id)
        value: dict[str, Any] = {"variables": body.variables or {}}
        if body.decision_definition_id is not None:
            value["decisionId"] = body.decision_definition_id
        else:
            value["decisionKey"] = body.decision_definition_key
        answer = await port.execute(
            Command(ValueType.DECISION_EVALUATION, "EVALUATE", value, tenant_id=tenant)
        )
        return shape_evaluation(answer, tenant)

    return router
