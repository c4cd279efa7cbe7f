"""The FastAPI application serving Camunda's REST API v2 under ``/v2``, and its server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn
from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cadenza.api._port import EnginePort
from cadenza.api.rest._context import RestContext, RestSettings
from cadenza.api.rest._event_routes import event_routes
from cadenza.api.rest._job_routes import job_routes
from cadenza.api.rest._problems import install_problem_handlers, problem_response
from cadenza.api.rest._process_routes import process_routes
from cadenza.api.rest._search_routes import search_routes
from cadenza.api.rest._user_task_routes import user_task_routes

API_PREFIX = "/v2"
API_VERSION = "8.8.0"

_log = logging.getLogger("cadenza.api.rest")


class BodyTooLarge(StarletteHTTPException):
    """A request body went past the configured limit while it was being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


class BodyLimit:
    """ASGI middleware that refuses request bodies above ``limit`` bytes with a 413 problem.

    A declared ``Content-Length`` above the limit is refused before reading; a chunked body is
    counted as it arrives and stops the request when it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = problem_response(
                413,
                "PAYLOAD_TOO_LARGE",
                f"the request body ({int(declared)} bytes) is larger than the limit of "
                f"{self.limit} bytes",
                scope.get("path", ""),
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counted, send)


def create_app(
    port: EnginePort, settings: RestSettings | None = None, *, context: RestContext | None = None
) -> FastAPI:
    """The REST API v2 application over ``port``.

    ``settings`` bounds request bodies and long polls. Pass ``context`` to share the stop
    signal with a server (``start_rest_server`` does).
    """
    ctx = context or RestContext(port, settings or RestSettings())
    app = FastAPI(
        title="Cadenza REST API",
        version=API_VERSION,
        summary="Camunda 8 REST API v2 compatible endpoints of the Cadenza process orchestrator",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    for router in (
        process_routes(ctx),
        job_routes(ctx),
        event_routes(ctx),
        user_task_routes(ctx),
        search_routes(ctx),
    ):
        app.include_router(router, prefix=API_PREFIX)
    install_problem_handlers(app)
    app.add_middleware(BodyLimit, limit=ctx.settings.max_body_bytes)
    app.state.rest_context = ctx
    return app


def _split_address(address: str) -> tuple[str, int]:
    host, sep, port_text = address.rpartition(":")
    if not sep or not port_text.isdigit():
        raise ValueError(f"REST address must be 'host:port', got {address!r}")
    return host.strip("[]") or "127.0.0.1", int(port_text)


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without its own signal handling: the process that embeds it owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave SIGINT/SIGTERM to the embedding process, which calls ``RestServer.stop``."""
        yield


class RestServer:
    """A running REST server on the current event loop; ``stop()`` shuts it down gracefully."""

    def __init__(
        self, server: uvicorn.Server, task: asyncio.Task[None], ctx: RestContext, sock: Any
    ) -> None:
        self._server = server
        self._task = task
        self._ctx = ctx
        self._socket = sock
        host, bound_port = sock.getsockname()[:2]
        self.host: str = host
        self.port: int = bound_port

    @property
    def base_url(self) -> str:
        """The URL clients use, e.g. ``http://127.0.0.1:8080/v2``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{API_PREFIX}"

    async def stop(self) -> None:
        """Stop accepting connections, end long polls, finish in-flight requests."""
        self._ctx.stopping.set()
        self._server.should_exit = True
        try:
            await self._task
        finally:
            self._socket.close()

    async def wait(self) -> None:
        """Wait until the server has stopped."""
        await asyncio.shield(self._task)


async def start_rest_server(
    port: EnginePort,
    address: str = "127.0.0.1:8080",
    settings: RestSettings | None = None,
    *,
    graceful_timeout_s: int = 5,
) -> RestServer:
    """Serve the REST API on ``address`` (``host:port``; port 0 picks a free one) in the running
    event loop, and return once it accepts connections. Raises ``OSError`` when the address is
    taken."""
    host, number = _split_address(address)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be TCP explicitly: asyncio only turns Nagle off (TCP_NODELAY) on sockets that
    # say so, and with Nagle on every response waits ~40 ms for the client's delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, number))
        sock.listen(2048)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    ctx = RestContext(port, settings or RestSettings())
    app = create_app(port, context=ctx)
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_config=None,  # the embedding process owns the logging configuration
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=graceful_timeout_s,
    )
    server = _EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name=f"rest-server {address}")
    while not server.started:
        if task.done():
            sock.close()
            task.result()  # surfaces the startup failure
            raise RuntimeError("the REST server stopped during startup")
        await asyncio.sleep(0.01)
    _log.info("REST API v2 listening on %s", address)
    return RestServer(server, task, ctx, sock)
