"""Load on ``cadenza serve`` through the Zeebe gRPC gateway: throughput, latency, overload.

Not a test: run it by hand, e.g.

    python bench/grpc_load.py                       # the three phases, about a minute
    python bench/grpc_load.py --duration 10 --latency-duration 10 --overload-duration 5

It starts ``cadenza serve`` on a fresh SQLite data directory and runs the job workers in a
separate process (several ``StreamActivatedJobs`` streams completing every job of the one-task
process). This process creates instances with ``CreateProcessInstanceWithResult``, so every
answer is an instance that went create -> job -> worker -> completion, and the time until the
answer is the create-to-completion latency. Phases:

(a) throughput: a closed loop of ``--concurrency`` requests in flight; completed instances/s.
(b) latency: an open loop offering ``--rate`` instances/s; p50/p99/max create-to-completion.
(c) overload: an open loop offering ``--overload-rate`` instances/s, beyond capacity; counts the
    RESOURCE_EXHAUSTED answers (the server's ``--max-in-flight``), the latency of the accepted
    requests, and the server's RSS before and after.

Prints a table and writes ``bench/results/grpc_load.json``. Run it on a quiet machine: the
server, the workers and this client share the CPUs, and the JSON records the load average.

Errors other than RESOURCE_EXHAUSTED under overload: CANCELLED comes from grpc-core itself when
more calls arrive than the server's event loop has picked up (its default pending-request
limits); DEADLINE_EXCEEDED is a create whose job completion was lost that way, so the job waited
for its activation timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import pathlib
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import grpc

import cadenza
from cadenza.api.grpc._proto import gateway_pb2 as pb
from cadenza.api.grpc._proto import gateway_pb2_grpc as pb_grpc

HERE = pathlib.Path(__file__).resolve().parent
JOB_TYPE = "bench-load"
PROCESS_ID = "bench-load"
PROCESS = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="bench">
  <bpmn:process id="{PROCESS_ID}" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task"/>
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements><zeebe:taskDefinition type="{JOB_TYPE}"/></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
RETRYABLE = frozenset(
    {grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.CANCELLED, grpc.StatusCode.UNAVAILABLE}
)
_LAUNCH = "import sys; from cadenza.cli import main; sys.exit(main(sys.argv[1:]))"


# -- the server --------------------------------------------------------------------------------
def _environment() -> dict[str, str]:
    """The server imports the same ``cadenza`` as this script."""
    source = str(pathlib.Path(cadenza.__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": source + (os.pathsep + path if path else "")}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """``cadenza serve`` as a child process."""

    def __init__(self, data_dir: pathlib.Path, max_in_flight: int) -> None:
        self.address = f"127.0.0.1:{_free_port()}"
        data_dir.mkdir(parents=True)
        self.log_path = data_dir.parent / "server.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _LAUNCH,
                "serve",
                "--data-dir",
                str(data_dir),
                "--grpc-address",
                self.address,
                "--http-address",
                f"127.0.0.1:{_free_port()}",
                "--max-in-flight",
                str(max_in_flight),
                "--log-level",
                "WARNING",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=_environment(),
        )
        deadline = time.monotonic() + 60
        while "cadenza: ready" not in self.log_path.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{self.log_path.read_text()}")
            time.sleep(0.05)

    def rss_mib(self) -> float:
        """Resident memory of the server process (Linux /proc)."""
        status = pathlib.Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_s(self) -> float:
        """User + system CPU seconds the server used so far (Linux /proc)."""
        fields = pathlib.Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1]
        ticks = os.sysconf("SC_CLK_TCK")
        parts = fields.split()
        return (int(parts[11]) + int(parts[12])) / ticks

    def stop(self) -> int:
        """SIGTERM and wait; the exit status."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self._log.close()
        return code

    def log_tail(self, lines: int = 20) -> str:
        """The end of what the server printed."""
        return "\n".join(self.log_path.read_text().splitlines()[-lines:])


# -- the workers (a separate process) ----------------------------------------------------------
def _worker_main(address: str, streams: int, max_concurrent: int, stop: Any, ready: Any) -> None:
    asyncio.run(_work(address, streams, max_concurrent, stop, ready))


