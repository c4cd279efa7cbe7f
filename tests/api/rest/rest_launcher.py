"""Serve the REST API over the fake engine in a process of its own, for end-to-end tests.

Prints the bound port on the first line of stdout, then serves until SIGTERM/SIGINT or until
stdin closes (so it never outlives the test that started it), and stops gracefully.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from rest_fake_port import FakePort

from cadenza.api.rest import RestSettings, start_rest_server


async def serve() -> None:
    settings = RestSettings(long_poll_default_ms=500)
    server = await start_rest_server(FakePort(), "127.0.0.1:0", settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    def on_stdin() -> None:
        if not os.read(sys.stdin.fileno(), 4096):
            stop.set()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    print(server.port, flush=True)
    await stop.wait()
    loop.remove_reader(sys.stdin.fileno())
    await server.stop()


if __name__ == "__main__":
    asyncio.run(serve())
