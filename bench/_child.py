"""One measurement in a fresh interpreter, so its peak memory is its own.

Usage (run.py does this): ``python bench/_child.py '{"workload": ..., "engine": ..., ...}'``.
Prints one JSON object on the last line of stdout: the measurement and the memory numbers, or
``{"error": "..."}`` (exit status 2) when the combination cannot be measured.
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import resource
import sys
import tempfile
import threading
import time
from typing import Any

from _result import Measurement, NotMeasurable
from _workloads import WORKLOADS, Engine, Variant

_PAGE = resource.getpagesize()


def current_rss_mib() -> float:
    """The resident set size of this process now, in MiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return 0.0


def peak_rss_mib() -> float:
    """The high-water mark of this process's resident set size, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


class RssSampler:
    """Samples the RSS every ``interval_s`` on a daemon thread, to show how memory evolves
    during a long run (does it grow with the elements completed, or stay flat?)."""

    def __init__(self, interval_s: float = 0.25) -> None:
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._started = time.perf_counter()
        self.samples: list[tuple[float, float]] = []
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self._interval_s):
            elapsed = time.perf_counter() - self._started
            self.samples.append((round(elapsed, 2), round(current_rss_mib(), 1)))

    def thinned(self, at_most: int = 40) -> list[tuple[float, float]]:
        """At most ``at_most`` samples, evenly spread, always keeping the last."""
        if len(self.samples) <= at_most:
            return list(self.samples)
        step = len(self.samples) / at_most
        picked = [self.samples[int(i * step)] for i in range(at_most - 1)]
        return [*picked, self.samples[-1]]


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Measure what ``request`` names and return the JSON-ready result."""
    workload = dataclasses.replace(WORKLOADS[request["workload"]], size=int(request["size"]))
    engine = Engine(request["engine"])
    variant = Variant(request["variant"])
    if engine is Engine.CADENZA:
        import _cadenza_side as side
    else:
        import _spiff_side as side  # type: ignore[no-redef]
    with tempfile.TemporaryDirectory(prefix="cadenza-bench-") as workdir:
        rss_before = current_rss_mib()
        with RssSampler() as sampler:
            measurement: Measurement = side.measure(workload, variant, pathlib.Path(workdir))
        return {
            **dataclasses.asdict(measurement),
            "rss_before_mib": round(rss_before, 1),
            "rss_peak_mib": round(peak_rss_mib(), 1),
            "rss_samples": sampler.thinned(),
        }


def limit_memory(gib: float) -> None:
    """Cap this process's address space, so a run that explodes fails with MemoryError
    instead of pushing the machine into its out-of-memory killer."""
    limit = int(gib * 2**30)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str]) -> int:
    """Entry point: the request is the single JSON argument."""
    request = json.loads(argv[1])
    if request.get("memory_limit_gib"):
        limit_memory(float(request["memory_limit_gib"]))
    started = time.perf_counter()
    try:
        result = run(request)
    except NotMeasurable as error:
        print(json.dumps({"error": str(error)}))
        return 2
    except MemoryError:
        elapsed = time.perf_counter() - started
        limit = request.get("memory_limit_gib")
        print(json.dumps({"error": f"ran out of memory ({limit} GiB limit) after {elapsed:.0f} s"}))
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
