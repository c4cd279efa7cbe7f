"""One partition: the kernel, its store and its clock. Process a batch, append it in one
transaction, then hand back the answers."""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Sequence

from cadenza.kernel import Batch, Kernel, Record, RejectionType
from cadenza.kernel._records import RecordType
from cadenza.kernel._snapshot import FORMAT_VERSION, from_snapshot, to_snapshot
from cadenza.runtime._clock import Clock
from cadenza.runtime._gc import tune_gc
from cadenza.store import LogStore, Snapshot

log = logging.getLogger("cadenza.runtime")

_RECORD_FIELDS = tuple(field.name for field in dataclasses.fields(Record))


def _copy(command: Record) -> Record:
    """A shallow copy of ``command``: the kernel stamps the records it is given (position,
    timestamp), and a failed batch is retried from the caller's untouched commands. Field by
    field, this costs about 40 % less than ``dataclasses.replace``, which goes through ``__init__``
    with keyword arguments."""
    copy = object.__new__(Record)
    for name in _RECORD_FIELDS:
        setattr(copy, name, getattr(command, name))
    return copy


class Partition:
    """The single writer of one partition's log. Thread-safe: calls are serialised."""

    def __init__(
        self,
        store: LogStore,
        clock: Clock,
        partition_id: int = 1,
        *,
        snapshot_every: int = 200_000,
        snapshot_interval_s: float = 30.0,
    ) -> None:
        self.store = store
        self.clock = clock
        self.partition_id = partition_id
        self.snapshot_every = snapshot_every
        self.snapshot_interval_s = snapshot_interval_s
        self.lock = threading.RLock()
        tune_gc()
        self.kernel = self._recover()
        self._snapshot_position = self.kernel.state.last_position
        self._snapshot_time = time.monotonic()
        self._last_now = 0
        self._request_ids = 0

    def _recover(self) -> Kernel:
        """Latest snapshot, then the log after it."""
        snapshot = self.store.latest_snapshot(self.partition_id)
        if snapshot is not None and snapshot.format_version == FORMAT_VERSION:
            kernel = Kernel(self.partition_id, from_snapshot(json.loads(snapshot.state)))
            kernel.replay(self.store.read(self.partition_id, snapshot.position))
            return kernel
        kernel = Kernel(self.partition_id)
        kernel.replay(self.store.read(self.partition_id))
        return kernel

    def snapshot(self) -> None:
        """Write a snapshot of the state now (bounds the replay at the next start)."""
        with self.lock:
            state = self.kernel.state
            data = json.dumps(to_snapshot(state), separators=(",", ":")).encode()
            self.store.save_snapshot(
                Snapshot(self.partition_id, state.last_position, data, FORMAT_VERSION)
            )
            self._snapshot_position = state.last_position
            self._snapshot_time = time.monotonic()

    def snapshot_if_behind(self, records: int = 10_000) -> None:
        """Write a snapshot when at least ``records`` records came since the last one (on a
        clean shutdown, so the next start replays little)."""
        with self.lock:
            if self.kernel.state.last_position - self._snapshot_position >= records:
                self.snapshot()

    def _maybe_snapshot(self) -> None:
        behind = self.kernel.state.last_position - self._snapshot_position
        if behind >= self.snapshot_every and (
            time.monotonic() - self._snapshot_time >= self.snapshot_interval_s
        ):
            self.snapshot()

    def next_request_id(self) -> int:
        """A request id to attach to a client command, to find its answer."""
        with self.lock:
            self._request_ids += 1
            return self._request_ids

    def now(self) -> int:
        """The clock, never going backwards."""
        now = max(self.clock.now_ms(), self._last_now)
        self._last_now = now
        return now

    def process(self, commands: Sequence[Record]) -> Batch:
        """Process ``commands`` and make the result durable before returning it."""
        with self.lock:
            now = self.now()
            try:
                batch = self.kernel.process([_copy(c) for c in commands], now)
            except Exception:
                log.exception("processing a batch failed; recovering and isolating the command")
                batch = self._isolate(commands, now)
            self.store.append(self.partition_id, batch.records)
            self._maybe_snapshot()
            return batch

    def _isolate(self, commands: Sequence[Record], now: int) -> Batch:
        """After an unexpected error: rebuild the state from the log and process the commands
        one at a time, rejecting the one that fails (its effects are discarded)."""
        self.kernel = self._recover()
        total = Batch()
        for command in commands:
            try:
                batch = self.kernel.process([_copy(command)], now)
            except Exception as error:
                log.exception("command %s %s failed", command.value_type.name, command.intent)
                self.kernel = Kernel(self.partition_id)
                self.kernel.replay(self.store.read(self.partition_id))
                self.kernel.replay(total.records)
                rejection = dataclasses.replace(
                    command,
                    record_type=RecordType.COMMAND_REJECTION,
                    rejection_type=RejectionType.PROCESSING_ERROR,
                    rejection_reason=f"Expected to process the command, but failed: {error!r}",
                    timestamp=now,
                )
                self.kernel.state.last_position += 1
                rejection.position = self.kernel.state.last_position
                batch = Batch(records=[rejection])
                if command.request_id >= 0:
                    from cadenza.kernel import Response

                    batch.responses.append(Response(command.request_id, rejection))
            total.records.extend(batch.records)
            total.responses.extend(batch.responses)
            total.job_types |= batch.job_types
        return total

    def due(self) -> Batch | None:
        """Process what is due now (timers, job deadlines, back-offs, expiry), if anything."""
        with self.lock:
            commands = self.kernel.due_commands(self.now())
            if not commands:
                return None
            return self.process(commands)
