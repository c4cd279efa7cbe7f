"""``cadenza serve``: the engine on SQLite behind the Zeebe gRPC gateway and the REST API v2."""

from __future__ import annotations

import argparse
import asyncio
import logging
import pathlib
import signal
import sys
from typing import Any

log = logging.getLogger("cadenza.server")


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cadenza serve")
    parser.add_argument("--data-dir", type=pathlib.Path, default=pathlib.Path("cadenza-data"))
    parser.add_argument("--grpc-address", default="127.0.0.1:26500")
    parser.add_argument("--http-address", default="127.0.0.1:8080")
    parser.add_argument("--max-in-flight", type=int, default=10_000)
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


async def serve(options: argparse.Namespace) -> int:
    """Run until SIGTERM/SIGINT; then stop accepting, finish what was accepted, close."""
    from cadenza.api.grpc import start_grpc_server
    from cadenza.api.rest import start_rest_server
    from cadenza.runtime._service import EngineService
    from cadenza.server_queries import ReadModel
    from cadenza.store import SqliteStore

    options.data_dir.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(options.data_dir / "cadenza.sqlite")
    read_model = ReadModel(store)
    host, _, grpc_port = options.grpc_address.rpartition(":")
    service = EngineService(
        store,
        max_in_flight=options.max_in_flight,
        query=read_model.query,
        host=host,
        grpc_port=int(grpc_port or 26500),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    servers: list[Any] = []
    try:
        grpc_server = await start_grpc_server(service, options.grpc_address)
        servers.append(grpc_server)
        print(
            f"cadenza: gRPC (Zeebe gateway protocol) listening on {options.grpc_address}",
            flush=True,
        )
        rest_server = await start_rest_server(service, options.http_address)
        servers.append(rest_server)
        print(f"cadenza: REST API v2 listening on http://{options.http_address}/v2", flush=True)
        print(f"cadenza: ready (data in {options.data_dir})", flush=True)
        await stop.wait()
        print("cadenza: shutting down", flush=True)
    except OSError as error:
        print(f"cadenza serve: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        for server in reversed(servers):
            await server.stop()
        service.close()
    return 0


def main(argv: list[str]) -> int:
    """Entry point of ``cadenza serve``."""
    options = _options(argv)
    logging.basicConfig(
        level=getattr(logging, options.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return asyncio.run(serve(options))
