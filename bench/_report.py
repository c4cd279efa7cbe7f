"""Results of a benchmark run: per-case summaries, the printed table and the JSON file."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from _workloads import WORKLOADS, Metric


@dataclass(slots=True)
class Case:
    """All runs of one (workload, engine, variant): the measurements and why it stopped."""

    workload: str
    engine: str
    variant: str
    size: int
    runs: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None  # set when a run errored or did not finish in time

    @property
    def median(self) -> float | None:
        """The median of the reported values, None when no run finished."""
        values = [run["value"] for run in self.runs]
        return statistics.median(values) if values else None

    @property
    def peak_rss_mib(self) -> float | None:
        """The highest peak RSS over the runs (each run is a fresh process)."""
        peaks = [run["rss_peak_mib"] for run in self.runs]
        return max(peaks) if peaks else None

    def as_json(self) -> dict[str, Any]:
        """The case as written to the results file."""
        workload = WORKLOADS[self.workload]
        return {
            "workload": self.workload,
            "engine": self.engine,
            "variant": self.variant,
            "size": self.size,
            "unit": workload.unit,
            "higher_is_better": workload.metric is Metric.RATE,
            "median": self.median,
            "peak_rss_mib": self.peak_rss_mib,
            "failure": self.failure,
            "runs": self.runs,
        }


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cadenza": _version("cadenza"),
        "spiffworkflow": _version("SpiffWorkflow"),
        "commit": _commit(),
        # Other work on the machine skews the numbers; the load average says how much there was.
        "loadavg": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=pathlib.Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return result.stdout.strip() or None


def format_value(value: float) -> str:
    """A number with as many digits as it deserves."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(cases: list[Case]) -> str:
    """The results as an aligned text table (also valid Markdown)."""
    header = ["workload", "size", "engine", "variant", "median", "unit", "runs", "peak RSS MiB"]
    rows = [header]
    for case in cases:
        workload = WORKLOADS[case.workload]
        median = case.median
        if case.failure is not None and median is None:
            shown = case.failure
        else:
            shown = format_value(median) if median is not None else "-"
            if case.failure is not None:
                shown += f" ({case.failure})"
        peak = case.peak_rss_mib
        rows.append(
            [
                case.workload,
                f"{case.size:,}",
                case.engine,
                case.variant,
                shown,
                workload.unit,
                str(len(case.runs)),
                f"{peak:,.0f}" if peak is not None else "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def write_json(
    directory: pathlib.Path, cases: list[Case], settings: dict[str, Any], info: dict[str, Any]
) -> pathlib.Path:
    """Write the run to ``directory/run-<date>.json`` and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = str(info["date_utc"]).replace(":", "").replace("-", "")
    path = directory / f"run-{stamp}.json"
    document = {"machine": info, "settings": settings, "cases": [c.as_json() for c in cases]}
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
