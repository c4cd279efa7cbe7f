"""``@camunda8/sdk`` 8.8 (Node.js) against a real ``cadenza serve``: a gRPC worker and a REST
worker in one client process work on the same process instance.

The SDK is installed by ``tests/conftest.py`` (or found through ``CADENZA_JS_SDK_DIR``)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest
from e2e_models import write
from e2e_server import running_server

SDK_DIR = os.environ.get("CADENZA_JS_SDK_DIR", "")
SCENARIO = pathlib.Path(__file__).with_name("e2e_js_scenario.js")
BOTH = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="both" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first"/>
    <bpmn:serviceTask id="first">
      <bpmn:extensionElements><zeebe:taskDefinition type="via-grpc"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second"/>
    <bpmn:serviceTask id="second">
      <bpmn:extensionElements><zeebe:taskDefinition type="via-rest"/></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.skipif(
    not SDK_DIR or not (pathlib.Path(SDK_DIR) / "node_modules/@camunda8/sdk").is_dir(),
    reason="the Node.js SDK could not be installed (no npm registry?); set CADENZA_JS_SDK_DIR",
)
def test_grpc_and_rest_workers_in_one_node_process(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "both.bpmn", BOTH)
    with running_server(tmp_path / "data") as server:
        run = subprocess.run(
            ["node", str(SCENARIO), server.grpc_address, server.rest_url, str(tmp_path)],
            cwd=SDK_DIR,
            env={**os.environ, "NODE_PATH": str(pathlib.Path(SDK_DIR) / "node_modules")},
            capture_output=True,
            timeout=90,
        )
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    outcome = json.loads(run.stdout.decode().strip().splitlines()[-1])
    assert outcome == {
        "partitions": 1,
        "deployed": "both",
        "variables": {"grpcSaw": 41, "restSaw": 42},
    }
