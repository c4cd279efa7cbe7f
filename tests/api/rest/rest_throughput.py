"""Throughput of the REST layer alone, over the in-memory fake engine (not a test).

Serves the app with uvicorn on loopback and drives it with httpx from the same event loop, at
concurrency 1 and 16: ``python tests/api/rest/rest_throughput.py``. The engine is the fake, so
the numbers bound what the HTTP layer (parsing, validation, shaping) adds per request.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
from rest_fake_port import FakePort
from rest_support import ORDER_BPMN

from cadenza.api.rest import start_rest_server

Request = Callable[[int], Awaitable[httpx.Response]]


async def measure(name: str, count: int, concurrency: int, request: Request) -> None:
    limit = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with limit:
            response = await request(index)
            assert response.status_code < 300, response.text

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    elapsed = time.perf_counter() - started
    latency = elapsed / count * 1000 * concurrency
    print(f"{name:42s} c={concurrency:<3d} {count / elapsed:7.0f} req/s  {latency:7.2f} ms/req")


async def main() -> None:
    server = await start_rest_server(FakePort(), "127.0.0.1:0")
    limits = httpx.Limits(max_connections=32)
    try:
        async with httpx.AsyncClient(base_url=server.base_url, limits=limits) as client:
            files = [("resources", ("order.bpmn", ORDER_BPMN, "text/xml"))]
            await client.post("/deployments", files=files)
            start = {"processDefinitionId": "order", "variables": {"amount": 1}}
            activation = {"type": "charge", "timeout": 60_000, "maxJobsToActivate": 1}
            search = {"page": {"limit": 10}, "filter": {"state": "ACTIVE"}}
            for concurrency in (1, 16):
                await measure(
                    "GET /v2/topology", 1000, concurrency, lambda i: client.get("/topology")
                )
                await measure(
                    "POST /v2/process-instances",
                    1000,
                    concurrency,
                    lambda i: client.post("/process-instances", json=start),
                )
                await measure(
                    "POST /v2/jobs/activation (1 job each)",
                    500,
                    concurrency,
                    lambda i: client.post("/jobs/activation", json=activation),
                )
                await measure(
                    "POST /v2/process-instances/search",
                    300,
                    concurrency,
                    lambda i: client.post("/process-instances/search", json=search),
                )
    finally:
        await server.stop()


if __name__ == "__main__":
    asyncio.run(main())
