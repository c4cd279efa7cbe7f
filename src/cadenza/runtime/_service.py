"""The engine as a service for the gateways: one processing thread per partition takes queued
commands in batches, commits each batch in one transaction (group commit), then answers, wakes
long polls and pushes jobs to streams. Implements ``cadenza.api._port.EnginePort``."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from cadenza.api._port import (
    Answer,
    AnswerTimeout,
    Backpressure,
    Command,
    CommandRejected,
    JobActivation,
    PartitionInfo,
    Topology,
)
from cadenza.kernel import Batch, Record, RecordType, ValueType, command
from cadenza.runtime._clock import Clock, SystemClock
from cadenza.runtime._partition import Partition
from cadenza.store import LogStore

log = logging.getLogger("cadenza.service")
GATEWAY_VERSION = "8.8.0"


@dataclass(slots=True)
class _Pending:
    record: Record
    future: Future[Record]
    deadline: float | None  # monotonic seconds, for answers that come later


class EngineService:
    """Serialises commands into one partition's log; thread-safe; asyncio-friendly."""

    def __init__(
        self,
        store: LogStore,
        *,
        clock: Clock | None = None,
        max_in_flight: int = 10_000,
        max_batch: int = 2_000,
        query: Callable[..., Any] | None = None,
        host: str = "127.0.0.1",
        grpc_port: int = 26500,
    ) -> None:
        self.partition = Partition(store, clock or SystemClock())
        self.store = store
        self.max_in_flight = max_in_flight
        self.max_batch = max_batch
        self._query = query
        self.host = host
        self.grpc_port = grpc_port
        self._queue: deque[_Pending] = deque()
        self._waiting: dict[int, _Pending] = {}  # request id -> answered in a later batch
        self._wakeup = threading.Condition()
        self._stopping = False
        self._job_waiters: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
        self._thread = threading.Thread(target=self._loop, name="cadenza-partition-1", daemon=True)
        self._thread.start()

    # -- the processing thread ---------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._wakeup:
                while not self._queue and not self._stopping:
                    timeout = self._sleep_time()
                    if timeout <= 0:
                        break
                    self._wakeup.wait(timeout)
                if self._stopping and not self._queue:
                    return
                taken = [
                    self._queue.popleft() for _ in range(min(len(self._queue), self.max_batch))
                ]
            try:
                self._process(taken)
            except Exception as error:  # a store failure: nothing was acknowledged
                log.exception("a batch could not be committed")
                for pending in taken:
                    if not pending.future.done():
                        pending.future.set_exception(error)

    def _sleep_time(self) -> float:
        due = self.partition.kernel.next_due()
        if self._waiting:
            soonest = min((p.deadline for p in self._waiting.values() if p.deadline), default=None)
            if soonest is not None:
                return max(0.0, min(0.2, soonest - time.monotonic()))
        if due is None:
            return 0.2
        return max(0.0, min(0.2, due / 1000 - time.time()))

    def _process(self, taken: list[_Pending]) -> None:
        batch = self.partition.process([p.record for p in taken]) if taken else None
        due = self.partition.due()
        by_request = {p.record.request_id: p for p in taken}
        for current in (batch, due):
            if current is None:
                continue
            for response in current.responses:
                pending = by_request.pop(response.request_id, None) or self._waiting.pop(
                    response.request_id, None
                )
                if pending is not None and not pending.future.done():
                    pending.future.set_result(response.record)
            self._notify(current)
        for pending in by_request.values():  # answered later (create with result)
            self._waiting[pending.record.request_id] = pending
        now = time.monotonic()
        for request_id, pending in list(self._waiting.items()):
            if pending.deadline is not None and pending.deadline <= now:
                del self._waiting[request_id]
                if not pending.future.done():
                    pending.future.set_exception(AnswerTimeout("the request timed out"))

    def _notify(self, batch: Batch) -> None:
        for job_type in batch.job_types:
            for loop, event in self._job_waiters.pop(job_type, []):
                loop.call_soon_threadsafe(event.set)

    def submit(self, record: Record, timeout_s: float | None = None) -> Future[Record]:
        """Queue a command; the future gets the answering record (or rejection)."""
        future: Future[Record] = Future()
        with self._wakeup:
            if self._stopping:
                raise Backpressure("the engine is shutting down")
            if len(self._queue) + len(self._waiting) >= self.max_in_flight:
                raise Backpressure(
                    f"the engine has {self.max_in_flight} commands in flight; retry later"
                )
            record.request_id = self.partition.next_request_id()
            deadline = time.monotonic() + timeout_s if timeout_s else None
            self._queue.append(_Pending(record, future, deadline))
            self._wakeup.notify()
        return future

    def close(self) -> None:
        """Finish the queued commands, stop the thread, close the store."""
        with self._wakeup:
            self._stopping = True
            self._wakeup.notify()
        self._thread.join()
        self.store.close()

    # -- EnginePort --------------------------------------------------------------------------
    async def execute(self, cmd: Command) -> Answer:
        """Run one command; its answer, or ``CommandRejected`` / ``Backpressure`` /
        ``AnswerTimeout``."""
        timeout_s = cmd.timeout_ms / 1000 if cmd.timeout_ms else None
        record = command(cmd.value_type, cmd.intent, dict(cmd.value), cmd.key)
        future = self.submit(record, timeout_s)
        answer = await asyncio.wrap_future(future)
        if answer.record_type is RecordType.COMMAND_REJECTION:
            raise CommandRejected(answer.rejection_type, answer.rejection_reason)
        return Answer(answer.key, answer.intent, answer.value)

    async def activate_jobs(self, request: JobActivation) -> list[dict[str, Any]]:
        """Activate up to ``max_jobs`` jobs now."""
        if not self.partition.kernel.state.activatable.get(request.type):
            return []
        answer = await self.execute(
            Command(
                ValueType.JOB_BATCH,
                "ACTIVATE",
                {
                    "type": request.type,
                    "worker": request.worker,
                    "timeout": request.timeout_ms,
                    "maxJobsToActivate": request.max_jobs,
                    "variables": list(request.fetch_variables),
                    "tenantIds": list(request.tenant_ids),
                },
            )
        )
        return [
            {"key": key, **job}
            for key, job in zip(answer.value["jobKeys"], answer.value["jobs"], strict=True)
        ]

    async def wait_for_jobs(self, job_type: str, timeout_s: float) -> bool:
        """Wait until jobs of ``job_type`` may be activatable, or the timeout passes."""
        event = asyncio.Event()
        loop = asyncio.get_running_loop()
        with self._wakeup:
            self._job_waiters.setdefault(job_type, []).append((loop, event))
        if self.partition.kernel.state.activatable.get(job_type):
            return True
        try:
            await asyncio.wait_for(event.wait(), timeout_s)
            return True
        except TimeoutError:
            return False

    async def stream_jobs(self, request: JobActivation) -> AsyncIterator[dict[str, Any]]:
        """Push jobs of ``request.type`` as they become activatable."""
        batch_size = max(1, min(request.max_jobs or 32, 100))
        while not self._stopping:
            jobs = await self.activate_jobs(
                JobActivation(
                    request.type,
                    request.worker,
                    request.timeout_ms,
                    batch_size,
                    request.fetch_variables,
                    request.tenant_ids,
                )
            )
            for job in jobs:
                yield job
            if not jobs:
                await self.wait_for_jobs(request.type, 1.0)

    async def topology(self) -> Topology:
        """One node leading one partition."""
        return Topology(
            cluster_size=1,
            partitions_count=1,
            replication_factor=1,
            gateway_version=GATEWAY_VERSION,
            node_id=0,
            host=self.host,
            port=self.grpc_port,
            partitions=[PartitionInfo(1)],
        )

    async def query(self, name: str, **params: Any) -> Any:
        """Read-model queries (REST searches); answered on a worker thread."""
        if self._query is None:
            raise LookupError("this engine has no read model")
        return await asyncio.to_thread(self._query, name, **params)
