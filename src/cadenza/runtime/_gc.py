"""Garbage-collector tuning for the engine's allocation pattern.

The engine allocates many short-lived records and keeps a large, long-lived state. With the
default thresholds the cyclic collector runs a full pass over that state every few thousand
allocations, which costs more than the processing itself; larger young-generation thresholds
keep collections rare, and objects alive at start-up (the recovered state) are frozen out of
the collector's passes. Reference counting still frees almost everything at once."""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000
_tuned = False


def tune_gc() -> None:
    """Raise the collector's thresholds (once per process; never lowers them)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), max(middle, 20), max(old, 100))
