"""The engine as a service for the gateways: one processing thread per partition takes queued
commands in batches, commits each batch in one transaction (group commit), then answers, wakes
long polls and pushes jobs to streams. Implements ``cadenza.api._port.EnginePort``."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import json
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
from cadenza.kernel import Batch, Record, RecordType, RejectionType, ValueType, command
from cadenza.runtime._clock import Clock, SystemClock
from cadenza.runtime._partition import Partition
from cadenza.store import LogStore

log = logging.getLogger("cadenza.service")
GATEWAY_VERSION = "8.8.0"


RELIEVING: frozenset[tuple[ValueType, str]] = frozenset(
    {
        (ValueType.JOB, "COMPLETE"),
        (ValueType.JOB, "FAIL"),
        (ValueType.JOB, "THROW_ERROR"),
        (ValueType.JOB_BATCH, "ACTIVATE"),
    }
)
"""Commands that let waiting work finish; the in-flight limit lets them through."""


@dataclass(slots=True)
class _Pending:
    """A queued command and where its answer goes: a thread-safe future (``submit``) or an
    asyncio future of the loop that awaits it (``execute``)."""

    record: Record
    future: Future[Record] | None
    waiter: asyncio.Future[Record] | None = None
    loop: asyncio.AbstractEventLoop | None = None
    deadline: float | None = None  # monotonic seconds, for answers that come later


Outcome = tuple[asyncio.Future[Record], Record | BaseException]


def _settle(outcomes: list[Outcome]) -> None:
    """On the waiters' loop: hand each its answer (a waiter cancelled meanwhile is skipped)."""
    for waiter, outcome in outcomes:
        if waiter.done():
            continue
        if isinstance(outcome, BaseException):
            waiter.set_exception(outcome)
        else:
            waiter.set_result(outcome)


class _Answers:
    """The answers of one batch, grouped by event loop so that each loop is woken once per
    batch rather than once per answer (a wake-up costs a write to the loop's self-pipe)."""

    __slots__ = ("by_loop",)

    def __init__(self) -> None:
        self.by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}

    def add(self, pending: _Pending, outcome: Record | BaseException) -> None:
        """Answer ``pending`` with a record or an exception (delivered by ``send``)."""
        if pending.future is not None:
            if not pending.future.done():
                if isinstance(outcome, BaseException):
                    pending.future.set_exception(outcome)
                else:
                    pending.future.set_result(outcome)
        elif pending.waiter is not None and pending.loop is not None:
            self.by_loop.setdefault(pending.loop, []).append((pending.waiter, outcome))

    def send(self) -> None:
        """Deliver what was added, one call per loop."""
        for loop, outcomes in self.by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop closed: nobody waits anymore
                loop.call_soon_threadsafe(_settle, outcomes)
        self.by_loop.clear()


