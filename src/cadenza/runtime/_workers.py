"""In-process job workers: a handler per job type, run by the embedded engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any


class BpmnError(Exception):
    """Raise from a job handler to throw a BPMN error (caught by error boundary events or
    error event subprocesses with a matching code)."""

    def __init__(self, code: str, message: str = "", variables: Mapping[str, Any] | None = None):
        super().__init__(message or code)
        self.code = code
        self.message = message
        self.variables = dict(variables or {})


@dataclass(frozen=True, slots=True)
class ActivatedJob:
    """A job handed to a worker, with the variables it fetched."""

    key: int
    type: str
    variables: dict[str, Any]
    custom_headers: dict[str, str]
    retries: int
    deadline: int
    worker: str
    element_id: str
    element_instance_key: int
    process_instance_key: int
    bpmn_process_id: str
    process_definition_key: int
    process_definition_version: int

    @staticmethod
    def of(value: Mapping[str, Any], key: int) -> ActivatedJob:
        """From an activated job value of a JOB_BATCH answer."""
        return ActivatedJob(
            key=key,
            type=value["type"],
            variables=dict(value.get("variables") or {}),
            custom_headers=dict(value.get("customHeaders") or {}),
            retries=value["retries"],
            deadline=value["deadline"],
            worker=value["worker"],
            element_id=value["elementId"],
            element_instance_key=value["elementInstanceKey"],
            process_instance_key=value["processInstanceKey"],
            bpmn_process_id=value["bpmnProcessId"],
            process_definition_key=value["processDefinitionKey"],
            process_definition_version=value["processDefinitionVersion"],
        )


Handler = Callable[[ActivatedJob], Mapping[str, Any] | None]


@dataclass(slots=True)
class Worker:
    """A registered in-process worker."""

    job_type: str
    handler: Handler
    name: str = "cadenza-worker"
    max_jobs: int = 500
    timeout: timedelta = timedelta(minutes=5)
    fetch_variables: Sequence[str] | None = None
    retry_backoff: timedelta = timedelta(0)
    handled: int = field(default=0)
