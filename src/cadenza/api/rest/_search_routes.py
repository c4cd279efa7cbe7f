"""The search endpoints (``POST /v2/<entity>/search``), one generic route per entity."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from cadenza.api.rest import _responses as r
from cadenza.api.rest._context import RestContext
from cadenza.api.rest._queries import SEARCHES, parse_search, run_search
from cadenza.api.rest._requests import SearchQuery
from cadenza.api.rest._shapes import shape_page
from cadenza.api.rest._wire import StrictJsonRoute

# (URL segment, query name, item model, tag)
_ENDPOINTS: tuple[tuple[str, str, type[r.WireModel], str], ...] = (
    ("process-definitions", "process_definitions", r.ProcessDefinitionResult, "Process definition"),
    ("process-instances", "process_instances", r.ProcessInstanceResult, "Process instance"),
    ("element-instances", "element_instances", r.ElementInstanceResult, "Element instance"),
    ("variables", "variables", r.VariableResult, "Variable"),
    ("incidents", "incidents", r.IncidentResult, "Incident"),
    ("jobs", "jobs", r.JobResult, "Job"),
    ("user-tasks", "user_tasks", r.UserTaskResult, "User task"),
    ("decision-definitions", "decision_definitions", r.DecisionDefinitionResult, "Decision definition"),
)  # fmt: skip


def _add_search(
    router: APIRouter,
    ctx: RestContext,
    segment: str,
    entity: str,
    item: type[r.WireModel],
    tag: str,
) -> None:
    spec = SEARCHES[entity]

    async def search(
        query: Annotated[SearchQuery | None, Body()] = None,
    ) -> dict[str, Any]:
        raw = query.model_dump(exclude_none=True) if query is not None else {}
        request = parse_search(spec, raw)
        rows, total = await run_search(ctx.port, spec, request)
        return shape_page(entity, rows, total, request.offset)

    router.add_api_route(
        f"/{segment}/search",
        search,
        methods=["POST"],
        response_model=r.SearchResult[item],  # type: ignore[valid-type]
        summary=f"Search {segment.replace('-', ' ')}",
        operation_id=f"search_{entity}",
        tags=[tag],
    )


def search_routes(ctx: RestContext) -> APIRouter:
    """All search endpoints."""
    router = APIRouter(route_class=StrictJsonRoute)
    for segment, entity, item, tag in _ENDPOINTS:
        _add_search(router, ctx, segment, entity, item, tag)
    return router