def _check_variables(cmd: Command, limit: int | None) -> None:
    """Refuse a command whose variables are not JSON (NaN, Infinity) or, as compact JSON, are
    larger than ``limit`` bytes: INVALID_ARGUMENT, never a failure inside the engine."""
    variables = cmd.value.get("variables")
    if not variables or not isinstance(variables, dict):
        return
    try:
        text = json.dumps(variables, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as error:
        raise CommandRejected(
            RejectionType.INVALID_ARGUMENT,
            f"Expected the variables of command '{cmd.value_type.name} {cmd.intent}' to be a "
            f"JSON document, but they are not: {error}",
        ) from None
    if limit is not None and len(text) > limit // 4:  # UTF-8 needs at most 4 bytes a character
        size = len(text.encode())
        if size > limit:
            raise CommandRejected(
                RejectionType.INVALID_ARGUMENT,
                f"Expected the variables of command '{cmd.value_type.name} {cmd.intent}' to be "
                f"at most {limit} bytes as JSON, but they are {size} bytes",
            )


class EngineService:
    """Serialises commands into one partition's log; thread-safe; asyncio-friendly."""

    def __init__(
        self,
        store: LogStore,
        *,
        clock: Clock | None = None,
        max_in_flight: int = 10_000,
        max_batch: int = 2_000,
        max_variables_bytes: int | None = None,
        query: Callable[..., Any] | None = None,
        host: str = "127.0.0.1",
        grpc_port: int = 26500,
    ) -> None:
        self.partition = Partition(store, clock or SystemClock())
        self.store = store
        self.max_in_flight = max_in_flight
        self.max_batch = max_batch
        self.max_variables_bytes = max_variables_bytes
        self._query = query
        self.host = host
        self.grpc_port = grpc_port
        self._queue: deque[_Pending] = deque()
        self._waiting: dict[int, _Pending] = {}  # request id -> answered in a later batch
        self._deadlines: list[tuple[float, int]] = []  # heap of (deadline, request id)
        # request ids are this service's own: taking them from the partition would wait for
        # its lock, which the processing thread holds for a whole batch
        self._request_ids = itertools.count(1)
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
            answers = _Answers()
            try:
                self._process(taken, answers)
            except Exception as error:  # a store failure: nothing was acknowledged
                log.exception("a batch could not be committed")
                for pending in taken:
                    answers.add(pending, error)
            answers.send()

    def _sleep_time(self) -> float:
        due = self.partition.kernel.next_due()
        wait = 0.2
        if self._deadlines:
            wait = min(wait, self._deadlines[0][0] - time.monotonic())
        if due is not None:
            wait = min(wait, due / 1000 - time.time())
        return max(0.0, wait)

    def _process(self, taken: list[_Pending], answers: _Answers) -> None:
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
                if pending is not None:
                    answers.add(pending, response.record)
            self._notify(current)
        for request_id, pending in by_request.items():  # answered later (create with result)
            self._waiting[request_id] = pending
            if pending.deadline is not None:
                heapq.heappush(self._deadlines, (pending.deadline, request_id))
        now = time.monotonic()
        while self._deadlines and self._deadlines[0][0] <= now:
            _, request_id = heapq.heappop(self._deadlines)
            expired = self._waiting.pop(request_id, None)
            if expired is not None:
                answers.add(expired, AnswerTimeout("the request timed out"))

    def _notify(self, batch: Batch) -> None:
        if not batch.job_types:
            return
        with self._wakeup:
            woken = [self._job_waiters.pop(job_type, []) for job_type in batch.job_types]
        for loop, event in itertools.chain.from_iterable(woken):
            loop.call_soon_threadsafe(event.set)

    def submit(self, record: Record, timeout_s: float | None = None) -> Future[Record]:
        """Queue a command; the future gets the answering record (or rejection).

        Raises ``Backpressure`` when ``max_in_flight`` commands are queued or waiting for a
        later answer. Commands that finish work (``RELIEVING``) pass that limit, as in Zeebe:
        refusing them under load would keep every waiting instance from completing; a separate
        bound of twice the limit keeps the queue bounded even so."""
        future: Future[Record] = Future()
        self._enqueue(_Pending(record, future), timeout_s)
        return future

    def _enqueue(self, pending: _Pending, timeout_s: float | None) -> None:
        record = pending.record
        relieving = (record.value_type, record.intent) in RELIEVING
        with self._wakeup:
            if self._stopping:
                raise Backpressure("the engine is shutting down")
            in_flight = len(self._queue) + len(self._waiting)
            if in_flight >= self.max_in_flight * (2 if relieving else 1):
                raise Backpressure(
                    f"the engine has {self.max_in_flight} commands in flight; retry later"
                )
            record.request_id = next(self._request_ids)
            if timeout_s:
                pending.deadline = time.monotonic() + timeout_s
            self._queue.append(pending)
            if len(self._queue) == 1:  # else the thread is busy and will look at the queue
                self._wakeup.notify()

    def close(self) -> None:
        """Finish the queued commands, stop the thread, close the store."""
        with self._wakeup:
            self._stopping = True
            self._wakeup.notify()
        self._thread.join()
        try:
            self.partition.snapshot_if_behind()
        finally:
            self.store.close()

    # -- EnginePort --------------------------------------------------------------------------
    async def execute(self, cmd: Command) -> Answer:
        """Run one command; its answer, or ``CommandRejected`` / ``Backpressure`` /
        ``AnswerTimeout``."""
        _check_variables(cmd, self.max_variables_bytes)
        timeout_s = cmd.timeout_ms / 1000 if cmd.timeout_ms else None
        record = command(cmd.value_type, cmd.intent, dict(cmd.value), cmd.key)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Record] = loop.create_future()
        self._enqueue(_Pending(record, None, waiter, loop), timeout_s)
        answer = await waiter
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
        finally:
            with self._wakeup:  # an idle job type must not collect a waiter per poll
                waiters = self._job_waiters.get(job_type)
                if waiters is not None and (loop, event) in waiters:
                    waiters.remove((loop, event))
                    if not waiters:
                        del self._job_waiters[job_type]

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
