"""``cadenza serve``: the engine on SQLite behind the Zeebe gRPC gateway and the REST API v2."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import pathlib
import signal
import sys
from typing import Any

log = logging.getLogger("cadenza.server")
DEFAULT_MAX_VARIABLES_BYTES = 4 * 1024 * 1024


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cadenza serve")
    parser.add_argument("--data-dir", type=pathlib.Path, default=pathlib.Path("cadenza-data"))
    parser.add_argument("--grpc-address", default="127.0.0.1:26500")
    parser.add_argument("--http-address", default="127.0.0.1:8080")
    parser.add_argument("--max-in-flight", type=int, default=10_000)
    parser.add_argument(
        "--max-variables-bytes",
        type=int,
        default=DEFAULT_MAX_VARIABLES_BYTES,
        help="largest variables document of one command, as JSON (default: 4 MiB, Zeebe's "
        "default message size)",
    )
    parser.add_argument("--log-level", default="INFO")
    options = parser.parse_args(argv)
    for name in ("grpc_address", "http_address"):
        address = getattr(options, name)
        host, sep, port = address.rpartition(":")
        if not sep or not host or not port.isdigit() or int(port) > 65535:
            parser.error(f"--{name.replace('_', '-')} must be HOST:PORT, not {address!r}")
    for name in ("max_in_flight", "max_variables_bytes"):
        if getattr(options, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return options


async def serve(options: argparse.Namespace) -> int:
    """Run until SIGTERM/SIGINT; then stop accepting, finish what was accepted, close."""
    from cadenza.api.grpc import start_grpc_server
    from cadenza.api.rest import start_rest_server
    from cadenza.runtime._service import EngineService
    from cadenza.server_queries import ReadModel
    from cadenza.store import SqliteStore, StoreError

    try:
        options.data_dir.mkdir(parents=True, exist_ok=True)
        store = SqliteStore(options.data_dir / "cadenza.sqlite")
    except (OSError, StoreError) as error:
        print(f"cadenza serve: cannot open the data directory: {error}", file=sys.stderr)
        return 1
    read_model = ReadModel(store)
    host, _, grpc_port = options.grpc_address.rpartition(":")
    service = EngineService(
        store,
        max_in_flight=options.max_in_flight,
        max_variables_bytes=options.max_variables_bytes,
        query=read_model.query,
        host=host,
        grpc_port=int(grpc_port),
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
        # Everything loaded so far (modules, models, the web app) lives as long as the server;
        # left in the collected generations, each full collection scans it again, a pause of
        # tens of milliseconds in the middle of answering requests.
        gc.collect()
        gc.freeze()
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
