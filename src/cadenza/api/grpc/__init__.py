"""The Zeebe gRPC gateway: Camunda 8 clients (pyzeebe, the Camunda SDKs, zbctl) talk to Cadenza.

``start_grpc_server(port)`` serves ``gateway_protocol.Gateway`` for an ``EnginePort``; every RPC
becomes an engine command and the engine's answer (or refusal) goes back with Zeebe's status codes.
"""

from cadenza.api.grpc._errors import GatewayError, rejection_status
from cadenza.api.grpc._server import DEFAULT_ADDRESS, GrpcServer, start_grpc_server
from cadenza.api.grpc._servicer import (
    SERVICE_NAME,
    UNSUPPORTED_RPCS,
    GatewayConfig,
    GatewayServicer,
)
from cadenza.api.grpc._variables import parse_variables

__all__ = [
    "DEFAULT_ADDRESS",
    "SERVICE_NAME",
    "UNSUPPORTED_RPCS",
    "GatewayConfig",
    "GatewayError",
    "GatewayServicer",
    "GrpcServer",
    "parse_variables",
    "rejection_status",
    "start_grpc_server",
]
