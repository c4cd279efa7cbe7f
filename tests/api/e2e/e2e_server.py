"""``cadenza serve`` in a process of its own, on free ports and a temporary data directory.

The tests talk to it only through real clients; stopping it with SIGTERM must end it with
status 0 (a clean shutdown), and ``kill`` stands for a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pathlib
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, TypeVar

import httpx

import cadenza

T = TypeVar("T")

READY_PREFIX = "cadenza: ready"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 20.0
LAUNCH = "import sys; from cadenza.cli import main; sys.exit(main(sys.argv[1:]))"


def server_environment() -> dict[str, str]:
    """The environment for a server process: it imports the same ``cadenza`` as this process
    (the tree under test, whatever editable install the interpreter has)."""
    source = str(pathlib.Path(cadenza.__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        "PYTHONPATH": source + (os.pathsep + path if path else ""),
        "PYTHONUNBUFFERED": "1",
    }


def free_port() -> int:
    """A TCP port nobody listens on right now (the server binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class CadenzaServer:
    """A running ``cadenza serve``: its addresses, its output, and how to stop or kill it."""

    def __init__(self, data_dir: pathlib.Path, *extra_args: str) -> None:
        self.data_dir = data_dir
        self.extra_args = extra_args
        self.grpc_port = free_port()
        self.http_port = free_port()
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LAUNCH,
                "serve",
                "--data-dir",
                str(data_dir),
                "--grpc-address",
                self.grpc_address,
                "--http-address",
                f"127.0.0.1:{self.http_port}",
                "--log-level",
                "WARNING",
                *extra_args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=server_environment(),
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            self._wait_ready()
        except BaseException:
            self.kill()
            raise

    @property
    def grpc_address(self) -> str:
        """``host:port`` of the Zeebe gateway."""
        return f"127.0.0.1:{self.grpc_port}"

    @property
    def rest_url(self) -> str:
        """Base URL of the REST API, without the ``/v2`` prefix."""
        return f"http://127.0.0.1:{self.http_port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            self._lines.put(line)
        self._lines.put(None)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"the server was not ready in time:\n{self.log()}")
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the server exited before it was ready:\n{self.log()}")
            if line.startswith(READY_PREFIX):
                return

    def log(self) -> str:
        """Everything the server printed so far."""
        return "\n".join(self.output)

    def stop(self) -> int:
        """SIGTERM, then wait for the exit; answers the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)
            raise AssertionError(f"the server did not stop on SIGTERM:\n{self.log()}") from None
        self._close_pipe()
        return code

    def kill(self) -> None:
        """SIGKILL: a crash, nothing gets a chance to flush or close."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=STOP_TIMEOUT_S)
        self._close_pipe()

    def _close_pipe(self) -> None:
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextlib.contextmanager
def running_server(data_dir: pathlib.Path, *extra_args: str) -> Iterator[CadenzaServer]:
    """A server for the block; on exit SIGTERM, and the exit status must be 0."""
    server = CadenzaServer(data_dir, *extra_args)
    try:
        yield server
    except BaseException:
        server.stop()
        raise
    code = server.stop()
    assert code == 0, f"the server exited with {code} on SIGTERM:\n{server.log()}"


def wait_until(probe: Callable[[], T | None], timeout_s: float = 10.0, what: str = "") -> T:
    """Call ``probe`` until it answers something other than None/False; fail after timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value is not None and value is not False:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not seen within {timeout_s} s: {what or probe}")
        time.sleep(0.02)


async def eventually(
    probe: Callable[[], Awaitable[T | None]], timeout_s: float = 10.0, what: str = ""
) -> T:
    """``wait_until`` for coroutine probes, without blocking the event loop."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await probe()
        if value is not None and value is not False:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not seen within {timeout_s} s: {what or probe}")
        await asyncio.sleep(0.02)


async def search(
    http: httpx.AsyncClient, entity: str, filter_: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The items of ``POST /v2/<entity>/search`` with ``filter_`` (raises on an error status)."""
    response = await http.post(f"/v2/{entity}/search", json={"filter": dict(filter_ or {})})
    assert response.status_code == 200, f"{entity} search: {response.status_code} {response.text}"
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def instance_state(http: httpx.AsyncClient, process_instance_key: int) -> str | None:
    """The state the read model reports for an instance (None if it does not know it)."""
    found = await search(
        http, "process-instances", {"processInstanceKey": str(process_instance_key)}
    )
    return str(found[0]["state"]) if found else None
