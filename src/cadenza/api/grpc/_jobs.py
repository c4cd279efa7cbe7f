"""Job activation over gRPC: long-polled ActivateJobs and pushed StreamActivatedJobs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

import grpc

from cadenza.api._port import Backpressure, EnginePort, JobActivation
from cadenza.api.grpc._errors import GatewayError, invalid_argument
from cadenza.api.grpc._proto import gateway_pb2 as pb
from cadenza.api.grpc._variables import dump_json

logger = logging.getLogger(__name__)

# A long poll ends this long before the client's deadline so that the client gets an (empty)
# answer rather than DEADLINE_EXCEEDED, which pyzeebe counts as a failed connection.
DEADLINE_MARGIN_S = 0.5

_JOB_KINDS = frozenset(pb.ActivatedJob.JobKind.keys())
_LISTENER_EVENTS = frozenset(pb.ActivatedJob.ListenerEventType.keys())


def activation(request: pb.ActivateJobsRequest | pb.StreamActivatedJobsRequest) -> JobActivation:
    """The activation a worker asks for; INVALID_ARGUMENT for a blank type or a bad timeout."""
    if not request.type.strip():
        raise invalid_argument("Expected to activate jobs of a type, but 'type' was blank")
    if request.timeout < 1:
        raise invalid_argument(
            f"Expected a job 'timeout' of at least 1 ms, but it was {request.timeout}"
        )
    max_jobs = 0
    if isinstance(request, pb.ActivateJobsRequest):
        if request.maxJobsToActivate < 1:
            raise invalid_argument(
                "Expected to activate at least 1 job ('maxJobsToActivate'), "
                f"but it was {request.maxJobsToActivate}"
            )
        max_jobs = request.maxJobsToActivate
    return JobActivation(
        type=request.type,
        worker=request.worker,
        timeout_ms=request.timeout,
        max_jobs=max_jobs,
        fetch_variables=tuple(request.fetchVariable),
        tenant_ids=tuple(request.tenantIds),
    )


def _json_document(value: Any) -> str:
    if isinstance(value, str):
        return value or "{}"
    return dump_json(value if value is not None else {})


def activated_job(job: Mapping[str, Any]) -> pb.ActivatedJob:
    """An activated job of the engine (Zeebe's shape) as the protocol's message."""
    kind = job.get("jobKind", job.get("kind"))
    event = job.get("jobListenerEventType", job.get("listenerEventType"))
    return pb.ActivatedJob(
        key=job.get("key", 0),
        type=job.get("type", ""),
        processInstanceKey=job.get("processInstanceKey", 0),
        bpmnProcessId=job.get("bpmnProcessId", ""),
        processDefinitionVersion=job.get("processDefinitionVersion", 0),
        processDefinitionKey=job.get("processDefinitionKey", 0),
        elementId=job.get("elementId", ""),
        elementInstanceKey=job.get("elementInstanceKey", 0),
        customHeaders=_json_document(job.get("customHeaders")),
        worker=job.get("worker", ""),
        retries=job.get("retries", 0),
        deadline=job.get("deadline", 0),
        variables=_json_document(job.get("variables")),
        tenantId=job.get("tenantId") or "<default>",
        tags=list(job.get("tags", ())),
        kind=kind if kind in _JOB_KINDS else "BPMN_ELEMENT",
        listenerEventType=(event if event in _LISTENER_EVENTS else "UNSPECIFIED"),
    )


def batches(jobs: Iterable[pb.ActivatedJob], max_bytes: int) -> list[pb.ActivateJobsResponse]:
    """Split activated jobs into responses that each stay under the message size limit."""
    responses: list[pb.ActivateJobsResponse] = []
    current: list[pb.ActivatedJob] = []
    size = 0
    # Each repeated entry costs its size plus a tag and a length prefix (at most 11 bytes).
    for job in jobs:
        job_size = job.ByteSize() + 11
        if current and size + job_size > max_bytes:
            responses.append(pb.ActivateJobsResponse(jobs=current))
            current, size = [], 0
        current.append(job)
        size += job_size
    if current:
        responses.append(pb.ActivateJobsResponse(jobs=current))
    return responses


def poll_budget_s(
    request_timeout_ms: int, default_timeout_ms: int, time_remaining_s: float | None
) -> float:
    """How long a long poll may wait for jobs.

    ``requestTimeout`` of the request (0 means the server's default, negative means no wait),
    always ending before the client's deadline.
    """
    if request_timeout_ms < 0:
        return 0.0
    budget = (request_timeout_ms or default_timeout_ms) / 1000
    if time_remaining_s is not None:
        budget = min(budget, time_remaining_s - DEADLINE_MARGIN_S)
    return max(budget, 0.0)


async def long_poll(
    port: EnginePort, request: JobActivation, budget_s: float
) -> list[dict[str, Any]]:
    """Activate jobs now, or wait for some until the budget is spent.

    Returns the jobs (possibly none). Raises ``GatewayError`` RESOURCE_EXHAUSTED only when no
    job came and the engine refused under backpressure, as Zeebe does.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget_s
    exhausted = False
    while True:
        try:
            jobs = await port.activate_jobs(request)
        except Backpressure:
            exhausted, jobs = True, []
        if jobs:
            return jobs
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        await port.wait_for_jobs(request.type, remaining)
    if exhausted:
        raise GatewayError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"Expected to activate jobs of type '{request.type}', but no jobs available and "
            "the engine is at its limit of requests in flight. Please try again later.",
        )
    return []


async def stream(port: EnginePort, request: JobActivation) -> AsyncIterator[pb.ActivatedJob]:
    """Push the engine's jobs of the requested type until the client leaves."""
    jobs = port.stream_jobs(request)
    try:
        async for job in jobs:
            yield activated_job(job)
    finally:
        close = getattr(jobs, "aclose", None)
        if close is not None:
            await close()
