"""The gateway serving the fake engine in a process of its own, for tests with real clients.

A second process keeps a client's own generated ``gateway_protocol`` modules apart from ours, and
shows the server working as ``cadenza serve`` runs it.
"""

from __future__ import annotations

import json
import pathlib
import queue
import subprocess
import sys
import threading
from typing import Any

LAUNCHER = pathlib.Path(__file__).with_name("grpc_serve_fake.py")

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-{id}" targetNamespace="t">
  <bpmn:process id="{id}" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements><zeebe:taskDefinition type="{id}"/></bpmn:extensionElements>
    </bpmn:serviceTask>
  </bpmn:process>
</bpmn:definitions>
"""


class ServerProcess:
    """The launcher's process: its port and the commands it reports."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.commands: list[dict[str, Any]] = []
        self.streams: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        try:
            first = self.lines.get(timeout=20)
            assert first.startswith("LISTENING "), first
        except BaseException:
            self.stop()
            raise
        self.address = f"127.0.0.1:{int(first.split()[1])}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def drain(self) -> list[dict[str, Any]]:
        """Every command reported so far."""
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                return self.commands
            if line.startswith("COMMAND "):
                self.commands.append(json.loads(line.removeprefix("COMMAND ")))
            elif line.startswith("STREAM "):
                self.streams.append(line.removeprefix("STREAM "))

    def stop(self) -> None:
        """Close its input (it stops serving and exits), killing it if it lingers."""
        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        finally:
            self.reader.join(timeout=5)
            assert self.process.stdout is not None
            self.process.stdout.close()
