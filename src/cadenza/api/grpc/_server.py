"""Serving the gateway: a ``grpc.aio`` server with the Gateway and health services."""

from __future__ import annotations

import logging

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc  # type: ignore[import-untyped]

from cadenza.api._port import EnginePort
from cadenza.api.grpc._servicer import SERVICE_NAME, GatewayConfig, GatewayServicer

logger = logging.getLogger(__name__)

DEFAULT_ADDRESS = "127.0.0.1:26500"
"""Zeebe's gateway port, on the loopback interface."""


class GrpcServer:
    """A running gateway server: where it listens, and how to stop it."""

    def __init__(self, server: grpc.aio.Server, health_servicer: object, host: str, port: int):
        self._server = server
        self._health = health_servicer
        self.host = host
        """The host part of the address the server was asked to listen on."""
        self.port = port
        """The TCP port the server listens on (the real one when port 0 was asked for)."""

    @property
    def address(self) -> str:
        """``host:port`` for clients."""
        return f"{self.host}:{self.port}"

    async def stop(self, grace_s: float | None = 1.0) -> None:
        """Stop accepting calls, let calls in flight finish within ``grace_s``, then end them.

        Health turns NOT_SERVING first so that load balancers stop sending calls.
        """
        await self._health.enter_graceful_shutdown()  # type: ignore[attr-defined]
        await self._server.stop(grace_s)

    async def wait_for_termination(self, timeout_s: float | None = None) -> bool:
        """Wait until the server stops; True if it did within ``timeout_s``."""
        # grpc.aio answers whether the wait timed out.
        timed_out = await self._server.wait_for_termination(timeout_s)
        return not timed_out


def _host(address: str) -> str:
    # IPv6 hosts keep their brackets ("[::1]") so that host:port stays a valid address.
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"expected an address as host:port, got {address!r}")
    return host


async def start_grpc_server(
    port: EnginePort,
    address: str = DEFAULT_ADDRESS,
    *,
    config: GatewayConfig | None = None,
) -> GrpcServer:
    """Serve the Zeebe gateway protocol for ``port`` on ``address`` (``host:port``; port 0 picks
    a free one) and answer the running server.

    Also serves ``grpc.health.v1.Health``, SERVING for ``gateway_protocol.Gateway`` and for the
    whole server. Raises ``ValueError`` for an address that is not ``host:port`` and ``OSError``
    when it cannot be bound.
    """
    config = config or GatewayConfig()
    host = _host(address)
    options = [
        ("grpc.max_receive_message_length", config.max_message_size),
        ("grpc.max_send_message_length", config.max_message_size),
        # A second server on a taken port must fail, not silently share it (gRPC's default).
        ("grpc.so_reuseport", 0),
        # Long polls and job streams stay open; let idle clients keep their connections.
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.min_recv_ping_interval_without_data_ms", 10_000),
        # grpc-core cancels calls the event loop has not picked up yet past these limits
        # (1,000 / 3,000 by default); under a burst, the engine's own back-pressure must answer
        # instead, with RESOURCE_EXHAUSTED.
        ("grpc.server.max_pending_requests", 100_000),
        ("grpc.server.max_pending_requests_hard_limit", 100_000),
    ]
    server = grpc.aio.server(options=options)
    server.add_generic_rpc_handlers((GatewayServicer(port, config).rpc_handler(),))
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    try:
        bound = server.add_insecure_port(address)
    except RuntimeError as error:
        await server.stop(None)
        raise OSError(f"cannot listen on {address}: {error}") from None
    await server.start()
    serving = health_pb2.HealthCheckResponse.SERVING
    await health_servicer.set("", serving)
    await health_servicer.set(SERVICE_NAME, serving)
    logger.info("Zeebe gateway protocol served on %s:%d", host, bound)
    return GrpcServer(server, health_servicer, host, bound)
