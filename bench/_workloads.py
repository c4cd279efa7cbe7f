"""The five workloads: their models, sizes, units and the worker logic both engines run.

The worker handlers are plain functions of the job's variables so that both engines execute
exactly the same Python per service task; each returns the variables the task sets.
"""

from __future__ import annotations

import enum
import pathlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MODELS = pathlib.Path(__file__).resolve().parent / "models"


class Engine(enum.Enum):
    """The engines compared."""

    CADENZA = "cadenza"
    SPIFF = "spiff"


class Variant(enum.Enum):
    """Where the engine keeps its state while it runs."""

    MEMORY = "memory"
    DURABLE = "durable"


class Metric(enum.Enum):
    """What a measurement reports: a rate (higher is better) or a wall time (lower is better)."""

    RATE = "rate"
    WALL_TIME = "wall_time"


@dataclass(frozen=True, slots=True)
class Workload:
    """One benchmark workload.

    ``size`` is the number of instances (rates) or of multi-instance elements (wall times);
    ``runs`` the default number of runs the median is taken over.
    """

    name: str
    title: str
    process_id: str
    cadenza_model: str
    spiff_model: str
    metric: Metric
    unit: str
    size: int
    runs: int


WORKLOADS: Mapping[str, Workload] = {
    w.name: w
    for w in (
        Workload(
            "one_task",
            "start -> service task -> end",
            "one_task",
            "one_task.bpmn",
            "one_task.bpmn",
            Metric.RATE,
            "instances/s",
            size=1_000,
            runs=10,
        ),
        Workload(
            "ten_tasks",
            "5 service tasks, exclusive gateway, 5 more",
            "ten_tasks",
            "ten_tasks.bpmn",
            "ten_tasks.spiff.bpmn",
            Metric.RATE,
            "instances/s",
            size=300,
            runs=10,
        ),
        Workload(
            "mi_5k",
            "parallel multi-instance, 5,000 elements",
            "multi_instance",
            "multi_instance.bpmn",
            "multi_instance.spiff.bpmn",
            Metric.WALL_TIME,
            "s",
            size=5_000,
            runs=10,
        ),
        Workload(
            "mi_100k",
            "parallel multi-instance, 100,000 elements",
            "multi_instance",
            "multi_instance.bpmn",
            "multi_instance.spiff.bpmn",
            Metric.WALL_TIME,
            "s",
            size=100_000,
            runs=3,
        ),
        Workload(
            "correlation",
            "1,000 waiting instances, 1,000 messages by order id",
            "correlation",
            "correlation.bpmn",
            "correlation.bpmn",
            Metric.RATE,
            "messages/s",
            size=1_000,
            runs=10,
        ),
    )
}

MESSAGE_NAME = "paid"


def work(variables: Mapping[str, Any]) -> dict[str, Any]:
    """The one-task worker."""
    return {"done": True}


def step(variables: Mapping[str, Any]) -> dict[str, Any]:
    """The ten-task worker: counts the steps taken, so the result proves every task ran."""
    return {"steps": int(variables["steps"]) + 1}


def double(variables: Mapping[str, Any]) -> dict[str, Any]:
    """The multi-instance worker: one result per element."""
    return {"result": int(variables["item"]) * 2}


HANDLERS: Mapping[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "work": work,
    "step": step,
    "double": double,
}


def start_variables(workload: Workload, index: int) -> dict[str, Any]:
    """The variables instance number ``index`` of ``workload`` starts with."""
    if workload.name == "ten_tasks":
        return {"amount": 500, "steps": 0}
    if workload.process_id == "multi_instance":
        return {"items": list(range(workload.size))}
    if workload.name == "correlation":
        return {"orderId": order_id(index)}
    return {}


def order_id(index: int) -> str:
    """The correlation key of instance ``index`` of the correlation workload."""
    return f"order-{index:06d}"


def check_final(workload: Workload, variables: Mapping[str, Any]) -> str | None:
    """None when an instance's final variables are what the model computes, else what is wrong.

    Every runner checks at least one instance, so a harness that silently skips the work cannot
    report a number.
    """
    if workload.name == "one_task" and variables.get("done") is not True:
        return f"expected done = true, got {variables.get('done')!r}"
    if workload.name == "ten_tasks" and variables.get("steps") != 10:
        return f"expected steps = 10, got {variables.get('steps')!r}"
    if workload.process_id == "multi_instance":
        results = variables.get("results")
        if not isinstance(results, list) or len(results) != workload.size:
            got = len(results) if isinstance(results, list) else type(results).__name__
            return f"expected {workload.size} results, got {got}"
        if results[:3] != [0, 2, 4][: workload.size] or results[-1] != 2 * (workload.size - 1):
            return f"results are not item * 2 in input order: {results[:3]}..{results[-1:]}"
    if workload.name == "correlation" and variables.get("paid") is not True:
        return f"expected paid = true from the message, got {variables.get('paid')!r}"
    return None
