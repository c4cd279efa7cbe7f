"""Throughput of the durable path (SQLite) next to the in-memory engine, and where the durable
time goes (kernel, store, the rest) when ``--profile`` is given.

Not a test: run it by hand, e.g.

    python bench/profile_durable.py                           # every workload, both variants
    python bench/profile_durable.py --workloads one_task --profile
    python bench/profile_durable.py --workloads mi --mi-size 100000 --variants durable

Workloads, driven through the embedded API with in-process workers:

- ``one_task``: start -> service task -> end (``bench/models/one_task.bpmn``); instances are
  created ``--batch`` at a time (default 500), each batch followed by ``run_until_idle``;
- ``ten_tasks``: ten service tasks and a gateway (``bench/models/ten_tasks.bpmn``), same driving;
- ``mi``: one instance of a parallel multi-instance service task over ``--mi-size`` items
  (``bench/models/multi_instance.bpmn``), timed around ``create_instance_with_result``.

``--store-replay`` runs each workload in memory, keeps the batches of records it produced, and
times appending them to a fresh SQLite store (CPU time, best of ``--repeat``), split into the
codec, the projector and the SQL with the commit: the store's cost without the kernel's.

Each line gives instances/s (elements/s for ``mi``), records/s (records in the log / wall time),
the wall time and the CPU time of the process (steadier on a busy machine). With ``--profile`` the durable run is repeated under cProfile, which prints
the share of time spent in ``Kernel.process``, in ``SqlStore.append`` (codec, projector, SQL and
commit) and elsewhere (workers, engine API), then the top functions by own time. cProfile slows
Python code down more than C code, so the shares are a guide, not a measurement.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pathlib
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cadenza

MODELS = pathlib.Path(__file__).resolve().parent / "models"


@dataclass(frozen=True, slots=True)
class Result:
    """One timed run."""

    units: int
    records: int
    seconds: float
    cpu_seconds: float  # this process's CPU time: steadier than wall time on a busy machine


def _new_engine(durable: bool, workdir: pathlib.Path, name: str) -> Any:
    if not durable:
        return cadenza.Engine()
    path = workdir / f"{name}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    return cadenza.Engine(str(path))


def _count_records(engine: Any) -> int:
    return int(engine.partition.kernel.state.last_position)


def _instances(model: str, process_id: str, job_type: str, worker: Callable[[Any], Any]) -> Any:
    def run(engine: Any, size: int, batch: int) -> Result:
        engine.deploy(str(MODELS / model))
        engine.worker(job_type)(worker)
        before = _count_records(engine)
        started, cpu = time.perf_counter(), time.process_time()
        for first in range(0, size, batch):
            count = min(batch, size - first)
            engine.create_instances(process_id, [{"x": j, "amount": j} for j in range(count)])
            engine.run_until_idle()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        return Result(size, _count_records(engine) - before, elapsed, cpu)

    return run


def _one_task_worker(job: Any) -> dict[str, Any]:
    return {"done": True}


def _step_worker(job: Any) -> dict[str, Any]:
    return {"steps": int(job.variables.get("steps", 0)) + 1}


def _double_worker(job: Any) -> dict[str, Any]:
    return {"result": job.variables["item"] * 2}


def _multi_instance(engine: Any, size: int, batch: int) -> Result:
    engine.deploy(str(MODELS / "multi_instance.bpmn"))
    engine.worker("double", fetch_variables=["item"])(_double_worker)
    before = _count_records(engine)
    started, cpu = time.perf_counter(), time.process_time()
    variables = engine.create_instance_with_result("multi_instance", {"items": list(range(size))})
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    results = variables.get("results")
    if results != [2 * i for i in range(size)]:
        raise SystemExit(f"multi-instance: wrong results ({str(results)[:80]})")
    return Result(size, _count_records(engine) - before, elapsed, cpu)


WORKLOADS: dict[str, Callable[[Any, int, int], Result]] = {
    "one_task": _instances("one_task.bpmn", "one_task", "work", _one_task_worker),
    "ten_tasks": _instances("ten_tasks.bpmn", "ten_tasks", "step", _step_worker),
    "mi": _multi_instance,
}


def _size(args: argparse.Namespace, workload: str) -> int:
    sizes = {"one_task": args.instances, "ten_tasks": args.ten_instances, "mi": args.mi_size}
    return int(sizes[workload])


def _run(workload: str, durable: bool, args: argparse.Namespace, workdir: pathlib.Path) -> Result:
    engine = _new_engine(durable, workdir, workload)
    try:
        gc.collect()
        return WORKLOADS[workload](engine, _size(args, workload), args.batch)
    finally:
        engine.close()


def _report(workload: str, variant: str, result: Result) -> None:
    unit = "elements/s" if workload == "mi" else "instances/s"
    print(
        f"{workload:10} {variant:8} {result.units / result.seconds:10,.0f} {unit:12}"
        f"{result.records / result.seconds:12,.0f} records/s {result.seconds:8.2f} s"
        f"  cpu {result.cpu_seconds:6.2f} s ({result.units / result.cpu_seconds:,.0f}/cpu-s)"
        f"  {result.records:,} records",
        flush=True,
    )


def _cumulative(stats: pstats.Stats, module_part: str, function: str) -> float:
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in table.items():
        if name == function and module_part in filename:
            total += cumulative
    return total


def _profile(workload: str, args: argparse.Namespace, workdir: pathlib.Path) -> None:
    profiler = cProfile.Profile()
    engine = _new_engine(True, workdir, f"{workload}-profile")
    try:
        profiler.enable()
        started = time.perf_counter()
        WORKLOADS[workload](engine, _size(args, workload), args.batch)
        wall = time.perf_counter() - started
        profiler.disable()
    finally:
        engine.close()
    stats = pstats.Stats(profiler)
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _cum, _callers) in table.values())
    kernel = _cumulative(stats, "kernel/_kernel.py", "process")
    store = _cumulative(stats, "store/_base.py", "append")
    codec = _cumulative(stats, "store/_codec.py", "record_rows")
    projector = _cumulative(stats, "store/_projector.py", "project")
    print(f"\n{workload}: profiled durable run, {wall:.2f} s wall, {total:.2f} s profiled")
    for label, seconds in (
        ("kernel (Kernel.process)", kernel),
        ("store (SqlStore.append)", store),
        ("  of which codec (record_rows)", codec),
        ("  of which projector (project)", projector),
        ("  of which SQL + commit", store - codec - projector),
        ("rest (workers, engine API)", total - kernel - store),
    ):
        print(f"  {label:32} {seconds:7.2f} s {100 * seconds / total:5.1f} %")
    print()
    stats.sort_stats("tottime").print_stats(args.top)


def _store_replay(workload: str, args: argparse.Namespace, workdir: pathlib.Path) -> None:
    """Run ``workload`` in memory, keep the batches the engine appended, then time appending
    them to a fresh SQLite store: the store's cost alone, without the kernel's, in CPU time."""
    from cadenza.store import SqliteStore
    from cadenza.store._codec import record_rows
    from cadenza.store._projector import project

    engine = cadenza.Engine()
    batches: list[list[Any]] = []
    append = engine.store.append

    def capture(partition_id: int, records: Any) -> None:
        batches.append(list(records))
        append(partition_id, records)

    engine.store.append = capture
    try:
        WORKLOADS[workload](engine, _size(args, workload), args.batch)
    finally:
        engine.close()
    count = sum(len(batch) for batch in batches)
    best: dict[str, float] = {}
    for run in range(args.repeat):
        path = workdir / f"{workload}-replay-{run}.sqlite"
        store = SqliteStore(path)
        try:
            gc.collect()
            started = time.process_time()
            for batch in batches:
                store.append(1, batch)
            times = {"append": time.process_time() - started}
        finally:
            store.close()
        started = time.process_time()
        for batch in batches:
            record_rows(1, batch)
        times["codec"] = time.process_time() - started
        started = time.process_time()
        for batch in batches:
            project(batch)
        times["projector"] = time.process_time() - started
        best = {name: min(best.get(name, seconds), seconds) for name, seconds in times.items()}
    best["SQL + commit"] = best["append"] - best["codec"] - best["projector"]
    print(f"{workload}: store replay of {len(batches)} batches, {count:,} records (CPU time, best)")
    for name, seconds in best.items():
        print(f"  {name:14} {1000 * seconds:8.1f} ms {1e6 * seconds / count:6.2f} us/record")


def main() -> None:
    """Parse the options and run the selected workloads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="one_task,ten_tasks,mi")
    parser.add_argument("--variants", default="durable,memory")
    parser.add_argument("--instances", type=int, default=5_000, help="one_task instances")
    parser.add_argument("--ten-instances", type=int, default=1_000, help="ten_tasks instances")
    parser.add_argument("--mi-size", type=int, default=5_000, help="multi-instance items")
    parser.add_argument("--batch", type=int, default=500, help="instances per create call")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best counts")
    parser.add_argument("--profile", action="store_true", help="profile one durable run")
    parser.add_argument(
        "--store-replay",
        action="store_true",
        help="time the store alone: append a run's batches to a fresh SQLite store",
    )
    parser.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    parser.add_argument("--dir", type=pathlib.Path, help="where the SQLite files go")
    args = parser.parse_args()
    workloads = [w for w in args.workloads.split(",") if w]
    unknown = [w for w in workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workloads {unknown}; known: {', '.join(WORKLOADS)}")
    variants = [v for v in args.variants.split(",") if v]
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        workdir = pathlib.Path(tmp)
        for workload in workloads:
            for variant in variants:
                runs = [
                    _run(workload, variant == "durable", args, workdir) for _ in range(args.repeat)
                ]
                _report(workload, variant, min(runs, key=lambda r: r.seconds))
            if args.profile:
                _profile(workload, args, workdir)
            if args.store_replay:
                _store_replay(workload, args, workdir)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {peak / 1024:,.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
