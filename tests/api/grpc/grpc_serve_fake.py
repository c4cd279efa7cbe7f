"""Serve the gateway for the fake engine in a process of its own (for real-client tests).

Prints ``LISTENING <port>`` once it serves on a free loopback port, then one ``COMMAND <json>``
line per command the engine receives and ``STREAM <type>`` when a job stream opens. Stops when its standard input closes.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

from grpc_fake_engine import FakeEngine

from cadenza.api._port import Answer, Command, JobActivation
from cadenza.api.grpc import GatewayConfig, start_grpc_server


class LoggingEngine(FakeEngine):
    """The fake engine, reporting every command on standard output."""

    async def execute(self, command: Command) -> Answer:
        line = {
            "valueType": command.value_type.name,
            "intent": command.intent,
            "key": command.key,
            "value": command.value,
        }
        print("COMMAND", json.dumps(line, default=repr), flush=True)
        return await super().execute(command)

    async def stream_jobs(self, request: JobActivation) -> AsyncIterator[dict[str, Any]]:
        print("STREAM", request.type, flush=True)
        async for job in super().stream_jobs(request):
            yield job


async def main() -> None:
    config = GatewayConfig(long_poll_timeout_ms=2_000)
    server = await start_grpc_server(LoggingEngine(), "127.0.0.1:0", config=config)
    print(f"LISTENING {server.port}", flush=True)
    # Reading standard input to its end returns when the parent closes it (or dies).
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await server.stop(0.5)


if __name__ == "__main__":
    asyncio.run(main())
