"""Job activation and job commands through the gateway, against the fake engine."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import grpc
import pytest
from grpc_fake_engine import FakeEngine
from grpc_harness import activate, deploy, pb, rpc_error, run, serving, start

from cadenza.api._port import Backpressure
from cadenza.api.grpc import GatewayConfig
from cadenza.kernel._records import ValueType

Code = grpc.StatusCode


def test_activate_jobs_answers_ready_jobs_with_json_documents() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            await deploy(stub)
            instance_key = await start(stub)
            [job] = await activate(stub)
            assert job.type == "ship"
            assert job.processInstanceKey == instance_key
            assert job.bpmnProcessId == "order"
            assert job.worker == "w1"
            assert job.retries == 3
            assert json.loads(job.variables) == {"amount": 12}
            assert json.loads(job.customHeaders) == {"region": "eu", "via": "poll"}
            assert job.kind == pb.ActivatedJob.BPMN_ELEMENT
            assert job.tenantId == "<default>"

    run(scenario)


def test_activate_jobs_long_polls_until_a_job_is_created() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            await deploy(stub)
            poll = asyncio.create_task(activate(stub, request_timeout=5_000))
            await asyncio.sleep(0.2)
            assert not poll.done()  # waiting, not answering empty at once
            await start(stub)
            jobs = await poll
            assert [job.type for job in jobs] == ["ship"]

    run(scenario)


def test_activate_jobs_without_jobs_ends_empty_after_the_request_timeout() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            request = pb.ActivateJobsRequest(
                type="ship", worker="w", timeout=1000, maxJobsToActivate=1, requestTimeout=200
            )
            responses = [r async for r in stub.ActivateJobs(request)]
            assert [len(r.jobs) for r in responses] == [0]

    run(scenario)
    assert engine.activations >= 2  # tried, waited, tried again


def test_activate_jobs_ends_before_the_client_deadline_not_with_deadline_exceeded() -> None:
    config = GatewayConfig(long_poll_timeout_ms=60_000)

    async def scenario() -> None:
        async with serving(FakeEngine(), config) as (stub, _server, _channel):
            request = pb.ActivateJobsRequest(
                type="ship", worker="w", timeout=1000, maxJobsToActivate=1, requestTimeout=0
            )
            responses = [r async for r in stub.ActivateJobs(request, timeout=1.5)]
            assert all(not r.jobs for r in responses)

    run(scenario)


def test_activate_jobs_never_answers_internal_when_the_engine_fails() -> None:
    engine = FakeEngine(activation_failure=RuntimeError("disk on fire"))

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            assert await activate(stub, request_timeout=100) == []

    run(scenario)


def test_activate_jobs_under_backpressure_is_resource_exhausted() -> None:
    engine = FakeEngine(activation_failure=Backpressure())

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            error = await rpc_error(activate(stub, request_timeout=100))
            assert error.code() is Code.RESOURCE_EXHAUSTED
            assert "Expected to activate jobs of type 'ship'" in (error.details() or "")

    run(scenario)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": " "}, "'type' was blank"),
        ({"maxJobsToActivate": 0}, "'maxJobsToActivate'"),
        ({"timeout": 0}, "'timeout'"),
    ],
)
def test_activate_jobs_validates_the_request(changes: dict[str, Any], field: str) -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            fields = {"type": "ship", "worker": "w", "timeout": 10, "maxJobsToActivate": 1}
            request = pb.ActivateJobsRequest(**{**fields, **changes})
            error = await rpc_error(_collect(stub.ActivateJobs(request)))
            assert error.code() is Code.INVALID_ARGUMENT
            assert field in (error.details() or "")

    run(scenario)


async def _collect(call: Any) -> list[Any]:
    return [item async for item in call]


def test_stream_activated_jobs_pushes_a_job_created_after_the_stream_opened() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            await deploy(stub)
            call = stub.StreamActivatedJobs(
                pb.StreamActivatedJobsRequest(type="ship", worker="s", timeout=1000)
            )
            reader = asyncio.create_task(anext(aiter(call)))
            await asyncio.sleep(0.2)  # let the stream register with the engine
            instance_key = await start(stub)
            job = await reader
            assert job.processInstanceKey == instance_key
            assert json.loads(job.customHeaders)["via"] == "stream"
            assert job.worker == "s"
            assert job.type == "ship"
            call.cancel()

    run(scenario)


def test_stream_activated_jobs_validates_the_request() -> None:
    async def scenario() -> None:
        async with serving(FakeEngine()) as (stub, _server, _channel):
            call = stub.StreamActivatedJobs(pb.StreamActivatedJobsRequest(type="", timeout=10))
            error = await rpc_error(_collect(call))
            assert error.code() is Code.INVALID_ARGUMENT

    run(scenario)


def test_job_commands_carry_their_values_and_states_map_to_status_codes() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            await deploy(stub)
            await start(stub)
            [job] = await activate(stub)
            await stub.UpdateJobTimeout(pb.UpdateJobTimeoutRequest(jobKey=job.key, timeout=5000))
            await stub.FailJob(
                pb.FailJobRequest(
                    jobKey=job.key,
                    retries=0,
                    errorMessage="boom",
                    retryBackOff=250,
                    variables='{"tries": 1}',
                )
            )
            # a failed job is not activated: completing it is refused by its state
            error = await rpc_error(
                stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key, variables="{}"))
            )
            assert error.code() is Code.FAILED_PRECONDITION
            await stub.UpdateJobRetries(pb.UpdateJobRetriesRequest(jobKey=job.key, retries=2))
            [incident_key] = engine.incidents
            await stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident_key))
            [again] = await activate(stub)
            assert again.key == job.key
            assert again.retries == 2
            await stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key, variables='{"ok": true}'))
            gone = await rpc_error(stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
            assert gone.code() is Code.NOT_FOUND
            assert (gone.details() or "").startswith(
                "Command 'COMPLETE' rejected with code 'NOT_FOUND'"
            )

    run(scenario)
    by_intent = {
        (c.intent, c.key): c.value for c in engine.commands if c.value_type is ValueType.JOB
    }
    job_key = next(key for intent, key in by_intent if intent == "FAIL")
    assert by_intent[("UPDATE_TIMEOUT", job_key)] == {"timeout": 5000}
    assert by_intent[("FAIL", job_key)] == {
        "retries": 0,
        "errorMessage": "boom",
        "retryBackoff": 250,
        "variables": {"tries": 1},
    }
    assert by_intent[("UPDATE_RETRIES", job_key)] == {"retries": 2}
    assert by_intent[("COMPLETE", job_key)] == {"variables": {}}  # the last one, empty text
    incident = next(c for c in engine.commands if c.value_type is ValueType.INCIDENT)
    assert (incident.intent, incident.value) == ("RESOLVE", {})


def test_throw_error_sends_the_code_and_variables() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            await deploy(stub)
            instance_key = await start(stub)
            [job] = await activate(stub)
            await stub.ThrowError(
                pb.ThrowErrorRequest(
                    jobKey=job.key,
                    errorCode="OUT_OF_STOCK",
                    errorMessage="none",
                    variables='{"n": 0}',
                )
            )
            assert engine.instances[instance_key]["thrown"] == "OUT_OF_STOCK"

    run(scenario)
    command = engine.commands[-1]
    assert (command.intent, command.value) == (
        "THROW_ERROR",
        {"errorCode": "OUT_OF_STOCK", "errorMessage": "none", "variables": {"n": 0}},
    )


def test_complete_job_passes_a_listener_result() -> None:
    engine = FakeEngine()

    async def scenario() -> None:
        async with serving(engine) as (stub, _server, _channel):
            await deploy(stub)
            await start(stub)
            [job] = await activate(stub)
            result = pb.JobResult(
                denied=True,
                deniedReason="no",
                corrections=pb.JobResultCorrections(
                    assignee="ann", candidateUsers=pb.StringList(values=["bob"])
                ),
            )
            await stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key, result=result))

    run(scenario)
    assert engine.commands[-1].value["result"] == {
        "type": "userTask",
        "denied": True,
        "deniedReason": "no",
        "corrections": {"assignee": "ann", "candidateUsers": ["bob"]},
        "correctedAttributes": ["assignee", "candidateUsers"],
    }


class _BrokenStreams(FakeEngine):
    async def stream_jobs(self, request: Any) -> Any:
        raise RuntimeError("stream store gone")
        yield  # an async generator that fails at once


def test_a_failing_job_stream_ends_unavailable_so_clients_reopen_it() -> None:
    async def scenario() -> None:
        async with serving(_BrokenStreams()) as (stub, _server, _channel):
            call = stub.StreamActivatedJobs(
                pb.StreamActivatedJobsRequest(type="ship", worker="s", timeout=1000)
            )
            error = await rpc_error(_collect(call))
            assert error.code() is Code.UNAVAILABLE
            assert error.details() == (
                "The job stream of type 'ship' ended unexpectedly: stream store gone"
            )

    run(scenario)
