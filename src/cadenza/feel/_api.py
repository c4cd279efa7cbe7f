"""The public entry points: compile once (cached), evaluate many times."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from cadenza.feel import _library
from cadenza.feel._compiler import Compiler, TestEvaluator
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._parser import NameIndex, parse_expression, parse_unary_tests
from cadenza.feel._runtime import EvalContext, Evaluator, Scope
from cadenza.feel._semantics import TypeResolver
from cadenza.feel._temporal import format_date, format_datetime, format_days_time, format_time
from cadenza.feel._types import FeelFunction, Range, YearsMonthsDuration
from cadenza.feel._values import from_feel, is_integral, to_feel

__all__ = [
    "CACHE_SIZE",
    "Expression",
    "TypeResolver",
    "UnaryTests",
    "compile",
    "compile_unary_tests",
    "evaluate",
    "to_json",
]

CACHE_SIZE = 4096
"""Compiled expressions and unary tests kept, least recently used dropped first."""

_COMPILER = Compiler(_library.BUILTINS)
_BUILTIN_NAMES = NameIndex(_library.BUILTINS)
_EMPTY: Mapping[str, Any] = {}


def _index(names: frozenset[str]) -> NameIndex:
    if not names:
        return _BUILTIN_NAMES
    return NameIndex([*_library.BUILTINS, *names])


def _run(
    evaluator: Evaluator, variables: Mapping[str, Any] | None, now: dt.datetime | None
) -> tuple[Any, list[str]]:
    ctx = EvalContext(Scope(_EMPTY if variables is None else variables, None, raw=True), now)
    try:
        value = evaluator(ctx)
    except FeelEvaluationError as error:
        ctx.warn(str(error))
        value = None
    except RecursionError:
        ctx.warn("expression evaluation nested too deeply")
        value = None
    return value, ctx.warnings


class Expression:
    """A compiled FEEL expression. Thread-safe and reusable; build it with :func:`compile`."""

    __slots__ = ("_evaluator", "source", "uses_input")

    def __init__(self, source: str, evaluator: Evaluator, uses_input: bool) -> None:
        self.source = source
        self._evaluator = evaluator
        self.uses_input = uses_input

    def evaluate(
        self, variables: Mapping[str, Any] | None = None, *, now: dt.datetime | None = None
    ) -> Any:
        """The result as a host value (integral numbers as int, others as Decimal)."""
        return self.evaluate_with_warnings(variables, now=now)[0]

    def evaluate_with_warnings(
        self, variables: Mapping[str, Any] | None = None, *, now: dt.datetime | None = None
    ) -> tuple[Any, tuple[str, ...]]:
        """The result as a host value and the warnings (missing variables, type errors...)."""
        value, warnings = _run(self._evaluator, variables, now)
        try:
            return from_feel(value), tuple(warnings)
        except RecursionError:
            return None, (*warnings, "result nested too deeply")

    def evaluate_raw(
        self, variables: Mapping[str, Any] | None = None, *, now: dt.datetime | None = None
    ) -> Any:
        """The result as a FEEL value (all numbers Decimal), for chaining evaluations."""
        return _run(self._evaluator, variables, now)[0]

    def evaluate_raw_with_warnings(
        self, variables: Mapping[str, Any] | None = None, *, now: dt.datetime | None = None
    ) -> tuple[Any, tuple[str, ...]]:
        """The FEEL value and the warnings."""
        value, warnings = _run(self._evaluator, variables, now)
        return value, tuple(warnings)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


class UnaryTests:
    """Compiled DMN unary tests (an input entry); build with :func:`compile_unary_tests`."""

    __slots__ = ("_evaluator", "source")

    def __init__(self, source: str, evaluator: TestEvaluator) -> None:
        self.source = source
        self._evaluator = evaluator

    def matches_with_warnings(
        self,
        input_value: Any,
        variables: Mapping[str, Any] | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> tuple[bool, tuple[str, ...]]:
        """Whether the input value satisfies the tests, and the warnings."""
        ctx = EvalContext(Scope(_EMPTY if variables is None else variables, None, raw=True), now)
        try:
            result = self._evaluator(ctx, to_feel(input_value))
        except FeelEvaluationError as error:
            ctx.warn(str(error))
            result = None
        except RecursionError:
            ctx.warn("expression evaluation nested too deeply")
            result = None
        return result is True, tuple(ctx.warnings)

    def matches(
        self,
        input_value: Any,
        variables: Mapping[str, Any] | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> bool:
        """Whether the input value satisfies the tests (``?`` is the input value)."""
        return self.matches_with_warnings(input_value, variables, now=now)[0]

    def __repr__(self) -> str:
        return f"UnaryTests({self.source!r})"


def _compiler(types: TypeResolver | None) -> Compiler:
    return _COMPILER if types is None else Compiler(_library.BUILTINS, types)


def _compile(source: str, names: frozenset[str], types: TypeResolver | None) -> Expression:
    node, uses_input = parse_expression(source, _index(names))
    return Expression(source, _compiler(types).compile(node), uses_input)


_compile_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_compile)


def compile(
    source: str,
    names: Iterable[str] = (),
    *,
    types: TypeResolver | None = None,
    cache: bool = True,
) -> Expression:
    """Parse and compile a FEEL expression; raises FeelSyntaxError.

    ``names`` declares variable names that contain characters FEEL otherwise reads as
    operators (``a-b``, ``Date-Time``), or words (``Monthly Salary``) so that they are matched
    as one name. ``types`` resolves type names FEEL does not know (DMN item definitions, used
    by ``instance of`` and typed parameters) to predicates over FEEL values; keep the same
    resolver object per model, it is part of the cache key. Compiled expressions are cached
    by (source, names, types) unless ``cache`` is false.
    """
    key = frozenset(names)
    if cache:
        return _compile_cached(source, key, types)
    return _compile(source, key, types)


def _compile_tests(source: str, names: frozenset[str], types: TypeResolver | None) -> UnaryTests:
    node = parse_unary_tests(source, _index(names))
    return UnaryTests(source, _compiler(types).compile_tests(node))


_compile_tests_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_compile_tests)


def compile_unary_tests(
    source: str, names: Iterable[str] = (), *, types: TypeResolver | None = None
) -> UnaryTests:
    """Parse and compile DMN unary tests (``< 10, [20..30]``, ``-``, ``not(5)``); cached.

    ``names`` and ``types`` as for :func:`compile`.
    """
    return _compile_tests_cached(source, frozenset(names), types)


def evaluate(
    source: str, variables: Mapping[str, Any] | None = None, *, now: dt.datetime | None = None
) -> Any:
    """Compile (cached) and evaluate in one step."""
    return compile(source).evaluate(variables, now=now)


def to_json(value: Any) -> Any:
    """A FEEL (or host) value as strict JSON types.

    Integral numbers become int, other numbers float; dates, times, date-times and durations
    their ISO 8601 / FEEL strings; lists and contexts recursively; ranges and functions None.
    """
    t = type(value)
    if value is None or t is str or t is bool or t is int:
        return value
    if t is Decimal:
        if not value.is_finite():
            return None
        if is_integral(value) and value.adjusted() < 40:
            return int(value)
        return float(value)
    if t is float:
        return value
    if t is dt.datetime:
        return format_datetime(value)
    if t is dt.date:
        return format_date(value)
    if t is dt.time:
        return format_time(value)
    if t is dt.timedelta:
        return format_days_time(value)
    if t is YearsMonthsDuration:
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, Range | FeelFunction):
        return None
    return None
