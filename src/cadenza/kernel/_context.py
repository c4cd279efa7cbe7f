"""The writers a processor uses: events (applied as written), follow-up commands, rejections and
responses. One ``Batch`` collects everything a batch of commands produced."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cadenza.kernel._records import Record as Record
from cadenza.kernel._records import RecordType, RejectionType, ValueType
from cadenza.kernel._state import State

Applier = Callable[[State, Record], None]


@dataclass(slots=True)
class Response:
    """The answer to a client request: the event that answers it, or a rejection."""

    request_id: int
    record: Record


@dataclass(slots=True)
class Batch:
    """What processing a batch of commands produced.

    ``records`` are to be appended to the log in order (client commands, events, rejections);
    ``responses`` are sent only after the records are durable; ``job_types`` names the job types
    that became activatable (to wake workers); ``pushed_jobs`` are jobs activated for push
    streams."""

    records: list[Record] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    job_types: set[str] = field(default_factory=set)


class Context:
    """The writer side of processing, bound to one batch and one point in time (``now``, ms)."""

    __slots__ = ("appliers", "batch", "commands", "now", "source_position", "state")

    def __init__(
        self,
        state: State,
        appliers: dict[tuple[ValueType, str], Applier],
        now: int,
        batch: Batch,
    ) -> None:
        self.state = state
        self.appliers = appliers
        self.now = now
        self.batch = batch
        self.commands: deque[Record] = deque()
        self.source_position = -1

    def _position(self) -> int:
        self.state.last_position += 1
        return self.state.last_position

    def new_key(self) -> int:
        """A fresh key from the partition's generator."""
        return self.state.next_key()

    def event(self, value_type: ValueType, intent: str, key: int, value: dict[str, Any]) -> Record:
        """Write an event and apply it to the state at once."""
        record = Record(
            key,
            RecordType.EVENT,
            value_type,
            intent,
            value,
            self.now,
            self._position(),
            self.source_position,
            self.state.partition_id,
        )
        applier = self.appliers.get((value_type, intent))
        if applier is not None:
            applier(self.state, record)
        self.batch.records.append(record)
        return record

    def variable_event(self, decoded: Any, intent: str, key: int, value: dict[str, Any]) -> Record:
        """Write a VARIABLE event whose JSON text encodes ``decoded`` (spares the applier a
        decode)."""
        record = Record(
            key,
            RecordType.EVENT,
            ValueType.VARIABLE,
            intent,
            value,
            self.now,
            self._position(),
            self.source_position,
            self.state.partition_id,
            decoded=decoded,
        )
        applier = self.appliers.get((ValueType.VARIABLE, intent))
        if applier is not None:
            applier(self.state, record)
        self.batch.records.append(record)
        return record

    def command(self, value_type: ValueType, intent: str, key: int, value: dict[str, Any]) -> None:
        """Queue a follow-up command, processed within this batch.

        Follow-up commands are not appended to the log: the batch that queues them also
        processes them before it commits, so recovery never needs them."""
        self.commands.append(
            Record(
                key,
                RecordType.COMMAND,
                value_type,
                intent,
                value,
                self.now,
                0,
                self.source_position,
                self.state.partition_id,
            )
        )

    def reject(self, command: Record, rejection_type: RejectionType, reason: str) -> None:
        """Refuse ``command``: a rejection record, and the answer when a client waits."""
        record = Record(
            command.key,
            RecordType.COMMAND_REJECTION,
            command.value_type,
            command.intent,
            command.value,
            self.now,
            self._position(),
            command.position if command.position else self.source_position,
            self.state.partition_id,
            rejection_type,
            reason,
        )
        self.batch.records.append(record)
        if command.request_id >= 0:
            self.batch.responses.append(Response(command.request_id, record))

    def respond(self, command: Record, record: Record) -> None:
        """Answer the client waiting for ``command`` with ``record`` (if one waits)."""
        if command.request_id >= 0:
            self.batch.responses.append(Response(command.request_id, record))

    def respond_to(self, request_id: int, record: Record) -> None:
        """Answer an earlier request (create with result) with ``record``."""
        if request_id >= 0:
            self.batch.responses.append(Response(request_id, record))

    def job_available(self, job_type: str) -> None:
        """Note that jobs of ``job_type`` can be activated (wakes long polls and streams)."""
        self.batch.job_types.add(job_type)
