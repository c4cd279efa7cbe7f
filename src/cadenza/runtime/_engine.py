"""The embedded engine: deploy, start, correlate, work, query, from plain Python.

Every call's commands are committed to the store before it returns. ``run_until_idle`` drives
in-process workers and due timers, many commands per transaction (group commit)."""

from __future__ import annotations

import os
import pathlib
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cadenza.errors import CommandRejected
from cadenza.kernel import Batch, Record, RecordType, ValueType, command
from cadenza.runtime._clock import Clock, SystemClock
from cadenza.runtime._memory import MemoryStore
from cadenza.runtime._partition import Partition
from cadenza.runtime._workers import ActivatedJob, BpmnError, Handler, Worker
from cadenza.store import LogStore

Resource = str | os.PathLike[str] | tuple[str, bytes | str]


@dataclass(frozen=True, slots=True)
class DeployedProcessInfo:
    """A process version in a deployment's answer."""

    bpmn_process_id: str
    version: int
    process_definition_key: int
    resource_name: str
    is_duplicate: bool


@dataclass(frozen=True, slots=True)
class Deployment:
    """The answer to a deployment."""

    key: int
    processes: tuple[DeployedProcessInfo, ...]
    decisions: tuple[dict[str, Any], ...]
    forms: tuple[dict[str, Any], ...]


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)


def _read(resource: Resource) -> tuple[str, bytes | str]:
    if isinstance(resource, tuple):
        return resource
    path = pathlib.Path(resource)
    return path.name, path.read_bytes()


