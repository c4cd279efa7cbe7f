"""End to end with the REST side of the Node.js client ``@camunda8/sdk`` 8.8.

Runs only when ``CADENZA_JS_SDK_DIR`` names a directory where ``npm install @camunda8/sdk@8.8``
was run (and ``node`` is on the PATH); the scenario is ``rest_js_scenario.js``.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest
from rest_support import FORM, HERE, ORDER_BPMN, server_url

__all__ = ["server_url"]  # fixtures

SDK_DIR = os.environ.get("CADENZA_JS_SDK_DIR", "")


@pytest.mark.skipif(
    not SDK_DIR or not (pathlib.Path(SDK_DIR) / "node_modules/@camunda8/sdk").is_dir(),
    reason="set CADENZA_JS_SDK_DIR to a directory with node_modules/@camunda8/sdk (8.8)",
)
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_node_client_end_to_end(server_url: str, tmp_path: pathlib.Path) -> None:
    (tmp_path / "order.bpmn").write_bytes(ORDER_BPMN)
    (tmp_path / "approval.form").write_bytes(FORM)
    script = HERE / "rest_js_scenario.js"
    # the Node client appends /v2 to the address itself
    address = server_url.removesuffix("/v2")
    env = {**os.environ, "NODE_PATH": str(pathlib.Path(SDK_DIR) / "node_modules")}
    run = subprocess.run(
        ["node", str(script), address, str(tmp_path)],
        cwd=SDK_DIR,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    outcome = json.loads(run.stdout.decode().strip().splitlines()[-1])
    assert outcome == {
        "topology": 2,
        "process": "order",
        "created": "string",
        "jobs": 1,
        "jobVars": {"orderId": "o-1"},
        "correlated": True,
        "assignee": "ann",
        "incident": "JOB_NO_RETRIES",
        "signal": "string",
        "published": "string",
        "instances": 2,
    }
