"""The SpiffWorkflow 3.2 side of the comparison.

Service tasks run in-process: Spiff's service task calls ``script_engine.call_service`` during
``do_engine_steps``, and the script engine below dispatches on the operator id to the same
handler functions Cadenza's workers call.

Durable variant: after every task that ``do_engine_steps`` completes (events, gateways and
service tasks alike: Spiff's unit of progress) the whole workflow is serialised with Spiff's
``BpmnWorkflowSerializer`` into its row of a SQLite table (WAL, synchronous=NORMAL) and
committed. Workflows also stay in memory (write-through), which favours Spiff: nothing is read
back.

Spiff has no correlation index, so the correlation workload keeps a dict from order id to
workflow in the harness and delivers each message to the one workflow it belongs to.
"""

from __future__ import annotations

import json
import pathlib
import sqlite3
import time
from typing import Any

from _result import Measurement, NotMeasurable
from _workloads import (
    HANDLERS,
    MESSAGE_NAME,
    MODELS,
    Variant,
    Workload,
    check_final,
    order_id,
    start_variables,
)

try:
    from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine  # type: ignore[import-untyped]
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer  # type: ignore[import-untyped]
    from SpiffWorkflow.bpmn.util.event import BpmnEvent  # type: ignore[import-untyped]
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # type: ignore[import-untyped]
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # type: ignore[import-untyped]
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # type: ignore[import-untyped]
except ImportError:  # reported per measurement so the Cadenza side still runs
    SPIFF_AVAILABLE = False
else:
    SPIFF_AVAILABLE = True


MESSAGE_VARIABLE = "payment"


def measure(workload: Workload, variant: Variant, workdir: pathlib.Path) -> Measurement:
    """Run ``workload`` once on SpiffWorkflow and time it."""
    if not SPIFF_AVAILABLE:
        raise NotMeasurable("SpiffWorkflow is not installed: python -m pip install -e '.[bench]'")
    spec, subprocess_specs = _load(workload)
    store = _Store(workdir / "spiff.sqlite") if variant is Variant.DURABLE else None
    try:
        runner = _Runner(spec, subprocess_specs, store)
        if workload.name == "correlation":
            return _correlation(workload, runner)
        if workload.process_id == "multi_instance":
            started = time.perf_counter()
            workflow = runner.run_new(start_variables(workload, 0))
            elapsed = time.perf_counter() - started
            _check(workload, workflow)
            return Measurement(elapsed, elapsed, workload.size)
        started = time.perf_counter()
        last = None
        for index in range(workload.size):
            last = runner.run_new(start_variables(workload, index))
        elapsed = time.perf_counter() - started
        assert last is not None
        _check(workload, last)
        return Measurement(workload.size / elapsed, elapsed, workload.size)
    finally:
        if store is not None:
            store.close()


def parse_model(path: pathlib.Path, process_id: str) -> Any:
    """Parse a Spiff-flavoured model and return the spec of ``process_id`` (for the tests)."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(path))
    return parser.get_spec(process_id)


def _load(workload: Workload) -> tuple[Any, Any]:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(MODELS / workload.spiff_model))
    return parser.get_spec(workload.process_id), parser.get_subprocess_specs(workload.process_id)


class _WorkerScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """Runs a service task's handler in-process, like a Cadenza ``@engine.worker``."""

    def call_service(self, task: Any, **kwargs: Any) -> str:
        name = kwargs["operation_name"]
        result = HANDLERS[name](task.data)
        target = task.task_spec.result_variable
        # Spiff stores the JSON the service returns under the operator's resultVariable; any
        # other variable the handler returns is set directly, as a Zeebe job completion would.
        for key, value in result.items():
            if key != target:
                task.data[key] = value
        return json.dumps(result.get(target))


class _Store:
    """One SQLite row per workflow holding its latest serialisation."""

    def __init__(self, path: pathlib.Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE workflow (id INTEGER PRIMARY KEY, correlation_key TEXT,"
            " state TEXT NOT NULL)"
        )
        self._db.execute("CREATE INDEX workflow_correlation ON workflow (correlation_key)")
        self._serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self._rows: dict[int, int] = {}  # id(workflow) -> row id
        self.saves = 0

    def save(self, workflow: Any, correlation_key: str | None = None) -> None:
        state = self._serializer.serialize_json(workflow)
        row = self._rows.get(id(workflow))
        self._db.execute("BEGIN")
        if row is None:
            cursor = self._db.execute(
                "INSERT INTO workflow (correlation_key, state) VALUES (?, ?)",
                (correlation_key, state),
            )
            assert cursor.lastrowid is not None
            self._rows[id(workflow)] = cursor.lastrowid
        else:
            self._db.execute("UPDATE workflow SET state = ? WHERE id = ?", (state, row))
        self._db.execute("COMMIT")
        self.saves += 1

    def close(self) -> None:
        self._db.close()


class _Runner:
    """Creates workflows and drives them, saving after each step when durable."""

    def __init__(self, spec: Any, subprocess_specs: Any, store: _Store | None) -> None:
        self._spec = spec
        self._subprocess_specs = subprocess_specs
        self._store = store
        self._script_engine = _WorkerScriptEngine()

    def run_new(self, variables: dict[str, Any], correlation_key: str | None = None) -> Any:
        """Create a workflow with ``variables`` and run it until it completes or waits."""
        workflow = BpmnWorkflow(
            self._spec, self._subprocess_specs, script_engine=self._script_engine
        )
        workflow.get_next_task(spec_name="Start").set_data(**variables)
        self.steps(workflow, correlation_key)
        return workflow

    def steps(self, workflow: Any, correlation_key: str | None = None) -> None:
        """``do_engine_steps``, committing after every task it completes when durable."""
        store = self._store
        if store is None:
            workflow.do_engine_steps()
            return

        saves_before = store.saves

        def save(task: Any) -> None:
            store.save(workflow, correlation_key)

        workflow.do_engine_steps(did_complete_task=save)
        if store.saves == saves_before:
            # Nothing ran, but the caller may have changed the workflow (a caught message).
            store.save(workflow, correlation_key)


def _correlation(workload: Workload, runner: _Runner) -> Measurement:
    # Spiff has no correlation index: the harness keeps one, order id -> waiting workflow.
    waiting: dict[str, Any] = {}
    for index in range(workload.size):
        key = order_id(index)
        waiting[key] = runner.run_new(start_variables(workload, index), key)
    event_definition = next(iter(waiting.values())).spec.task_specs["wait_paid"].event_definition
    if event_definition.name != MESSAGE_NAME:
        raise NotMeasurable(f"unexpected message name {event_definition.name!r}")
    started = time.perf_counter()
    for index in range(workload.size):
        key = order_id(index)
        workflow = waiting[key]
        workflow.send_event(BpmnEvent(event_definition, payload={"paid": True}))
        runner.steps(workflow, key)
    elapsed = time.perf_counter() - started
    for workflow in waiting.values():
        _check(workload, workflow)
    return Measurement(workload.size / elapsed, elapsed, workload.size)


def _check(workload: Workload, workflow: Any) -> None:
    if not workflow.completed:
        raise NotMeasurable(f"{workload.name}: a SpiffWorkflow instance did not complete")
    variables = dict(workflow.data)
    # The model receives the message's variables under spiffworkflow:messageVariable, where
    # Zeebe would merge them into the scope; merge them the same way before comparing.
    variables.update(variables.pop(MESSAGE_VARIABLE, None) or {})
    problem = check_final(workload, variables)
    if problem is not None:
        raise NotMeasurable(f"{workload.name} on SpiffWorkflow: {problem}")
