"""The Gateway service: every RPC of the protocol, mapped onto the engine port."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, NoReturn

import grpc
from google.protobuf.message import Message

from cadenza.api._port import (
    Answer,
    AnswerTimeout,
    Backpressure,
    Command,
    CommandRejected,
    EnginePort,
)
from cadenza.api.grpc import _commands as commands
from cadenza.api.grpc import _jobs as jobs
from cadenza.api.grpc import _responses as responses
from cadenza.api.grpc._errors import GatewayError, backpressure, not_supported, rejected
from cadenza.api.grpc._proto import gateway_pb2 as pb

logger = logging.getLogger(__name__)

SERVICE_NAME = "gateway_protocol.Gateway"
"""The full name of the service, as clients and the health service name it."""

UNSUPPORTED_RPCS = frozenset(
    {"ModifyProcessInstance", "MigrateProcessInstance", "EvaluateConditional"}
)
"""RPCs of the protocol that answer UNIMPLEMENTED for now."""


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    """Tunables of the gateway; the defaults suit clients written for Zeebe."""

    max_message_size: int = 64 * 1024 * 1024
    """Largest request or response in bytes (Zeebe's default is 4 MiB)."""
    long_poll_timeout_ms: int = 10_000
    """How long ActivateJobs waits for jobs when the request's requestTimeout is 0.

    Below pyzeebe's 20 s deadline for such requests."""
    result_timeout_ms: int = 15_000
    """How long CreateProcessInstanceWithResult waits when the request's requestTimeout is 0."""


ToCommand = Callable[[Any], Command]
ToResponse = Callable[[Answer, Command], Message]


def _empty(response_type: type[Message]) -> ToResponse:
    def answer(_answer: Answer, _command: Command) -> Message:
        return response_type()

    return answer


def _unary_routes(config: GatewayConfig) -> dict[str, tuple[ToCommand, ToResponse]]:
    with_result = functools.partial(
        commands.create_process_instance_with_result, default_timeout_ms=config.result_timeout_ms
    )
    return {
        "DeployResource": (commands.deploy_resource, responses.deploy_resource),
        "DeployProcess": (commands.deploy_process, responses.deploy_process),
        "CreateProcessInstance": (
            commands.create_process_instance,
            responses.create_process_instance,
        ),
        "CreateProcessInstanceWithResult": (
            with_result,
            responses.create_process_instance_with_result,
        ),
        "CancelProcessInstance": (
            commands.cancel_process_instance,
            _empty(pb.CancelProcessInstanceResponse),
        ),
        "CompleteJob": (commands.complete_job, _empty(pb.CompleteJobResponse)),
        "FailJob": (commands.fail_job, _empty(pb.FailJobResponse)),
        "ThrowError": (commands.throw_error, _empty(pb.ThrowErrorResponse)),
        "UpdateJobRetries": (commands.update_job_retries, _empty(pb.UpdateJobRetriesResponse)),
        "UpdateJobTimeout": (commands.update_job_timeout, _empty(pb.UpdateJobTimeoutResponse)),
        "PublishMessage": (commands.publish_message, responses.publish_message),
        "BroadcastSignal": (commands.broadcast_signal, responses.broadcast_signal),
        "SetVariables": (commands.set_variables, responses.set_variables),
        "ResolveIncident": (commands.resolve_incident, _empty(pb.ResolveIncidentResponse)),
        "EvaluateDecision": (commands.evaluate_decision, responses.evaluate_decision),
        "DeleteResource": (commands.delete_resource, _empty(pb.DeleteResourceResponse)),
    }


async def _abort(context: grpc.aio.ServicerContext[Any, Any], error: GatewayError) -> NoReturn:
    await context.abort(error.code, error.message)
    raise AssertionError("unreachable: abort raises")  # pragma: no cover


def _unexpected(error: Exception) -> GatewayError:
    logger.exception("gRPC request failed unexpectedly", exc_info=error)
    return GatewayError(
        grpc.StatusCode.INTERNAL,
        f"Unexpected error occurred during the request processing: {error}",
    )


class GatewayServicer:
    """Serves ``gateway_protocol.Gateway`` on top of an ``EnginePort``."""

    def __init__(self, port: EnginePort, config: GatewayConfig | None = None) -> None:
        self._port = port
        self._config = config or GatewayConfig()
        self._routes = _unary_routes(self._config)

    @property
    def config(self) -> GatewayConfig:
        """The configuration this service runs with."""
        return self._config

    def rpc_handler(self) -> grpc.GenericRpcHandler:
        """The handler for every RPC of the service, built from the protocol's descriptor."""
        service = pb.DESCRIPTOR.services_by_name["Gateway"]
        handlers: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}
        for method in service.methods:
            request_type: type[Message] = getattr(pb, method.input_type.name)
            response_type: type[Message] = getattr(pb, method.output_type.name)
            if method.server_streaming:
                handlers[method.name] = grpc.unary_stream_rpc_method_handler(
                    self._streaming(method.name),
                    request_deserializer=request_type.FromString,
                    response_serializer=response_type.SerializeToString,
                )
            else:
                handlers[method.name] = grpc.unary_unary_rpc_method_handler(
                    self._unary(method.name),
                    request_deserializer=request_type.FromString,
                    response_serializer=response_type.SerializeToString,
                )
        return grpc.method_handlers_generic_handler(service.full_name, handlers)

    def _unary(self, name: str) -> Callable[..., Awaitable[Message]]:
        if name == "Topology":
            return self.topology
        if name in UNSUPPORTED_RPCS:
            return functools.partial(self.unsupported, name)
        to_command, to_response = self._routes[name]
        return functools.partial(self.execute, to_command, to_response)

    def _streaming(self, name: str) -> Callable[..., AsyncIterator[Message]]:
        if name == "ActivateJobs":
            return self.activate_jobs
        if name == "StreamActivatedJobs":
            return self.stream_activated_jobs
        raise LookupError(f"no handler for the streaming RPC {name}")

    async def execute(
        self,
        to_command: ToCommand,
        to_response: ToResponse,
        request: Message,
        context: grpc.aio.ServicerContext[Any, Any],
    ) -> Message:
        """Map the request to a command, run it, and map the answer back (or abort)."""
        command: Command | None = None
        try:
            command = to_command(request)
            answer = await self._port.execute(command)
            return to_response(answer, command)
        except GatewayError as error:
            failure = error
        except CommandRejected as rejection:
            assert command is not None  # only execute() rejects
            failure = rejected(command, rejection)
        except Backpressure:
            failure = backpressure()
        except AnswerTimeout:
            assert command is not None
            failure = GatewayError(
                grpc.StatusCode.DEADLINE_EXCEEDED,
                f"Expected the result of command '{command.intent}' within "
                f"{command.timeout_ms} ms, but it did not come in time",
            )
        except Exception as error:
            failure = _unexpected(error)
        await _abort(context, failure)

    async def topology(
        self, request: pb.TopologyRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> pb.TopologyResponse:
        """This node's view of the cluster."""
        try:
            return responses.topology(await self._port.topology())
        except Exception as error:
            await _abort(context, _unexpected(error))

    async def unsupported(
        self, name: str, request: Message, context: grpc.aio.ServicerContext[Any, Any]
    ) -> Message:
        """UNIMPLEMENTED, saying which RPC is not supported yet."""
        await _abort(context, not_supported(name))

    async def activate_jobs(
        self, request: pb.ActivateJobsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[pb.ActivateJobsResponse]:
        """Long-poll for jobs; the call always ends before the client's deadline.

        A poll never ends with UNAVAILABLE or INTERNAL (pyzeebe stops polling after ten of
        those): an unexpected engine failure ends it without jobs and is logged.
        """
        try:
            wanted = jobs.activation(request)
        except GatewayError as error:
            await _abort(context, error)
        budget = jobs.poll_budget_s(
            request.requestTimeout, self._config.long_poll_timeout_ms, context.time_remaining()
        )
        try:
            found = await jobs.long_poll(self._port, wanted, budget)
        except GatewayError as error:
            await _abort(context, error)
        except Exception:
            logger.exception("activating jobs of type %r failed", wanted.type)
            found = []
        activated = [jobs.activated_job(job) for job in found]
        for response in jobs.batches(activated, self._config.max_message_size // 2) or [
            pb.ActivateJobsResponse()
        ]:
            yield response

    async def stream_activated_jobs(
        self, request: pb.StreamActivatedJobsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[pb.ActivatedJob]:
        """Push jobs as the engine creates them, until the client goes away.

        If the engine's stream fails, the call ends with UNAVAILABLE (RESOURCE_EXHAUSTED under
        backpressure), which clients answer by opening a new stream after a pause.
        """
        try:
            wanted = jobs.activation(request)
        except GatewayError as error:
            await _abort(context, error)
        try:
            async for job in jobs.stream(self._port, wanted):
                yield job
        except Backpressure:
            failure = backpressure()
        except Exception as error:
            logger.exception("the job stream of type %r failed", wanted.type)
            failure = GatewayError(
                grpc.StatusCode.UNAVAILABLE,
                f"The job stream of type '{wanted.type}' ended unexpectedly: {error}",
            )
        await _abort(context, failure)
