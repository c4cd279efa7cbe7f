"""Job workers declared in a module with ``@cadenza.job_worker("type")``, for ``cadenza run``."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
_ATTRIBUTE = "__cadenza_job_type__"


def job_worker(job_type: str) -> Callable[[F], F]:
    """Mark a function as the worker for ``job_type`` (picked up by ``cadenza run --workers``).

    The function receives an ``ActivatedJob`` and returns the variables to complete it with."""

    def mark(function: F) -> F:
        setattr(function, _ATTRIBUTE, job_type)
        return function

    return mark


def collect_workers(module: ModuleType) -> list[tuple[str, Callable[..., Any]]]:
    """The marked functions of ``module``: (job type, function)."""
    found = []
    for value in vars(module).values():
        job_type = getattr(value, _ATTRIBUTE, None)
        if callable(value) and isinstance(job_type, str):
            found.append((job_type, value))
    return found