class Engine:
    """An engine in this process, on SQLite (a path) or in memory (no path).

    ``store`` may be given instead of ``path`` (e.g. a ``PostgresStore``)."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        store: LogStore | None = None,
        clock: Clock | None = None,
    ) -> None:
        if store is None:
            if path is None:
                store = MemoryStore()
            else:
                from cadenza.store import SqliteStore

                store = SqliteStore(path)
        self.store = store
        self.partition = Partition(store, clock or SystemClock())
        self._workers: dict[str, Worker] = {}
        self._awaited: dict[int, Record | None] = {}  # request id -> late answer
        self.batch_listeners: list[Callable[[Batch], None]] = []

    # -- plumbing ----------------------------------------------------------------------------
    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Snapshot the state if much happened since the last snapshot, then close the store."""
        try:
            self.partition.snapshot_if_behind()
        finally:
            self.store.close()

    def _run(self, commands: Sequence[Record]) -> Batch:
        batch = self.partition.process(commands)
        for response in batch.responses:
            if response.request_id in self._awaited:
                self._awaited[response.request_id] = response.record
        for listener in self.batch_listeners:
            listener(batch)
        return batch

    def execute(
        self,
        value_type: ValueType,
        intent: str,
        value: Mapping[str, Any] | None = None,
        key: int = -1,
    ) -> Record:
        """Run one command and return the record that answers it; raise ``CommandRejected``."""
        request_id = self.partition.next_request_id()
        batch = self._run([command(value_type, intent, dict(value or {}), key, request_id)])
        for response in batch.responses:
            if response.request_id == request_id:
                record = response.record
                if record.record_type is RecordType.COMMAND_REJECTION:
                    raise CommandRejected(record.rejection_type, record.rejection_reason)
                return record
        raise LookupError(f"{value_type.name} {intent} produced no answer")

    @property
    def state(self) -> Any:
        """The kernel state (read it only, and only between calls)."""
        return self.partition.kernel.state

    # -- deployments and instances -----------------------------------------------------------
    def deploy(self, *resources: Resource) -> Deployment:
        """Deploy BPMN, DMN and form resources (paths or ``(name, content)`` pairs)."""
        items = [_read(r) for r in resources]
        answer = self.execute(
            ValueType.DEPLOYMENT,
            "CREATE",
            {"resources": [{"resourceName": n, "resource": c} for n, c in items]},
        )
        value = answer.value
        return Deployment(
            answer.key,
            tuple(
                DeployedProcessInfo(
                    p["bpmnProcessId"],
                    p["version"],
                    p["processDefinitionKey"],
                    p["resourceName"],
                    p["isDuplicate"],
                )
                for p in value["processesMetadata"]
            ),
            tuple(value["decisionsMetadata"]),
            tuple(value["formMetadata"]),
        )

    def create_instance(
        self,
        bpmn_process_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        version: int | None = None,
    ) -> int:
        """Start an instance of the latest (or the given) version; returns its key."""
        answer = self.execute(
            ValueType.PROCESS_INSTANCE_CREATION,
            "CREATE",
            {
                "bpmnProcessId": bpmn_process_id,
                "version": -1 if version is None else version,
                "variables": dict(variables or {}),
            },
        )
        return int(answer.value["processInstanceKey"])

    def create_instances(
        self,
        bpmn_process_id: str,
        variables: Sequence[Mapping[str, Any]],
        *,
        version: int | None = None,
    ) -> list[int]:
        """Start one instance per variables document, committed in one transaction; returns
        their keys in order. Raises ``CommandRejected`` if any creation is refused (the others
        are started)."""
        commands = []
        request_ids = []
        for values in variables:
            request_id = self.partition.next_request_id()
            request_ids.append(request_id)
            commands.append(
                command(
                    ValueType.PROCESS_INSTANCE_CREATION,
                    "CREATE",
                    {
                        "bpmnProcessId": bpmn_process_id,
                        "version": -1 if version is None else version,
                        "variables": dict(values),
                    },
                    request_id=request_id,
                )
            )
        batch = self._run(commands)
        answers = {r.request_id: r.record for r in batch.responses}
        keys = []
        for request_id in request_ids:
            record = answers[request_id]
            if record.record_type is RecordType.COMMAND_REJECTION:
                raise CommandRejected(record.rejection_type, record.rejection_reason)
            keys.append(int(record.value["processInstanceKey"]))
        return keys

    def create_instance_with_result(
        self,
        bpmn_process_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        fetch_variables: Sequence[str] | None = None,
        version: int | None = None,
    ) -> dict[str, Any]:
        """Start an instance, run workers and timers until it completes, return its variables
        (only ``fetch_variables`` when given)."""
        request_id = self.partition.next_request_id()
        self._awaited[request_id] = None
        try:
            self._run(
                [
                    command(
                        ValueType.PROCESS_INSTANCE_CREATION,
                        "CREATE_WITH_AWAITING_RESULT",
                        {
                            "bpmnProcessId": bpmn_process_id,
                            "version": -1 if version is None else version,
                            "variables": dict(variables or {}),
                            "fetchVariables": list(fetch_variables or ()),
                        },
                        request_id=request_id,
                    )
                ]
            )
            if self._awaited[request_id] is None:
                self.run_until_idle()
            answer = self._awaited[request_id]
        finally:
            self._awaited.pop(request_id, None)
        if answer is None:
            raise TimeoutError(
                f"the instance of '{bpmn_process_id}' did not complete: it waits for something "
                "no in-process worker or due timer provides"
            )
        if answer.record_type is RecordType.COMMAND_REJECTION:
            raise CommandRejected(answer.rejection_type, answer.rejection_reason)
        return dict(answer.value["variables"])

    def cancel_instance(self, key: int) -> None:
        """Cancel a process instance."""
        self.execute(ValueType.PROCESS_INSTANCE, "CANCEL", {}, key)

    def instance_state(self, key: int) -> str:
        """ACTIVE while the instance runs; else how its root element ended (from the read
        model when the store has one, else from the log)."""
        if key in self.state.elements:
            return "ACTIVE"
        search = getattr(self.store, "search", None)
        if search is not None:
            from cadenza.store import ProcessInstanceFilter, Query

            found = search(Query(ProcessInstanceFilter(process_instance_key=key))).items
            if found:
                return "COMPLETED" if found[0].state == "COMPLETED" else "TERMINATED"
            raise KeyError(f"no process instance with key {key}")
        for record in self.store.read(self.partition.partition_id):
            if record.key == key and record.intent in ("ELEMENT_COMPLETED", "ELEMENT_TERMINATED"):
                return "COMPLETED" if record.intent == "ELEMENT_COMPLETED" else "TERMINATED"
        raise KeyError(f"no process instance with key {key}")

    def instance_variables(self, instance_key: int) -> dict[str, Any]:
        """The root variables of an instance, as its VARIABLE records left them (also after it
        ended; reads the log)."""
        from cadenza.kernel._variables import decode

        values: dict[str, Any] = {}
        for record in self.store.read(self.partition.partition_id):
            if (
                record.record_type is RecordType.EVENT
                and record.value_type is ValueType.VARIABLE
                and record.value["scopeKey"] == instance_key
            ):
                values[record.value["name"]] = decode(record.value["value"])
        return values

    def set_variables(
        self, scope_key: int, variables: Mapping[str, Any], *, local: bool = False
    ) -> None:
        """Set variables on a scope (an instance or element instance key)."""
        self.execute(
            ValueType.VARIABLE_DOCUMENT,
            "UPDATE",
            {
                "scopeKey": scope_key,
                "updateSemantics": "LOCAL" if local else "PROPAGATE",
                "variables": dict(variables),
            },
        )

    def resolve_incident(self, key: int) -> None:
        """Resolve an incident: the failed step is retried."""
        self.execute(ValueType.INCIDENT, "RESOLVE", {}, key)

    def incidents(self, process_instance_key: int | None = None) -> list[dict[str, Any]]:
        """Open incidents (of one instance, or all), each with its key."""
        return [
            {"key": k, **v}
            for k, v in self.state.incidents.items()
            if process_instance_key is None or v["processInstanceKey"] == process_instance_key
        ]

    # -- messages and signals ----------------------------------------------------------------
    def publish_message(
        self,
        name: str,
        correlation_key: str = "",
        variables: Mapping[str, Any] | None = None,
        *,
        ttl: timedelta = timedelta(0),
        message_id: str = "",
    ) -> int:
        """Publish a message; returns its key."""
        return self.execute(
            ValueType.MESSAGE,
            "PUBLISH",
            {
                "name": name,
                "correlationKey": correlation_key,
                "timeToLive": _ms(ttl),
                "messageId": message_id,
                "variables": dict(variables or {}),
            },
        ).key

    def broadcast_signal(self, name: str, variables: Mapping[str, Any] | None = None) -> int:
        """Broadcast a signal; returns its key."""
        return self.execute(
            ValueType.SIGNAL, "BROADCAST", {"signalName": name, "variables": dict(variables or {})}
        ).key

    # -- jobs --------------------------------------------------------------------------------
    def activate_jobs(
        self,
        job_type: str,
        *,
        worker: str = "cadenza",
        max_jobs: int = 32,
        timeout: timedelta = timedelta(minutes=5),
        fetch_variables: Sequence[str] | None = None,
    ) -> list[ActivatedJob]:
        """Activate up to ``max_jobs`` jobs of a type."""
        answer = self.execute(
            ValueType.JOB_BATCH,
            "ACTIVATE",
            {
                "type": job_type,
                "worker": worker,
                "timeout": _ms(timeout),
                "maxJobsToActivate": max_jobs,
                "variables": list(fetch_variables or ()),
            },
        )
        return [
            ActivatedJob.of(job, key)
            for key, job in zip(answer.value["jobKeys"], answer.value["jobs"], strict=True)
        ]

    def complete_job(self, key: int, variables: Mapping[str, Any] | None = None) -> None:
        """Complete a job."""
        self.execute(ValueType.JOB, "COMPLETE", {"variables": dict(variables or {})}, key)

    def fail_job(
        self,
        key: int,
        retries: int,
        error_message: str = "",
        *,
        retry_backoff: timedelta = timedelta(0),
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        """Fail a job with the retries left."""
        self.execute(
            ValueType.JOB,
            "FAIL",
            {
                "retries": retries,
                "errorMessage": error_message,
                "retryBackoff": _ms(retry_backoff),
                "variables": dict(variables or {}),
            },
            key,
        )

    def throw_error(
        self,
        key: int,
        error_code: str,
        error_message: str = "",
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        """Throw a BPMN error from a job."""
        self.execute(
            ValueType.JOB,
            "THROW_ERROR",
            {
                "errorCode": error_code,
                "errorMessage": error_message,
                "variables": dict(variables or {}),
            },
            key,
        )

    def update_job_retries(self, key: int, retries: int) -> None:
        """Set a job's retries (then resolve its incident to retry it)."""
        self.execute(ValueType.JOB, "UPDATE_RETRIES", {"retries": retries}, key)

    # -- in-process workers ------------------------------------------------------------------
    def worker(
        self,
        job_type: str,
        *,
        max_jobs: int = 500,
        timeout: timedelta = timedelta(minutes=5),
        fetch_variables: Sequence[str] | None = None,
        name: str = "cadenza-worker",
    ) -> Callable[[Handler], Handler]:
        """Decorator: run the function for every job of ``job_type`` in ``run_until_idle``.

        Return a dict of variables (or None) to complete the job; raise ``BpmnError`` to throw
        a BPMN error; any other exception fails the job (retries - 1, message = the error)."""

        def register(handler: Handler) -> Handler:
            self._workers[job_type] = Worker(
                job_type, handler, name, max_jobs, timeout, fetch_variables
            )
            return handler

        return register

    def run_until_idle(self, max_rounds: int = 1_000_000) -> int:
        """Process due timers and run in-process workers until nothing is left to do.

        Returns the number of jobs the workers handled."""
        handled = 0
        for _ in range(max_rounds):
            progressed = self.partition.due() is not None
            for job_type, worker in self._workers.items():
                if not self.state.activatable.get(job_type):
                    continue
                handled += self._work(worker)
                progressed = True
            if not progressed:
                break
        return handled

    def _work(self, worker: Worker) -> int:
        jobs = self.activate_jobs(
            worker.job_type,
            worker=worker.name,
            max_jobs=worker.max_jobs,
            timeout=worker.timeout,
            fetch_variables=worker.fetch_variables,
        )
        results: list[Record] = [self._result(worker, job) for job in jobs]
        if results:
            self._run(results)
        worker.handled += len(jobs)
        return len(jobs)

    @staticmethod
    def _result(worker: Worker, job: ActivatedJob) -> Record:
        try:
            variables = worker.handler(job)
        except BpmnError as error:
            return command(
                ValueType.JOB,
                "THROW_ERROR",
                {
                    "errorCode": error.code,
                    "errorMessage": error.message,
                    "variables": error.variables,
                },
                job.key,
            )
        except Exception as error:
            message = "".join(traceback.format_exception_only(error)).strip()
            return command(
                ValueType.JOB,
                "FAIL",
                {
                    "retries": job.retries - 1,
                    "errorMessage": message,
                    "retryBackoff": _ms(worker.retry_backoff),
                    "variables": {},
                },
                job.key,
            )
        return command(ValueType.JOB, "COMPLETE", {"variables": dict(variables or {})}, job.key)

    def records(self) -> Iterable[Record]:
        """The partition's log, oldest first."""
        return self.store.read(self.partition.partition_id)


__all__ = ["ActivatedJob", "BpmnError", "Deployment", "Engine"]
