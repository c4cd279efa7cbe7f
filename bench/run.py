"""Cadenza vs SpiffWorkflow 3.2, side by side, in one run.

    python -m pip install -e '.[bench]' && python bench/run.py
    python bench/run.py --workloads one_task,correlation --runs 3
    python bench/run.py --list

Every run of every (workload, engine, variant) is a fresh subprocess, so each peak-memory number
belongs to that run alone. A run that exceeds ``--timeout`` is stopped and reported as "did not
finish in N s", and the case is not repeated. The table goes to stdout and the full results to
``bench/results/run-<date>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from _report import Case, machine, table, write_json
from _workloads import WORKLOADS, Engine, Variant

BENCH = pathlib.Path(__file__).resolve().parent
DEFAULT_TIMEOUT_S = 600.0
DEFAULT_MEMORY_LIMIT_GIB = 8.0


@dataclass(frozen=True, slots=True)
class Settings:
    """What to run, parsed from the command line."""

    workloads: tuple[str, ...]
    engines: tuple[Engine, ...]
    variants: tuple[Variant, ...]
    runs: int | None  # None: each workload's default
    sizes: dict[str, int]  # workload -> size override
    timeout_s: float
    memory_limit_gib: float
    case_budget_s: float | None
    output: pathlib.Path
    list_only: bool

    def runs_for(self, workload: str) -> int:
        """How many runs the median of ``workload`` is taken over."""
        return self.runs if self.runs is not None else WORKLOADS[workload].runs

    def size_for(self, workload: str) -> int:
        """Instances, elements or messages per run of ``workload``."""
        return self.sizes.get(workload, WORKLOADS[workload].size)


def _names(choices: Sequence[str]) -> Any:
    def parse(text: str) -> tuple[str, ...]:
        names = tuple(part.strip() for part in text.split(",") if part.strip())
        unknown = [name for name in names if name not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown {', '.join(unknown) or '(empty)'}; choose from {', '.join(choices)}"
            )
        return names

    return parse


def _size(text: str) -> tuple[str, int]:
    name, sep, value = text.partition("=")
    if not sep or name not in WORKLOADS:
        raise argparse.ArgumentTypeError(f"expected WORKLOAD=N with WORKLOAD in {list(WORKLOADS)}")
    try:
        size = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {value!r} is not an integer") from None
    if size < 1:
        raise argparse.ArgumentTypeError(f"size of {name} must be at least 1")
    return name, size


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be positive")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description="Benchmark Cadenza against SpiffWorkflow 3.2."
    )
    parser.add_argument(
        "--workloads",
        type=_names(list(WORKLOADS)),
        default=tuple(WORKLOADS),
        help="comma-separated workloads (default: all): " + ", ".join(WORKLOADS),
    )
    parser.add_argument(
        "--engines",
        type=_names([e.value for e in Engine]),
        default=tuple(e.value for e in Engine),
        help="comma-separated engines (default: cadenza,spiff)",
    )
    parser.add_argument(
        "--variants",
        type=_names([v.value for v in Variant]),
        default=tuple(v.value for v in Variant),
        help="comma-separated variants (default: memory,durable)",
    )
    parser.add_argument(
        "--runs",
        type=_positive(int),
        default=None,
        help="runs per case, the median is reported (default: 10; 3 for mi_100k)",
    )
    parser.add_argument(
        "--size",
        type=_size,
        action="append",
        default=[],
        metavar="WORKLOAD=N",
        help="override a workload's instances/elements/messages per run (repeatable)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds one run may take before it is stopped (default: {DEFAULT_TIMEOUT_S:.0f})",
    )
    parser.add_argument(
        "--memory-limit",
        type=_positive(float),
        default=DEFAULT_MEMORY_LIMIT_GIB,
        help="GiB of address space one run may use before it fails with 'ran out of memory'"
        f" (default: {DEFAULT_MEMORY_LIMIT_GIB:.0f})",
    )
    parser.add_argument(
        "--case-budget",
        type=_positive(float),
        default=None,
        help="stop repeating a case once its runs took this many seconds (default: no limit)",
    )
    parser.add_argument(
        "--output",
        type=pathlib.Path,
        default=BENCH / "results",
        help="directory for the JSON results (default: bench/results)",
    )
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    return parser


def parse_args(argv: Sequence[str]) -> Settings:
    """Parse ``argv`` (without the program name); exits with status 2 on bad arguments."""
    args = build_parser().parse_args(list(argv))
    return Settings(
        workloads=args.workloads,
        engines=tuple(Engine(name) for name in args.engines),
        variants=tuple(Variant(name) for name in args.variants),
        runs=args.runs,
        sizes=dict(args.size),
        timeout_s=args.timeout,
        memory_limit_gib=args.memory_limit,
        case_budget_s=args.case_budget,
        output=args.output,
        list_only=args.list,
    )


def run_once(case: Case, timeout_s: float, memory_limit_gib: float) -> dict[str, Any] | str:
    """One run of ``case`` in a fresh interpreter: its result, or why there is none."""
    request = {
        "workload": case.workload,
        "engine": case.engine,
        "variant": case.variant,
        "size": case.size,
        "memory_limit_gib": memory_limit_gib,
    }
    command = [sys.executable, str(BENCH / "_child.py"), json.dumps(request)]
    started = time.monotonic()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return f"did not finish in {timeout_s:.0f} s"
    lines = done.stdout.strip().splitlines()
    try:
        result: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        result = {}
    if done.returncode == 0 and "value" in result:
        return result
    if "error" in result:
        return str(result["error"])
    if done.returncode < 0:
        elapsed = time.monotonic() - started
        return f"killed by signal {-done.returncode} after {elapsed:.0f} s"
    # An unexpected exception in the child: its last stderr line names it.
    tail = [line for line in done.stderr.strip().splitlines() if line.strip()]
    return f"failed (exit {done.returncode}): " + (tail[-1] if tail else "no output")


def run_case(
    case: Case, runs: int, settings: Settings, clock: Callable[[], float] = time.monotonic
) -> None:
    """Fill ``case`` with up to ``runs`` runs; stop at the first failure or over budget."""
    spent = 0.0
    for _ in range(runs):
        started = clock()
        outcome = run_once(case, settings.timeout_s, settings.memory_limit_gib)
        spent += clock() - started
        if isinstance(outcome, str):
            case.failure = outcome
            return
        case.runs.append(outcome)
        if settings.case_budget_s is not None and spent >= settings.case_budget_s:
            return


def main(argv: Sequence[str]) -> int:
    """Run the selected cases, print the table, write the JSON file."""
    settings = parse_args(argv)
    if settings.list_only:
        for workload in WORKLOADS.values():
            print(
                f"{workload.name:12} {workload.title} ({workload.size:,} per run,"
                f" {workload.unit}, {workload.runs} runs)"
            )
        return 0
    info = machine()
    print(
        f"{info['date_utc']}  {info['cpu']}  nproc={info['nproc']}  Python {info['python']}"
        f"  cadenza {info['cadenza']}  SpiffWorkflow {info['spiffworkflow']}"
        f"  load {info['loadavg']}",
        flush=True,
    )
    cases: list[Case] = []
    for name in settings.workloads:
        for variant in settings.variants:
            for engine in settings.engines:
                case = Case(name, engine.value, variant.value, settings.size_for(name))
                run_case(case, settings.runs_for(name), settings)
                cases.append(case)
                median = case.median
                print(
                    f"  {name:12} {engine.value:8} {variant.value:8}"
                    f" runs={len(case.runs):<3}"
                    f" median={median if median is None else round(median, 3)}"
                    + (f"  [{case.failure}]" if case.failure else ""),
                    flush=True,
                )
    if hasattr(os, "getloadavg"):
        info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(table(cases))
    serialised = {
        "workloads": list(settings.workloads),
        "engines": [e.value for e in settings.engines],
        "variants": [v.value for v in settings.variants],
        "runs": settings.runs,
        "sizes": {name: settings.size_for(name) for name in settings.workloads},
        "timeout_s": settings.timeout_s,
        "memory_limit_gib": settings.memory_limit_gib,
        "case_budget_s": settings.case_budget_s,
    }
    path = write_json(settings.output, cases, serialised, info)
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
