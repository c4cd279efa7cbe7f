"""User tasks: read, assign, unassign, complete, form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response

from cadenza.api._port import Command
from cadenza.api.rest import _responses as r
from cadenza.api.rest._context import RestContext, path_key
from cadenza.api.rest._problems import RestProblem
from cadenza.api.rest._queries import SEARCHES, USER_TASK_FORM, find_one
from cadenza.api.rest._requests import UserTaskAssignmentRequest, UserTaskCompletionRequest
from cadenza.api.rest._shapes import DEFAULT_TENANT, shape_row
from cadenza.api.rest._wire import StrictJsonRoute
from cadenza.kernel._records import ValueType

_NO_CONTENT: dict[int | str, dict[str, Any]] = {204: {"description": "Done"}}

UserTaskKeyPath = Annotated[str, Path(alias="userTaskKey")]


def user_task_routes(ctx: RestContext) -> APIRouter:
    """The user task endpoints (search is with the other searches)."""
    router = APIRouter(tags=["User task"], route_class=StrictJsonRoute)
    port = ctx.port

    async def existing(user_task_key: str) -> tuple[int, dict[str, Any]]:
        key = path_key(user_task_key, "userTaskKey")
        row = await find_one(port, SEARCHES["user_tasks"], key)
        if row is None:
            raise RestProblem.not_found(f"user task with key '{key}' not found")
        return key, dict(row)

    @router.get("/user-tasks/{userTaskKey}", response_model=r.UserTaskResult)
    async def get_user_task(user_task_key: UserTaskKeyPath) -> dict[str, Any]:
        """One user task of the read model."""
        _, row = await existing(user_task_key)
        return shape_row("user_tasks", row)

    @router.post("/user-tasks/{userTaskKey}/assignment", status_code=204, responses=_NO_CONTENT)
    async def assign_user_task(
        user_task_key: UserTaskKeyPath, body: UserTaskAssignmentRequest
    ) -> Response:
        """Assign a user task; with ``allowOverride: false`` only when it has no assignee."""
        key = path_key(user_task_key, "userTaskKey")
        if body.assignee is None:
            raise RestProblem.invalid("'assignee' is required")
        value = {"assignee": body.assignee, "action": body.action or "assign"}
        intent = "CLAIM" if body.allow_override is False else "ASSIGN"
        if intent == "CLAIM":
            value["action"] = body.action or "claim"
        await port.execute(Command(ValueType.USER_TASK, intent, value, key=key))
        return Response(status_code=204)

    @router.delete("/user-tasks/{userTaskKey}/assignee", status_code=204, responses=_NO_CONTENT)
    async def unassign_user_task(user_task_key: UserTaskKeyPath) -> Response:
        """Remove the assignee of a user task."""
        key = path_key(user_task_key, "userTaskKey")
        value = {"assignee": "", "action": "unassign"}
        await port.execute(Command(ValueType.USER_TASK, "ASSIGN", value, key=key))
        return Response(status_code=204)

    @router.post("/user-tasks/{userTaskKey}/completion", status_code=204, responses=_NO_CONTENT)
    async def complete_user_task(
        user_task_key: UserTaskKeyPath,
        body: Annotated[UserTaskCompletionRequest | None, Body()] = None,
    ) -> Response:
        """Complete a user task with variables."""
        key = path_key(user_task_key, "userTaskKey")
        body = body or UserTaskCompletionRequest()
        value = {"variables": body.variables or {}, "action": body.action or "complete"}
        await port.execute(Command(ValueType.USER_TASK, "COMPLETE", value, key=key))
        return Response(status_code=204)

    @router.get(
        "/user-tasks/{userTaskKey}/form",
        response_model=r.FormResult,
        responses={204: {"description": "The user task has no linked form"}},
    )
    async def get_user_task_form(user_task_key: UserTaskKeyPath) -> Any:
        """The form linked to a user task (204 when it has none)."""
        key, _ = await existing(user_task_key)
        form = await port.query(USER_TASK_FORM, key=key)
        if form is None:
            return Response(status_code=204)
        return {
            "tenantId": form.get("tenantId", DEFAULT_TENANT),
            "formId": form["formId"],
            "schema": form["schema"],
            "version": form.get("version", 1),
            "formKey": str(form["formKey"]),
        }

    return router
