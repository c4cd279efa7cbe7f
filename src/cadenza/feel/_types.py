"""FEEL values that have no exact Python counterpart: years-and-months durations, ranges, functions.

Numbers are ``decimal.Decimal`` computed in :data:`DECIMAL_CONTEXT` (34 significant digits, the
IEEE 754 decimal128 precision the spec asks for); strings, booleans and null are ``str``,
``bool`` and ``None``; dates, times and date-times are ``datetime.date``, ``datetime.time`` and
``datetime.datetime`` (naive means local, a ``tzinfo`` is either a fixed offset or a zone id);
days-and-time durations are ``datetime.timedelta``; lists are ``list``; contexts are ``dict``.
"""

from __future__ import annotations

import decimal
import enum
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DECIMAL_CONTEXT",
    "FeelFunction",
    "Range",
    "RangeKind",
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


class RangeKind(enum.Enum):
    """How a range was written: an interval literal or a unary comparison used as a value."""

    INTERVAL = ".."
    LESS = "<"
    LESS_OR_EQUAL = "<="
    GREATER = ">"
    GREATER_OR_EQUAL = ">="
    EQUAL = "="
    NOT_EQUAL = "!="


@dataclass(frozen=True, slots=True)
class Range:
    """A FEEL range: endpoints, whether each is included, and how it was written.

    An interval (``[1..10]``, the default kind) holds its endpoints as written: a None endpoint
    is a null endpoint (``[1..null]``), which makes membership tests null, as the DMN TCK
    expects. The comparison kinds (``< 10``, ``>= 1``) are unbounded on their open side, held as
    None; ``= 10`` starts and ends at 10 (both included) and ``!= 10`` holds 10 as both
    endpoints, excluded. Ranges of different kinds are never equal (``(< 10) = (null..10)`` is
    false).
    """

    start: Any
    end: Any
    start_included: bool
    end_included: bool
    kind: RangeKind = RangeKind.INTERVAL

    @staticmethod
    def comparison(kind: RangeKind, value: Any) -> Range:
        """The range a unary comparison (``< value``, ``= value``, ...) denotes."""
        if kind is RangeKind.LESS or kind is RangeKind.LESS_OR_EQUAL:
            return Range(None, value, False, kind is RangeKind.LESS_OR_EQUAL, kind)
        if kind is RangeKind.GREATER or kind is RangeKind.GREATER_OR_EQUAL:
            return Range(value, None, kind is RangeKind.GREATER_OR_EQUAL, False, kind)
        included = kind is RangeKind.EQUAL
        return Range(value, value, included, included, kind)

    def __str__(self) -> str:
        from cadenza.feel._text import feel_string

        kind = self.kind
        if kind is RangeKind.LESS or kind is RangeKind.LESS_OR_EQUAL:
            return f"{kind.value} {feel_string(self.end, quote=True)}"
        if kind is not RangeKind.INTERVAL:
            return f"{kind.value} {feel_string(self.start, quote=True)}"
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