async def _work(address: str, streams: int, max_concurrent: int, stop: Any, ready: Any) -> None:
    completed = 0
    failures: Counter[str] = Counter()
    async with grpc.aio.insecure_channel(address) as channel:
        stub = pb_grpc.GatewayStub(channel)
        slots = asyncio.Semaphore(max_concurrent)
        pending: set[asyncio.Task[None]] = set()

        async def complete(job: pb.ActivatedJob) -> None:
            nonlocal completed
            try:
                for attempt in range(1, 6):
                    try:
                        await stub.CompleteJob(
                            pb.CompleteJobRequest(jobKey=job.key, variables="{}")
                        )
                        completed += 1
                        return
                    except grpc.aio.AioRpcError as error:
                        if error.code() not in RETRYABLE:
                            raise
                        failures[error.code().name] += 1
                        await asyncio.sleep(0.05 * attempt)
            except grpc.aio.AioRpcError as error:
                failures[f"gave up: {error.code().name}"] += 1
            finally:
                slots.release()

        async def stream(index: int) -> None:
            request = pb.StreamActivatedJobsRequest(
                type=JOB_TYPE, worker=f"bench-{index}", timeout=60_000
            )
            while True:
                try:
                    async for job in stub.StreamActivatedJobs(request):
                        await slots.acquire()
                        task = asyncio.create_task(complete(job))
                        pending.add(task)
                        task.add_done_callback(pending.discard)
                except grpc.aio.AioRpcError:
                    await asyncio.sleep(0.1)  # RESOURCE_EXHAUSTED / UNAVAILABLE: open it again

        tasks = [asyncio.create_task(stream(i)) for i in range(streams)]
        await asyncio.sleep(0.5)  # streams registered before the load starts
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    print(f"worker: {completed} jobs completed; retried: {dict(failures)}", file=sys.stderr)


# -- the load ------------------------------------------------------------------------------------
@dataclass
class Phase:
    """What one phase measured."""

    name: str
    offered: str
    duration_s: float = 0.0
    completed: int = 0
    throughput_per_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    p50_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    errors: dict[str, int] = field(default_factory=dict)
    server_cpu_s: float = 0.0
    rss_before_mib: float | None = None
    rss_after_mib: float | None = None
    rss_peak_mib: float | None = None

    def finish(self) -> None:
        """Derive the throughput and percentiles from the raw latencies."""
        self.completed = len(self.latencies_ms)
        self.throughput_per_s = self.completed / self.duration_s if self.duration_s else 0.0
        if self.latencies_ms:
            ordered = sorted(self.latencies_ms)
            self.p50_ms = statistics.median(ordered)
            self.p99_ms = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            self.max_ms = ordered[-1]


def _request() -> pb.CreateProcessInstanceWithResultRequest:
    return pb.CreateProcessInstanceWithResultRequest(
        request=pb.CreateProcessInstanceRequest(
            bpmnProcessId=PROCESS_ID, version=-1, variables='{"amount": 12}'
        ),
        requestTimeout=30_000,
    )


async def _one(stub: Any, phase: Phase, counting: list[bool]) -> None:
    started = time.perf_counter()
    try:
        await stub.CreateProcessInstanceWithResult(_request(), timeout=60)
    except grpc.aio.AioRpcError as error:
        if counting[0]:
            name = error.code().name
            phase.errors[name] = phase.errors.get(name, 0) + 1
        return
    if counting[0]:
        phase.latencies_ms.append((time.perf_counter() - started) * 1000)


async def closed_loop(stub: Any, phase: Phase, concurrency: int, warmup_s: float) -> None:
    """``concurrency`` callers, each sending its next request when the last is answered."""
    counting = [False]
    stop_at = time.perf_counter() + warmup_s + phase.duration_s

    async def caller() -> None:
        while time.perf_counter() < stop_at:
            await _one(stub, phase, counting)

    callers = [asyncio.create_task(caller()) for _ in range(concurrency)]
    await asyncio.sleep(warmup_s)
    counting[0] = True
    started = time.perf_counter()
    await asyncio.sleep(phase.duration_s)
    counting[0] = False
    phase.duration_s = time.perf_counter() - started
    await asyncio.gather(*callers)


