"""The ``cadenza`` command: validate, run, serve, and talk to a running server."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import pathlib
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from typing import Any

USAGE = """usage: cadenza COMMAND [ARGS]

commands:
  validate FILE...                     check BPMN files; every problem with its line
  run FILE [--var k=JSON] [--workers MODULE] [--process ID] [--data-dir DIR | --memory]
                                       deploy and run one instance here, with in-process workers
  feel EXPRESSION [--var k=JSON]       evaluate a FEEL expression
  decide FILE.dmn DECISION [--var k=JSON] [--explain]
                                       evaluate a DMN decision
  serve [--data-dir DIR] [--grpc-address H:P] [--http-address H:P]
                                       run the server (Zeebe gRPC + Camunda REST v2)
  deploy FILE... [--server URL]        deploy to a running server
  start PROCESS_ID [--var k=JSON] [--server URL]
                                       start an instance on a running server
  status [--server URL]                show a running server's topology
"""

DEFAULT_SERVER = "http://127.0.0.1:8080"


def parse_var(text: str) -> tuple[str, Any]:
    """``name=JSON`` (a bare word is a string)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected name=JSON, got {text!r}")
    try:
        return name.strip(), json.loads(raw)
    except json.JSONDecodeError:
        return name.strip(), raw


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cadenza`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name == "validate":
        from cadenza import cli_validate

        return cli_validate.main(rest)
    if name == "feel":
        from cadenza import cli_feel

        return int(cli_feel.main(rest))
    if name == "decide":
        from cadenza import cli_decide

        return cli_decide.main(rest)
    if name == "run":
        return run(rest)
    if name == "serve":
        from cadenza import server

        return server.main(rest)
    if name in ("deploy", "start", "status"):
        return remote(name, rest)
    print(f"cadenza: unknown command {name!r}\n\n{USAGE}", file=sys.stderr)
    return 2


# -- run ------------------------------------------------------------------------------------------
def run(argv: list[str]) -> int:
    """``cadenza run``: deploy FILE, start one instance, run workers and timers until it ends."""
    parser = argparse.ArgumentParser(prog="cadenza run")
    parser.add_argument("file", type=pathlib.Path)
    parser.add_argument("--var", action="append", type=parse_var, default=[])
    parser.add_argument("--workers", action="append", default=[], help="Python module")
    parser.add_argument("--process", help="process id (default: the file's first process)")
    parser.add_argument("--resource", action="append", type=pathlib.Path, default=[])
    parser.add_argument(
        "--data-dir",
        type=pathlib.Path,
        default=pathlib.Path("cadenza-data"),
        help="directory of the SQLite store (default: ./cadenza-data)",
    )
    parser.add_argument("--memory", action="store_true", help="keep nothing: an in-memory store")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for timers")
    options = parser.parse_args(argv)
    import cadenza
    from cadenza.runtime.collect import collect_workers

    path = None
    if not options.memory:
        options.data_dir.mkdir(parents=True, exist_ok=True)
        path = options.data_dir / "cadenza.sqlite"
    try:
        engine = cadenza.Engine(path)
    except Exception as error:
        print(f"cadenza run: cannot open the store: {error}", file=sys.stderr)
        return 1
    with engine:
        try:
            deployment = engine.deploy(options.file, *options.resource)
        except OSError as error:
            print(f"cadenza run: {error}", file=sys.stderr)
            return 1
        except cadenza.CommandRejected as error:
            print(f"cadenza run: deployment rejected:\n{error.reason}", file=sys.stderr)
            return 1
        for module_name in options.workers:
            sys.path.insert(0, str(pathlib.Path.cwd()))
            module = importlib.import_module(module_name)
            for job_type, handler in collect_workers(module):
                engine.worker(job_type)(handler)
        if not deployment.processes:
            print("cadenza run: the file has no executable process", file=sys.stderr)
            return 1
        process_id = options.process or deployment.processes[0].bpmn_process_id
        try:
            key = engine.create_instance(process_id, dict(options.var))
        except cadenza.CommandRejected as error:
            print(f"cadenza run: {error.reason}", file=sys.stderr)
            return 1
        deadline = time.monotonic() + options.timeout
        while True:
            engine.run_until_idle()
            if key not in engine.state.elements or engine.incidents(key):
                break
            due = engine.partition.kernel.next_due()
            if due is None or time.monotonic() >= deadline:
                break
            wait = max(0.0, due / 1000 - time.time())
            time.sleep(min(wait + 0.001, max(0.0, deadline - time.monotonic())))
        state = engine.instance_state(key)
        report: dict[str, Any] = {"processInstanceKey": key, "state": state}
        if state == "COMPLETED":
            report["variables"] = engine.instance_variables(key)
        incidents = engine.incidents(key)
        if incidents:
            report["incidents"] = [
                {
                    "errorType": i["errorType"],
                    "errorMessage": i["errorMessage"],
                    "elementId": i["elementId"],
                }
                for i in incidents
            ]
        print(json.dumps(report, indent=2))
        return 0 if state == "COMPLETED" else 1


# -- talking to a server ----------------------------------------------------------------------------
def remote(name: str, argv: list[str]) -> int:
    """``deploy``, ``start`` and ``status`` against a running server's REST API."""
    parser = argparse.ArgumentParser(prog=f"cadenza {name}")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    if name == "deploy":
        parser.add_argument("files", nargs="+", type=pathlib.Path)
    elif name == "start":
        parser.add_argument("process_id")
        parser.add_argument("--var", action="append", type=parse_var, default=[])
    options = parser.parse_args(argv)
    base = options.server.rstrip("/")
    try:
        if name == "status":
            result = _request("GET", f"{base}/v2/topology")
        elif name == "start":
            body = {"processDefinitionId": options.process_id, "variables": dict(options.var)}
            result = _request("POST", f"{base}/v2/process-instances", body)
        else:
            result = _deploy(base, options.files)
    except OSError as error:
        print(f"cadenza {name}: {error}", file=sys.stderr)
        return 1
    except RemoteError as error:
        print(f"cadenza {name}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


class RemoteError(Exception):
    """The server answered with a problem."""


def _request(method: str, url: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    return _send(request)


def _send(request: urllib.request.Request) -> Any:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(detail).get("detail", detail)
        raise RemoteError(f"{error.code}: {detail}") from None


def _deploy(base: str, files: list[pathlib.Path]) -> Any:
    boundary = uuid.uuid4().hex
    parts = []
    for path in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="resources"; '
            f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + path.read_bytes()
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/v2/deployments", data=body, method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    return _send(request)


if __name__ == "__main__":
    raise SystemExit(main())
