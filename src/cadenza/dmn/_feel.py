"""The one place that talks to :mod:`cadenza.feel`: compiling text, matching unary tests,
building function values, naming value kinds and rendering JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from cadenza import feel
from cadenza.feel import FeelError, FeelEvaluationError, FeelFunction, FeelSyntaxError

Scope = dict[str, Any]

NOW = "\x00now"
"""The scope key holding the evaluation's current time (for FEEL ``now()`` and ``today()``);
no FEEL name can spell it, and it travels with every copy of a scope."""
ValueFn = Callable[[Scope], Any]
TestFn = Callable[[Any, Scope], bool]

__all__ = [
    "NOW",
    "FeelError",
    "FeelFunction",
    "FeelSyntaxError",
    "Scope",
    "TestFn",
    "ValueFn",
    "compile_expression",
    "compile_unary_tests",
    "function_value",
    "json_text",
    "special_kind",
    "to_json",
    "unary_test",
]


def compile_expression(
    text: str, names: frozenset[str] = frozenset(), types: feel.TypeResolver | None = None
) -> ValueFn:
    """Compile a FEEL expression once; the result evaluates it against a scope (raw values).

    ``names`` are the model's variable names, so multi-word names read as one name; ``types``
    resolves item definition names for ``instance of`` and typed function parameters (only
    passed on when the text can use a type name, so other expressions share the cache)."""
    if types is not None and "instance" not in text and "function" not in text:
        types = None
    compiled = feel.compile(text, names, types=types)
    stripped = text.strip()
    if _PLAIN_NAME.match(stripped) and stripped not in _KEYWORDS:
        # A bare variable name (the usual table input) is read directly; anything else
        # (a built-in function's name, a missing variable) goes through FEEL.
        evaluate_name = compiled.evaluate_raw

        def lookup(scope: Scope) -> Any:
            if stripped in scope:
                return scope[stripped]
            return evaluate_name(scope, now=scope.get(NOW))

        return lookup
    evaluate = compiled.evaluate_raw

    def run(scope: Scope) -> Any:
        return evaluate(scope, now=scope.get(NOW))

    return run


_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYWORDS = frozenset(
    {
        "true",
        "false",
        "null",
        "not",
        "and",
        "or",
        "if",
        "then",
        "else",
        "for",
        "in",
        "return",
        "some",
        "every",
        "satisfies",
        "instance",
        "of",
        "function",
        "between",
        "external",
    }
)


def compile_unary_tests(
    text: str, names: frozenset[str] = frozenset(), types: feel.TypeResolver | None = None
) -> TestFn:
    """Compile the unary tests of a table cell or an allowed-values list (``types`` as for
    :func:`compile_expression`)."""
    if types is not None and "instance" not in text and "function" not in text:
        types = None
    compiled = feel.compile_unary_tests(text, names, types=types)
    matches = compiled.matches

    def run(value: Any, scope: Scope) -> bool:
        return matches(value, scope, now=scope.get(NOW))

    return run


def unary_test(text: str, names: frozenset[str] = frozenset()) -> Callable[[Any], bool]:
    """An allowed-values check: unary tests that need no variables."""
    matches = compile_unary_tests(text, names)

    def check(value: Any) -> bool:
        return matches(value, {})

    return check


def function_value(
    name: str, parameters: Sequence[str], invoke: Callable[[Sequence[Any]], Any]
) -> FeelFunction:
    """A FEEL function value calling ``invoke`` with the arguments in parameter order."""

    count = len(parameters)

    def invoker(args: Sequence[Any], _context: Any) -> Any:
        if len(args) != count:
            raise FeelEvaluationError(
                f"function {name!r} expects {count} arguments but got {len(args)}"
            )
        return invoke(args)

    return FeelFunction(tuple(parameters), invoker, name)


def call(function: FeelFunction, args: Sequence[Any]) -> Any:
    """Invoke a FEEL function value with positional arguments."""
    return function.invoker(args, None)


def special_kind(value: Any) -> str:
    """The FEEL type name of values with no plain Python counterpart."""
    if isinstance(value, dt.timedelta):
        return "days and time duration"
    if isinstance(value, feel.YearsMonthsDuration):
        return "years and months duration"
    if isinstance(value, feel.Range):
        return "range"
    if isinstance(value, FeelFunction) or callable(value):
        return "function"
    return "Any"


def to_json(value: Any) -> Any:
    """A FEEL value as strict JSON types (what clients and records see)."""
    return feel.to_json(value)


def json_text(value: Any) -> str:
    """A FEEL value as JSON text, as Zeebe records decision outputs and inputs."""
    kind = type(value)
    # The scalars of nearly every table cell, without the generic encoder's overhead.
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if (
        kind is Decimal
        and value.is_finite()
        and value == value.to_integral_value()
        and value.adjusted() < 40
    ):
        return str(int(value))
    if kind is str:
        return _encode_string(value)
    return json.dumps(to_json(value), separators=(",", ":"), ensure_ascii=False)


_encode_string = json.JSONEncoder(ensure_ascii=False).encode
