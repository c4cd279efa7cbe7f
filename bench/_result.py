"""What one measurement returns, and the failure a runner raises when it cannot measure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Measurement:
    """One timed run of one workload on one engine and variant.

    ``elapsed_s`` is the timed section only (set-up such as deploying or starting the waiting
    instances is outside it); ``count`` is what was completed in it (instances, elements or
    messages); ``value`` is the reported number (count / elapsed for rates, elapsed for wall
    times).
    """

    value: float
    elapsed_s: float
    count: int
    note: str = ""


class NotMeasurable(Exception):
    """The runner cannot measure this combination (engine missing, wrong result, ...)."""
