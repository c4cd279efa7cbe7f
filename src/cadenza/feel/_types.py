"""FEEL values that have no exact Python counterpart: years-and-months durations, ranges, functions.

Numbers are ``decimal.Decimal`` computed in :data:`DECIMAL_CONTEXT` (34 significant digits, the
IEEE 754 decimal128 precision the spec asks for); strings, booleans and null are ``str``,
``bool`` and ``None``; dates, times and date-times are ``datetime.date``, ``datetime.time`` and
``datetime.datetime`` (naive means local, a ``tzinfo`` is either a fixed offset or a zone id);
days-and-time durations are ``datetime.timedelta``; lists are ``list``; contexts are ``dict``.
"""

from __future__ import annotations

import decimal
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DECIMAL_CONTEXT",
    "FeelFunction",
    "Range",
    "YearsMonthsDuration",
]

# A private context: the global/thread-local decimal context is never touched.
DECIMAL_CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-6143,
    Emax=6144,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


@dataclass(frozen=True, slots=True, order=True)
class YearsMonthsDuration:
    """A FEEL years-and-months duration, held as a signed number of months."""

    months: int

    def __str__(self) -> str:
        months = abs(self.months)
        sign = "-" if self.months < 0 else ""
        years, rest = divmod(months, 12)
        if years and rest:
            return f"{sign}P{years}Y{rest}M"
        if years:
            return f"{sign}P{years}Y"
        return f"{sign}P{rest}M"


@dataclass(frozen=True, slots=True)
class Range:
    """A FEEL range: endpoints (None when unbounded, as in ``< 10``) and whether each is included."""

    start: Any
    end: Any
    start_included: bool
    end_included: bool

    def __str__(self) -> str:
        from cadenza.feel._text import feel_string

        if self.start is None and self.end is not None:
            return ("<= " if self.end_included else "< ") + feel_string(self.end, quote=True)
        if self.end is None and self.start is not None:
            return (">= " if self.start_included else "> ") + feel_string(self.start, quote=True)
        left = "[" if self.start_included else "("
        right = "]" if self.end_included else ")"
        start = feel_string(self.start, quote=True)
        end = feel_string(self.end, quote=True)
        return f"{left}{start}..{end}{right}"


Invoker = Callable[[Sequence[Any], Any], Any]
"""How a function runs: (positional FEEL arguments, evaluation context or None) -> FEEL value."""


@dataclass(frozen=True, slots=True, eq=False)
class FeelFunction:
    """A FEEL function value: user-defined in FEEL, built in, or built by the host from a callable.

    ``parameters`` are the names used for named invocation (``f(a: 1, b: 2)``). The host builds
    one from a Python callable with :meth:`from_callable`; the callable receives FEEL values
    (``Decimal`` numbers, ``dict`` contexts, ...) positionally in parameter order.
    """

    parameters: tuple[str, ...]
    invoker: Invoker = field(repr=False)
    name: str = "anonymous"
    signatures: tuple[tuple[str, ...], ...] = ()
    """Alternative parameter lists for named invocation of overloaded built-ins."""

    @classmethod
    def from_callable(cls, func: Callable[..., Any], name: str | None = None) -> FeelFunction:
        """Wrap a Python callable; its parameter names become the FEEL parameter names."""
        params = tuple(
            p.name
            for p in inspect.signature(func).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        )

        def invoke(args: Sequence[Any], _ctx: Any) -> Any:
            return func(*args)

        label = name or str(getattr(func, "__name__", "anonymous"))
        return cls(params, invoke, label)

    def __call__(self, *args: Any) -> Any:
        """Invoke with FEEL values outside of an expression (for example from the DMN engine)."""
        return self.invoker(args, None)
