"""The kernel: (commands, state, now) -> records, responses. Pure and deterministic.

``Kernel.process`` takes a batch of client commands, processes each one and every follow-up
command it causes before the next, and returns what to append to the log and whom to answer.
``Kernel.due_commands`` turns the due-date indexes (timers, job deadlines and back-offs, message
time-to-live) into commands for a given time."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cadenza.kernel import _commands as commands
from cadenza.kernel import _deployment as deployment
from cadenza.kernel import (
    _elements_containers,  # noqa: F401  (registers processors)
    _elements_events,  # noqa: F401
    _elements_gateways,  # noqa: F401
    _elements_tasks,  # noqa: F401
)
from cadenza.kernel._appliers import APPLIERS, replay
from cadenza.kernel._command_fields import invalid_fields
from cadenza.kernel._context import Batch, Context
from cadenza.kernel._flow import Bpmn
from cadenza.kernel._intents import PI, Creation, Job, Message, Timer
from cadenza.kernel._multi_instance import MultiInstanceBody
from cadenza.kernel._records import Record, RecordType, RejectionType, ValueType
from cadenza.kernel._state import State
from cadenza.kernel._triggers import Events

Processor = Callable[[Bpmn, Record], None]


def _activate(bpmn: Bpmn, command: Record) -> None:
    bpmn.start_activation(command)


def _complete(bpmn: Bpmn, command: Record) -> None:
    instance = bpmn.state.elements.get(command.key)
    if instance is not None:
        bpmn.complete(instance)


def _terminate(bpmn: Bpmn, command: Record) -> None:
    instance = bpmn.state.elements.get(command.key)
    if instance is not None:
        bpmn.terminate(instance)


def _publish(bpmn: Bpmn, command: Record) -> None:
    bpmn.events.publish(bpmn, command)


def _correlate(bpmn: Bpmn, command: Record) -> None:
    bpmn.events.correlate_now(bpmn, command)


def _expire(bpmn: Bpmn, command: Record) -> None:
    message = bpmn.state.messages.get(command.key)
    if message is not None and message.deadline <= bpmn.ctx.now:
        bpmn.ctx.event(ValueType.MESSAGE, Message.EXPIRED, command.key, message.value)


def _broadcast(bpmn: Bpmn, command: Record) -> None:
    name = command.value.get("signalName") or ""
    if not name:
        bpmn.ctx.reject(command, RejectionType.INVALID_ARGUMENT, "Expected a signal name.")
        return
    values = command.value.get("variables") or {}
    value = {"signalName": name, "variables": values, "tenantId": "<default>"}
    broadcasted = bpmn.ctx.event(ValueType.SIGNAL, "BROADCASTED", bpmn.ctx.new_key(), value)
    bpmn.ctx.respond(command, broadcasted)
    bpmn.events.broadcast(bpmn, name, values)


def _trigger_timer(bpmn: Bpmn, command: Record) -> None:
    bpmn.events.fire_timer(bpmn, command)


PROCESSORS: dict[tuple[ValueType, str], Processor] = {
    (ValueType.DEPLOYMENT, "CREATE"): deployment.deploy,
    (ValueType.DECISION_EVALUATION, "EVALUATE"): deployment.evaluate,
    (ValueType.RESOURCE_DELETION, "DELETE"): deployment.delete_resource,
    (ValueType.PROCESS_INSTANCE_CREATION, Creation.CREATE): commands.create_instance,
    (ValueType.PROCESS_INSTANCE_CREATION, Creation.CREATE_WITH_AWAITING_RESULT): (
        commands.create_instance
    ),
    (ValueType.PROCESS_INSTANCE, PI.ACTIVATE_ELEMENT): _activate,
    (ValueType.PROCESS_INSTANCE, PI.COMPLETE_ELEMENT): _complete,
    (ValueType.PROCESS_INSTANCE, PI.TERMINATE_ELEMENT): _terminate,
    (ValueType.PROCESS_INSTANCE, PI.CANCEL): commands.cancel_instance,
    (ValueType.JOB, Job.COMPLETE): commands.complete_job,
    (ValueType.JOB, Job.FAIL): commands.fail_job,
    (ValueType.JOB, Job.THROW_ERROR): commands.throw_error,
    (ValueType.JOB, Job.UPDATE_RETRIES): commands.update_retries,
    (ValueType.JOB, Job.UPDATE_TIMEOUT): commands.update_timeout,
    (ValueType.JOB, Job.TIME_OUT): commands.time_out_job,
    (ValueType.JOB, Job.RECUR_AFTER_BACKOFF): commands.recur_job,
    (ValueType.JOB_BATCH, "ACTIVATE"): commands.activate_jobs,
    (ValueType.MESSAGE, Message.PUBLISH): _publish,
    (ValueType.MESSAGE, Message.EXPIRE): _expire,
    (ValueType.MESSAGE, "CORRELATE"): _correlate,
    (ValueType.SIGNAL, "BROADCAST"): _broadcast,
    (ValueType.TIMER, Timer.TRIGGER): _trigger_timer,
    (ValueType.INCIDENT, "RESOLVE"): commands.resolve_incident,
    (ValueType.VARIABLE_DOCUMENT, "UPDATE"): commands.update_variables,
    (ValueType.USER_TASK, "ASSIGN"): commands.user_task_command,
    (ValueType.USER_TASK, "CLAIM"): commands.user_task_command,
    (ValueType.USER_TASK, "UPDATE"): commands.user_task_command,
    (ValueType.USER_TASK, "COMPLETE"): commands.user_task_command,
}


def command(
    value_type: ValueType,
    intent: str,
    value: dict[str, object] | None = None,
    key: int = -1,
    request_id: int = -1,
) -> Record:
    """A client command record (timestamp and position are set when it is processed)."""
    return Record(
        key, RecordType.COMMAND, value_type, intent, dict(value or {}), 0, request_id=request_id
    )


class Kernel:
    """The pure engine of one partition."""

    def __init__(self, partition_id: int = 1, state: State | None = None) -> None:
        self.state = state if state is not None else State(partition_id)
        self.events = Events()
        self.multi_instance = MultiInstanceBody()

    def process(self, client_commands: Iterable[Record], now: int) -> Batch:
        """Process a batch of client commands at time ``now`` (ms since the epoch)."""
        batch = Batch()
        ctx = Context(self.state, APPLIERS, now, batch)
        bpmn = Bpmn(ctx, self.events, self.multi_instance)
        for client_command in client_commands:
            client_command.timestamp = now
            client_command.partition_id = self.state.partition_id
            self.state.last_position += 1
            client_command.position = self.state.last_position
            batch.records.append(client_command)
            ctx.source_position = client_command.position
            self._dispatch(bpmn, client_command)
            while ctx.commands:
                self._dispatch(bpmn, ctx.commands.popleft())
        return batch

    def _dispatch(self, bpmn: Bpmn, record: Record) -> None:
        processor = PROCESSORS.get((record.value_type, record.intent))
        if processor is None:
            bpmn.ctx.reject(
                record,
                RejectionType.INVALID_ARGUMENT,
                f"Expected a known command, but got {record.value_type.name} {record.intent}",
            )
            return
        problem = invalid_fields(record)
        if problem is not None:
            bpmn.ctx.reject(record, RejectionType.INVALID_ARGUMENT, problem)
            return
        processor(bpmn, record)

    def replay(self, records: Iterable[Record]) -> None:
        """Rebuild the state from logged records (recovery)."""
        replay(self.state, records)

    # -- due work -----------------------------------------------------------------------------
    def due_commands(self, now: int) -> list[Record]:
        """Commands for everything due at ``now``: timers, job deadlines and back-offs,
        message expiry. Stale index entries are pruned."""
        state = self.state
        due: list[Record] = []

        def timer_live(entry: tuple[int, int]) -> bool:
            timer = state.timers.get(entry[1])
            return timer is not None and timer.value["dueDate"] == entry[0]

        for entry in state.timer_due.pop_due(now):
            if timer_live(entry):
                due.append(command(ValueType.TIMER, Timer.TRIGGER, key=entry[1]))

        def deadline_live(entry: tuple[int, int]) -> bool:
            job = state.jobs.get(entry[1])
            return (
                job is not None and job.state == "ACTIVATED" and job.value["deadline"] == entry[0]
            )

        for entry in state.job_deadlines.pop_due(now):
            if deadline_live(entry):
                due.append(command(ValueType.JOB, Job.TIME_OUT, key=entry[1]))

        def backoff_live(entry: tuple[int, int]) -> bool:
            job = state.jobs.get(entry[1])
            return (
                job is not None
                and job.state == "FAILED"
                and job.value.get("recurringTime") == entry[0]
            )

        for entry in state.job_backoffs.pop_due(now):
            if backoff_live(entry):
                due.append(command(ValueType.JOB, Job.RECUR_AFTER_BACKOFF, key=entry[1]))

        def message_live(entry: tuple[int, int]) -> bool:
            message = state.messages.get(entry[1])
            return message is not None and message.deadline == entry[0]

        for entry in state.message_deadlines.pop_due(now):
            if message_live(entry):
                due.append(command(ValueType.MESSAGE, Message.EXPIRE, key=entry[1]))
        return due

    def next_due(self) -> int | None:
        """The earliest time something may be due (a hint: entries may be stale)."""
        times = [
            t
            for t in (
                self.state.timer_due.next_due(),
                self.state.job_deadlines.next_due(),
                self.state.job_backoffs.next_due(),
                self.state.message_deadlines.next_due(),
            )
            if t is not None
        ]
        return min(times) if times else None