async def open_loop(
    stub: Any, phase: Phase, rate: float, server: Server | None = None, warmup_s: float = 1.0
) -> None:
    """Requests at ``rate``/s whatever the answers (latency counts from each send)."""
    counting = [False]
    tasks: set[asyncio.Task[None]] = set()
    peak = 0.0
    started = time.perf_counter()
    total_s = warmup_s + phase.duration_s
    sent = 0
    while True:
        now = time.perf_counter()
        elapsed = now - started
        if elapsed >= total_s:
            break
        counting[0] = elapsed >= warmup_s
        due = int(elapsed * rate) + 1
        while sent < due:
            sent += 1
            task = asyncio.create_task(_one(stub, phase, list(counting)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if server is not None and sent % 200 == 0:
            peak = max(peak, server.rss_mib())
        await asyncio.sleep(max(0.0, (sent / rate) - (time.perf_counter() - started)))
    await asyncio.gather(*tasks)
    if server is not None:
        phase.rss_peak_mib = max(peak, server.rss_mib())


def _profile(server: Server, out: pathlib.Path | None, seconds: float) -> Any:
    """py-spy recording the server during phase (a), as collapsed stacks (``--profile``)."""
    if out is None:
        return None
    command = ["py-spy", "record", "--pid", str(server.process.pid), "--duration"]
    command += [str(int(seconds)), "--format", "raw", "--output", str(out), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run_phases(options: argparse.Namespace, server: Server) -> list[Phase]:
    phases: list[Phase] = []
    async with grpc.aio.insecure_channel(server.address) as channel:
        stub = pb_grpc.GatewayStub(channel)
        await stub.DeployResource(
            pb.DeployResourceRequest(
                resources=[pb.Resource(name="load.bpmn", content=PROCESS.encode())]
            )
        )

        throughput = Phase("throughput", f"closed loop, {options.concurrency} in flight")
        throughput.duration_s = options.duration
        profiler = _profile(server, options.profile, options.duration + 2.0)
        cpu = server.cpu_s()
        throughput.rss_before_mib = server.rss_mib()
        await closed_loop(stub, throughput, options.concurrency, warmup_s=2.0)
        throughput.server_cpu_s = server.cpu_s() - cpu
        throughput.rss_after_mib = server.rss_mib()
        phases.append(throughput)
        if profiler is not None:
            profiler.wait(60)

        latency = Phase("latency", f"open loop, {options.rate:g}/s")
        latency.duration_s = options.latency_duration
        cpu = server.cpu_s()
        latency.rss_before_mib = server.rss_mib()
        await open_loop(stub, latency, options.rate)
        latency.server_cpu_s = server.cpu_s() - cpu
        latency.rss_after_mib = server.rss_mib()
        phases.append(latency)

        overload = Phase("overload", f"open loop, {options.overload_rate:g}/s")
        overload.duration_s = options.overload_duration
        cpu = server.cpu_s()
        overload.rss_before_mib = server.rss_mib()
        await open_loop(stub, overload, options.overload_rate, server)
        overload.server_cpu_s = server.cpu_s() - cpu
        overload.rss_after_mib = server.rss_mib()
        phases.append(overload)
    for phase in phases:
        phase.finish()
    return phases


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(phases: list[Phase]) -> str:
    """The phases as a text table."""
    header = (
        f"{'phase':<11} {'offered':<28} {'s':>5} {'done':>7} {'done/s':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'rejected':>9} {'srv cpu s':>9} {'RSS MiB':>17}"
    )
    lines = [header, "-" * len(header)]
    for p in phases:
        rejected = p.errors.get("RESOURCE_EXHAUSTED", 0)
        other = sum(n for code, n in p.errors.items() if code != "RESOURCE_EXHAUSTED")
        rss = f"{_fmt(p.rss_before_mib, 0)} -> {_fmt(p.rss_after_mib, 0)}"
        if p.rss_peak_mib is not None:
            rss += f" (peak {_fmt(p.rss_peak_mib, 0)})"
        lines.append(
            f"{p.name:<11} {p.offered:<28} {p.duration_s:>5.1f} {p.completed:>7} "
            f"{p.throughput_per_s:>8.1f} {_fmt(p.p50_ms):>8} {_fmt(p.p99_ms):>8} "
            f"{_fmt(p.max_ms):>8} {rejected:>9} {p.server_cpu_s:>9.1f} {rss:>17}"
            + (f"  other errors: {other}" if other else "")
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=25.0, help="phase (a), seconds")
    parser.add_argument("--concurrency", type=int, default=64, help="phase (a) requests in flight")
    parser.add_argument("--rate", type=float, default=150.0, help="phase (b) instances/s")
    parser.add_argument("--latency-duration", type=float, default=20.0, help="phase (b), s")
    parser.add_argument("--overload-rate", type=float, default=1500.0, help="phase (c) /s")
    parser.add_argument("--overload-duration", type=float, default=10.0, help="phase (c), s")
    parser.add_argument("--max-in-flight", type=int, default=1000, help="the server's limit")
    parser.add_argument("--streams", type=int, default=4, help="job streams of the workers")
    parser.add_argument("--worker-concurrency", type=int, default=256)
    parser.add_argument(
        "--profile", type=pathlib.Path, help="record the server with py-spy during phase (a)"
    )
    parser.add_argument("--out", type=pathlib.Path, default=HERE / "results" / "grpc_load.json")
    options = parser.parse_args(argv)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="cadenza-load-") as tmp:
        server = Server(pathlib.Path(tmp) / "data", options.max_in_flight)
        context = multiprocessing.get_context("spawn")
        stop, ready = context.Event(), context.Event()
        worker = context.Process(
            target=_worker_main,
            args=(server.address, options.streams, options.worker_concurrency, stop, ready),
            daemon=True,
        )
        try:
            worker.start()
            if not ready.wait(30):
                raise SystemExit("the worker process did not start")
            phases = asyncio.run(run_phases(options, server))
        finally:
            stop.set()
            worker.join(30)
            code = server.stop()
            print(f"server log (last lines):\n{server.log_tail()}\n", file=sys.stderr)
    print(table(phases))
    print(f"load average (1 min) before/after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}")
    result = {
        "benchmark": "grpc_load",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # other processes on the machine skew every number: the load average says how busy
            "loadavg_1m_before": load_before[0],
            "loadavg_1m_after": os.getloadavg()[0],
        },
        "options": {
            k: str(v) if isinstance(v, pathlib.Path) else v for k, v in vars(options).items()
        },
        "server_exit_status": code,
        "phases": [{k: v for k, v in asdict(p).items() if k != "latencies_ms"} for p in phases],
    }
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {options.out}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
