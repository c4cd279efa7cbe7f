"""Cluster, deployments, process definitions and process instances."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response
from starlette.datastructures import UploadFile

from cadenza.api._port import Command
from cadenza.api.rest import _responses as r
from cadenza.api.rest._context import RestContext, path_key, require_one, tenant_of
from cadenza.api.rest._problems import RestProblem
from cadenza.api.rest._queries import PROCESS_DEFINITION_XML, SEARCHES, find_one
from cadenza.api.rest._requests import OperationReference, ProcessInstanceCreation
from cadenza.api.rest._shapes import shape_deployment, shape_row, shape_topology
from cadenza.api.rest._wire import StrictJsonRoute
from cadenza.kernel._records import ValueType

_NO_CONTENT: dict[int | str, dict[str, Any]] = {204: {"description": "Done"}}


def _creation_value(body: ProcessInstanceCreation) -> dict[str, Any]:
    require_one(
        body.process_definition_id,
        body.process_definition_key,
        ("processDefinitionId", "processDefinitionKey"),
    )
    if body.process_definition_version_tag is not None:
        raise RestProblem.invalid("'processDefinitionVersionTag' is not supported")
    if body.runtime_instructions:
        raise RestProblem.invalid("'runtimeInstructions' are not supported")
    value: dict[str, Any] = {
        "bpmnProcessId": body.process_definition_id or "",
        "version": body.process_definition_version,
        "processDefinitionKey": body.process_definition_key or 0,
        "variables": body.variables or {},
    }
    if body.start_instructions:
        value["startInstructions"] = [{"elementId": s.element_id} for s in body.start_instructions]
    if body.await_completion:
        value["fetchVariables"] = list(body.fetch_variables or ())
    return value


def process_routes(ctx: RestContext) -> APIRouter:
    """Topology, deployments, process definitions and process instances."""
    router = APIRouter(route_class=StrictJsonRoute)
    port, settings = ctx.port, ctx.settings

    @router.get("/topology", response_model=r.TopologyResult, tags=["Cluster"])
    async def get_topology() -> dict[str, Any]:
        """The cluster: this node and the partitions it leads."""
        return shape_topology(await port.topology())

    @router.post(
        "/deployments",
        response_model=r.DeploymentResult,
        response_model_exclude_unset=True,
        tags=["Resource"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["resources"],
                            "properties": {
                                "resources": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                },
                                "tenantId": {"type": "string"},
                            },
                        }
                    }
                },
            }
        },
    )
    async def create_deployment(request: Request) -> dict[str, Any]:
        """Deploy BPMN, DMN and form resources (multipart ``resources``, optional ``tenantId``)."""
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise RestProblem.invalid("a deployment is a multipart/form-data request")
        resources: list[dict[str, Any]] = []
        tenant_id: str | None = None
        async with request.form(max_files=10_000, max_fields=1_000) as form:
            for name, item in form.multi_items():
                if name == "resources" and isinstance(item, UploadFile):
                    content = await item.read()
                    resources.append({"resourceName": item.filename or "", "resource": content})
                elif name == "tenantId" and isinstance(item, str):
                    tenant_id = item
                else:
                    raise RestProblem.invalid(f"'{name}' is not a deployment form field")
        if not resources:
            raise RestProblem.invalid("a deployment needs at least one file in 'resources'")
        tenant = tenant_of(tenant_id)
        answer = await port.execute(
            Command(ValueType.DEPLOYMENT, "CREATE", {"resources": resources}, tenant_id=tenant)
        )
        return shape_deployment(answer, tenant)

    @router.post(
        "/process-instances",
        response_model=r.CreateProcessInstanceResult,
        tags=["Process instance"],
    )
    async def create_process_instance(body: ProcessInstanceCreation) -> dict[str, Any]:
        """Start a process instance; with ``awaitCompletion`` answer when it completes."""
        tenant = tenant_of(body.tenant_id)
        value = _creation_value(body)
        if body.await_completion:
            timeout = body.request_timeout or settings.await_completion_default_ms
            command = Command(
                ValueType.PROCESS_INSTANCE_CREATION,
                "CREATE_WITH_AWAITING_RESULT",
                value,
                tenant_id=tenant,
                timeout_ms=timeout,
            )
        else:
            command = Command(
                ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value, tenant_id=tenant
            )
        answer = await port.execute(command)
        created = answer.value
        return {
            "processDefinitionId": created["bpmnProcessId"],
            "processDefinitionVersion": created["version"],
            "tenantId": created.get("tenantId", tenant),
            "variables": dict(created.get("variables") or {}),
            "processDefinitionKey": str(created["processDefinitionKey"]),
            "processInstanceKey": str(created["processInstanceKey"]),
            "tags": list(body.tags or ()),
            "businessId": body.business_id,
        }

    @router.get(
        "/process-instances/{processInstanceKey}",
        response_model=r.ProcessInstanceResult,
        tags=["Process instance"],
    )
    async def get_process_instance(
        process_instance_key: Annotated[str, Path(alias="processInstanceKey")],
    ) -> dict[str, Any]:
        """One process instance of the read model."""
        key = path_key(process_instance_key, "processInstanceKey")
        row = await find_one(port, SEARCHES["process_instances"], key)
        if row is None:
            raise RestProblem.not_found(f"process instance with key '{key}' not found")
        return shape_row("process_instances", row)

    @router.post(
        "/process-instances/{processInstanceKey}/cancellation",
        status_code=204,
        responses=_NO_CONTENT,
        tags=["Process instance"],
    )
    async def cancel_process_instance(
        process_instance_key: Annotated[str, Path(alias="processInstanceKey")],
        body: Annotated[OperationReference | None, Body()] = None,
    ) -> Response:
        """Cancel a running process instance."""
        key = path_key(process_instance_key, "processInstanceKey")
        await port.execute(Command(ValueType.PROCESS_INSTANCE, "CANCEL", {}, key=key))
        return Response(status_code=204)

    @router.get(
        "/process-definitions/{processDefinitionKey}",
        response_model=r.ProcessDefinitionResult,
        tags=["Process definition"],
    )
    async def get_process_definition(
        process_definition_key: Annotated[str, Path(alias="processDefinitionKey")],
    ) -> dict[str, Any]:
        """One deployed process definition."""
        key = path_key(process_definition_key, "processDefinitionKey")
        row = await find_one(port, SEARCHES["process_definitions"], key)
        if row is None:
            raise RestProblem.not_found(f"process definition with key '{key}' not found")
        return shape_row("process_definitions", row)

    @router.get(
        "/process-definitions/{processDefinitionKey}/xml",
        response_class=Response,
        responses={200: {"content": {"text/xml": {"schema": {"type": "string"}}}}},
        tags=["Process definition"],
    )
    async def get_process_definition_xml(
        process_definition_key: Annotated[str, Path(alias="processDefinitionKey")],
    ) -> Response:
        """The BPMN XML a process definition was deployed from."""
        key = path_key(process_definition_key, "processDefinitionKey")
        xml = await port.query(PROCESS_DEFINITION_XML, key=key)
        if xml is None:
            raise RestProblem.not_found(f"process definition with key '{key}' not found")
        return Response(content=xml, media_type="text/xml")

    return router
