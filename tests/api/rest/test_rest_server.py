"""The embedded server: it serves on the running loop, stops gracefully, ends long polls."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest
from rest_fake_port import FakePort

from cadenza.api.rest import RestServer, start_rest_server


def test_serves_then_stops_and_ends_long_polls() -> None:
    async def main() -> None:
        server = await start_rest_server(FakePort(), "127.0.0.1:0")
        try:
            await exercise(server)
        finally:
            await server.stop()  # a second stop is harmless

    async def exercise(server: RestServer) -> None:
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}/v2"
        async with httpx.AsyncClient(base_url=server.base_url) as client:
            topology = await client.get("/topology")
            assert topology.status_code == 200
            # Nagle off on served connections, else each answer waits for a delayed ACK
            (connection,) = server._server.server_state.connections
            sock = connection.transport.get_extra_info("socket")  # type: ignore[attr-defined]
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
            body = {"type": "t", "timeout": 1000, "maxJobsToActivate": 1, "requestTimeout": 60_000}
            poll = asyncio.ensure_future(client.post("/jobs/activation", json=body))
            await asyncio.sleep(0.1)
            assert not poll.done()
            await asyncio.wait_for(server.stop(), timeout=20)
            answered = await poll
            assert (answered.status_code, answered.json()) == (200, {"jobs": []})
            with pytest.raises(httpx.ConnectError):
                await client.get("/topology")

    asyncio.run(main())


def test_a_taken_address_raises_os_error() -> None:
    async def main() -> None:
        server = await start_rest_server(FakePort(), "127.0.0.1:0")
        try:
            with pytest.raises(OSError):
                await start_rest_server(FakePort(), f"127.0.0.1:{server.port}")
        finally:
            await server.stop()

    asyncio.run(main())


def test_a_malformed_address_is_refused() -> None:
    with pytest.raises(ValueError, match="host:port"):
        asyncio.run(start_rest_server(FakePort(), "localhost"))
