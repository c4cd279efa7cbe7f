"""How refusals reach a gRPC client: Zeebe's status codes and Zeebe-like messages."""

from __future__ import annotations

import grpc

from cadenza.api._port import Command, CommandRejected
from cadenza.kernel._records import RejectionType


class GatewayError(Exception):
    """A request the gateway answers with an error status instead of a response."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code.name}: {message}")


# Zeebe's gateway maps rejections the same way (rejections never mean the server is broken,
# except a processing error, which is the engine's fault).
_REJECTION_STATUS: dict[RejectionType, grpc.StatusCode] = {
    RejectionType.INVALID_ARGUMENT: grpc.StatusCode.INVALID_ARGUMENT,
    RejectionType.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
    RejectionType.ALREADY_EXISTS: grpc.StatusCode.ALREADY_EXISTS,
    RejectionType.INVALID_STATE: grpc.StatusCode.FAILED_PRECONDITION,
    RejectionType.PROCESSING_ERROR: grpc.StatusCode.INTERNAL,
    RejectionType.UNAUTHORIZED: grpc.StatusCode.PERMISSION_DENIED,
    RejectionType.FORBIDDEN: grpc.StatusCode.PERMISSION_DENIED,
}


def rejection_status(rejection_type: RejectionType) -> grpc.StatusCode:
    """The status code for a rejection type (UNKNOWN for types Zeebe does not map either)."""
    return _REJECTION_STATUS.get(rejection_type, grpc.StatusCode.UNKNOWN)


def rejected(command: Command, rejection: CommandRejected) -> GatewayError:
    """The error for a rejected command, worded as Zeebe words it."""
    message = (
        f"Command '{command.intent}' rejected with code "
        f"'{rejection.rejection_type.name}': {rejection.reason}"
    )
    return GatewayError(rejection_status(rejection.rejection_type), message)


def invalid_argument(message: str) -> GatewayError:
    """An INVALID_ARGUMENT error for a request the gateway refuses before the engine sees it."""
    return GatewayError(grpc.StatusCode.INVALID_ARGUMENT, message)


BACKPRESSURE_MESSAGE = (
    "Expected to handle the request, but the engine is at its limit of requests in flight "
    "(backpressure); retry later"
)


def backpressure() -> GatewayError:
    """The RESOURCE_EXHAUSTED error clients treat as backpressure and retry."""
    return GatewayError(grpc.StatusCode.RESOURCE_EXHAUSTED, BACKPRESSURE_MESSAGE)


def not_supported(rpc: str) -> GatewayError:
    """The UNIMPLEMENTED error for an RPC of the protocol that Cadenza does not support yet."""
    return GatewayError(
        grpc.StatusCode.UNIMPLEMENTED,
        f"{rpc} is not supported yet by Cadenza's gateway",
    )
