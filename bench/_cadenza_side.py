"""The Cadenza side of the comparison, through the embedded API.

Workers are in-process (``@engine.worker``) and the engine is driven with ``run_until_idle``.
Durable = ``cadenza.Engine(path)`` on a fresh SQLite file (the engine commits every public call
and group-commits the work of ``run_until_idle``); memory = ``cadenza.Engine()``.
"""

from __future__ import annotations

import datetime
import pathlib
import time
from collections.abc import Callable, Mapping
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

NOT_AVAILABLE = "cadenza.Engine not available yet"

# Imported up front so the child's "RSS before" baseline includes the package, as for Spiff.
try:
    import cadenza as _cadenza
except ImportError:  # pragma: no cover - the package is installed editable
    _package: Any = None
else:
    _package = _cadenza

# Instances created between two run_until_idle calls: a steady stream of new work, as clients
# would send it, rather than one huge backlog.
CREATE_BATCH = 100


def measure(workload: Workload, variant: Variant, workdir: pathlib.Path) -> Measurement:
    """Run ``workload`` once on Cadenza and time it."""
    engine_class = _engine_class()
    engine = (
        engine_class(str(workdir / "cadenza.sqlite"))
        if variant is Variant.DURABLE
        else (engine_class())
    )
    try:
        engine.deploy(str(MODELS / workload.cadenza_model))
        _register_workers(engine)
        if workload.name == "correlation":
            return _correlation(engine, workload)
        if workload.process_id == "multi_instance":
            started = time.perf_counter()
            variables = engine.create_instance_with_result(
                workload.process_id, start_variables(workload, 0)
            )
            elapsed = time.perf_counter() - started
            _check(workload, variables)
            return Measurement(elapsed, elapsed, workload.size)
        return _throughput(engine, workload)
    finally:
        engine.close()


def _engine_class() -> Any:
    engine_class = getattr(_package, "Engine", None)
    if engine_class is None:
        raise NotMeasurable(NOT_AVAILABLE)
    return engine_class


def _register_workers(engine: Any) -> None:
    for job_type, handler in HANDLERS.items():
        engine.worker(job_type)(_job_worker(handler))


def _job_worker(
    handler: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> Callable[[Any], dict[str, Any]]:
    def complete(job: Any) -> dict[str, Any]:
        return handler(job.variables)

    return complete


def _throughput(engine: Any, workload: Workload) -> Measurement:
    keys: list[int] = []
    started = time.perf_counter()
    for first in range(0, workload.size, CREATE_BATCH):
        # One transaction per batch of creations, as the server's group commit gives
        # concurrent clients.
        batch = range(first, min(first + CREATE_BATCH, workload.size))
        keys.extend(
            engine.create_instances(
                workload.process_id, [start_variables(workload, index) for index in batch]
            )
        )
        engine.run_until_idle()
    elapsed = time.perf_counter() - started
    _check_completed(engine, workload, keys)
    # One more instance, outside the timed section, to check what the workers computed.
    _check(
        workload,
        engine.create_instance_with_result(workload.process_id, start_variables(workload, 0)),
    )
    return Measurement(workload.size / elapsed, elapsed, workload.size)


def _correlation(engine: Any, workload: Workload) -> Measurement:
    keys = [
        engine.create_instance(workload.process_id, start_variables(workload, index))
        for index in range(workload.size)
    ]
    engine.run_until_idle()
    waiting = sum(engine.instance_state(key) == "ACTIVE" for key in keys)
    if waiting != workload.size:
        raise NotMeasurable(f"correlation: {waiting} of {workload.size} instances are waiting")
    started = time.perf_counter()
    for index in range(workload.size):
        engine.publish_message(
            MESSAGE_NAME, correlation_key=order_id(index), variables={"paid": True}
        )
    engine.run_until_idle()
    elapsed = time.perf_counter() - started
    _check_completed(engine, workload, keys)
    # Outside the timed section: a buffered message (TTL) meets one more instance, whose result
    # shows the message's variables arrived.
    engine.publish_message(
        MESSAGE_NAME,
        correlation_key="check",
        variables={"paid": True},
        ttl=datetime.timedelta(minutes=1),
    )
    _check(workload, engine.create_instance_with_result(workload.process_id, {"orderId": "check"}))
    return Measurement(workload.size / elapsed, elapsed, workload.size)


def _check_completed(engine: Any, workload: Workload, keys: list[int]) -> None:
    unfinished = len(set(keys) - _completed(engine, keys))
    if unfinished:
        raise NotMeasurable(
            f"{workload.name}: {unfinished} of {len(keys)} Cadenza instances did not complete"
        )


def _completed(engine: Any, keys: list[int]) -> set[int]:
    """The keys among ``keys`` whose process instance completed."""
    records = getattr(engine, "records", None)
    if records is None:
        return {key for key in keys if engine.instance_state(key) == "COMPLETED"}
    # One pass over the log: instance_state reads the log once per finished instance.
    wanted = set(keys)
    return {
        record.key
        for record in records()
        if record.key in wanted and record.intent == "ELEMENT_COMPLETED"
    }


def _check(workload: Workload, variables: Mapping[str, Any]) -> None:
    problem = check_final(workload, variables)
    if problem is not None:
        raise NotMeasurable(f"{workload.name} on Cadenza: {problem}")
