"""Jobs: activation (long poll), completion, failure, error, update."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from cadenza.api._port import Command, JobActivation
from cadenza.api.rest import _responses as r
from cadenza.api.rest._context import RestContext, path_key
from cadenza.api.rest._problems import RestProblem
from cadenza.api.rest._requests import (
    JobActivationRequest,
    JobCompletionRequest,
    JobErrorRequest,
    JobFailRequest,
    JobUpdateRequest,
)
from cadenza.api.rest._shapes import shape_activated_job
from cadenza.api.rest._wire import StrictJsonRoute
from cadenza.kernel._records import ValueType

_NO_CONTENT: dict[int | str, dict[str, Any]] = {204: {"description": "Done"}}
# A long poll re-checks for a gone client or a stopping server at least this often.
_POLL_SLICE_S = 1.0

JobKeyPath = Annotated[str, Path(alias="jobKey")]


async def _wait_for_jobs_or_stop(ctx: RestContext, job_type: str, timeout_s: float) -> None:
    """Wait for a job of ``job_type`` to appear, the timeout, or the server to stop."""
    waits = {
        asyncio.ensure_future(ctx.port.wait_for_jobs(job_type, timeout_s)),
        asyncio.ensure_future(ctx.stopping.wait()),
    }
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()
        await asyncio.gather(*waits, return_exceptions=True)


def job_routes(ctx: RestContext) -> APIRouter:
    """The job endpoints."""
    router = APIRouter(tags=["Job"], route_class=StrictJsonRoute)
    port, settings = ctx.port, ctx.settings

    async def activate(request: Request, body: JobActivationRequest) -> list[dict[str, Any]]:
        activation = JobActivation(
            type=body.type,
            worker=body.worker or "default",
            timeout_ms=body.timeout,
            max_jobs=body.max_jobs_to_activate,
            fetch_variables=tuple(body.fetch_variable or ()),
            tenant_ids=tuple(body.tenant_ids or ()),
        )
        wait_ms = body.request_timeout or settings.long_poll_default_ms
        if body.request_timeout is not None and body.request_timeout < 0:
            wait_ms = 0  # Zeebe: a negative request timeout turns long polling off
        wait_ms = min(wait_ms, settings.long_poll_max_ms)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_ms / 1000
        while True:
            jobs = await port.activate_jobs(activation)
            remaining = deadline - loop.time()
            if jobs or remaining <= 0 or ctx.stopping.is_set():
                return jobs
            if await request.is_disconnected():
                return []
            await _wait_for_jobs_or_stop(ctx, body.type, min(remaining, _POLL_SLICE_S))

    @router.post("/jobs/activation", response_model=r.JobActivationResult)
    async def activate_jobs(request: Request, body: JobActivationRequest) -> dict[str, Any]:
        """Activate jobs of a type; waits up to ``requestTimeout`` ms for one to appear."""
        jobs = await activate(request, body)
        return {"jobs": [shape_activated_job(job) for job in jobs]}

    @router.post("/jobs/{jobKey}/completion", status_code=204, responses=_NO_CONTENT)
    async def complete_job(
        job_key: JobKeyPath,
        body: Annotated[JobCompletionRequest | None, Body()] = None,
    ) -> Response:
        """Complete a job, merging its variables into the process instance."""
        key = path_key(job_key, "jobKey")
        body = body or JobCompletionRequest()
        value: dict[str, Any] = {"variables": body.variables or {}}
        if body.result is not None:
            value["result"] = body.result.model_dump(by_alias=True, exclude_none=True)
        await port.execute(Command(ValueType.JOB, "COMPLETE", value, key=key))
        return Response(status_code=204)

    @router.post("/jobs/{jobKey}/failure", status_code=204, responses=_NO_CONTENT)
    async def fail_job(
        job_key: JobKeyPath,
        body: Annotated[JobFailRequest | None, Body()] = None,
    ) -> Response:
        """Fail a job; with retries left it is activatable again after ``retryBackOff`` ms."""
        key = path_key(job_key, "jobKey")
        body = body or JobFailRequest()
        value = {
            "retries": body.retries,
            "errorMessage": body.error_message or "",
            "retryBackoff": body.retry_back_off,
            "variables": body.variables or {},
        }
        await port.execute(Command(ValueType.JOB, "FAIL", value, key=key))
        return Response(status_code=204)

    @router.post("/jobs/{jobKey}/error", status_code=204, responses=_NO_CONTENT)
    async def throw_job_error(job_key: JobKeyPath, body: JobErrorRequest) -> Response:
        """Throw a BPMN error from a job, to be caught by an error event."""
        key = path_key(job_key, "jobKey")
        value = {
            "errorCode": body.error_code,
            "errorMessage": body.error_message or "",
            "variables": body.variables or {},
        }
        await port.execute(Command(ValueType.JOB, "THROW_ERROR", value, key=key))
        return Response(status_code=204)

    @router.patch("/jobs/{jobKey}", status_code=204, responses=_NO_CONTENT)
    async def update_job(job_key: JobKeyPath, body: JobUpdateRequest) -> Response:
        """Change a job's retries and/or timeout (``changeset``)."""
        key = path_key(job_key, "jobKey")
        changes = body.changeset
        if changes.priority is not None:
            raise RestProblem.invalid("'changeset.priority' is not supported")
        if changes.retries is None and changes.timeout is None:
            raise RestProblem.invalid("'changeset' must set 'retries' or 'timeout'")
        if changes.retries is not None:
            await port.execute(
                Command(ValueType.JOB, "UPDATE_RETRIES", {"retries": changes.retries}, key=key)
            )
        if changes.timeout is not None:
            await port.execute(
                Command(ValueType.JOB, "UPDATE_TIMEOUT", {"timeout": changes.timeout}, key=key)
            )
        return Response(status_code=204)

    return router
