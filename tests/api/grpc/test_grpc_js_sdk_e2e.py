"""End to end with the gRPC side of the Node.js client ``@camunda8/sdk`` 8.8.

Runs only when ``CADENZA_JS_SDK_DIR`` names a directory where ``npm install @camunda8/sdk@8.8``
was run (and ``node`` is on the PATH); the scenario is ``grpc_js_scenario.js``, against the
gateway serving the fake engine in a process of its own.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest
from grpc_subprocess import BPMN, ServerProcess

SDK_DIR = os.environ.get("CADENZA_JS_SDK_DIR", "")
SCENARIO = pathlib.Path(__file__).with_name("grpc_js_scenario.js")


@pytest.mark.skipif(
    not SDK_DIR or not (pathlib.Path(SDK_DIR) / "node_modules/@camunda8/sdk").is_dir(),
    reason="set CADENZA_JS_SDK_DIR to a directory with node_modules/@camunda8/sdk (8.8)",
)
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_node_grpc_client_end_to_end(tmp_path: pathlib.Path) -> None:
    for process_id in ("ship", "pushed"):
        (tmp_path / f"{process_id}.bpmn").write_text(BPMN.format(id=process_id))
    server = ServerProcess()
    try:
        env = {**os.environ, "NODE_PATH": str(pathlib.Path(SDK_DIR) / "node_modules")}
        run = subprocess.run(
            ["node", str(SCENARIO), server.address, str(tmp_path)],
            cwd=SDK_DIR,
            env=env,
            capture_output=True,
            timeout=60,
        )
    finally:
        server.stop()
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    outcome = json.loads(run.stdout.decode().strip().splitlines()[-1])
    assert outcome == {
        "brokers": 1,
        "gatewayVersion": "8.8.0",
        "deployed": ["pushed", "ship"],
        "polledAmount": 21,
        "pushedVia": "stream",
        "unknown": 5,  # NOT_FOUND
        "published": "string",
    }
    commands = [(c["intent"], c["value"].get("variables")) for c in server.drain()]
    assert ("COMPLETE", {"shipped": 42}) in commands
    assert ("COMPLETE", {"via": "stream"}) in commands
