"""What evaluation carries around (scopes, warnings, bounds) and function invocation."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._types import FeelFunction
from cadenza.feel._values import to_feel, type_name

__all__ = [
    "LARGE",
    "MAX_CALL_DEPTH",
    "MAX_STEPS",
    "MAX_STRING_LENGTH",
    "MISSING",
    "CompilerLike",
    "EvalContext",
    "Evaluator",
    "NamedArguments",
    "Scope",
    "arithmetic_message",
    "call_function",
    "check_string",
]

MAX_CALL_DEPTH = 100
"""Deepest nesting of user-defined function calls (recursion) before the call yields null."""

MAX_STEPS = 1_000_000
"""Iterations (for, some/every, filters, projections) one evaluation may take in total."""

MAX_STRING_LENGTH = 10_000_000
"""Longest string an expression may build."""

MAX_WARNINGS = 50
"""Distinct warnings kept per evaluation; a loop failing on every item reports the first ones."""

LARGE = 1_000
"""Strings and lists longer than this, when built, are charged to the step budget."""

ITEMS_PER_STEP = 10
"""Characters or list items that cost one step when a large value is built."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


_SCALARS = frozenset({str, bool, int, float, Decimal, type(None)})


class Scope:
    """One level of names: the host's variables (``raw``: converted when read) or FEEL locals."""

    __slots__ = ("converted", "names", "parent", "raw")

    def __init__(self, names: Mapping[str, Any], parent: Scope | None, raw: bool = False) -> None:
        self.names = names
        self.parent = parent
        self.raw = raw
        self.converted: dict[str, Any] | None = None

    def convert(self, name: str, value: Any) -> Any:
        """The FEEL form of a host value read from this (raw) scope.

        Lists and contexts are converted once per evaluation, when first read: an expression
        that does not use a large variable never pays for it, one that reads it twice pays once.
        """
        if type(value) in _SCALARS:
            return to_feel(value)
        converted = self.converted
        if converted is None:
            converted = self.converted = {}
        else:
            found = converted.get(name, MISSING)
            if found is not MISSING:
                return found
        result = converted[name] = to_feel(value)
        return result

    def lookup(self, name: str) -> Any:
        """The FEEL value bound to ``name`` here or in an enclosing scope, else MISSING."""
        scope: Scope | None = self
        while scope is not None:
            value = scope.names.get(name, MISSING)
            if value is not MISSING:
                return scope.convert(name, value) if scope.raw else value
            scope = scope.parent
        return MISSING


class EvalContext:
    """The state of one evaluation; closures swap ``scope`` and restore it on the way out."""

    __slots__ = ("depth", "now", "scope", "steps", "warnings")

    def __init__(self, scope: Scope, now: dt.datetime | None = None) -> None:
        self.scope = scope
        self.now = now
        self.warnings: list[str] = []
        self.depth = 0
        self.steps = MAX_STEPS

    def warn(self, message: str) -> None:
        """Record a warning (kept once per message, at most MAX_WARNINGS of them)."""
        warnings = self.warnings
        if len(warnings) < MAX_WARNINGS and message not in warnings:
            warnings.append(message)

    def charge(self, size: int) -> None:
        """Spend budget for building a large string or list, so loops cannot pile them up."""
        self.step(size // ITEMS_PER_STEP)

    def step(self, count: int = 1) -> None:
        """Spend iteration budget; raises once the evaluation has done too much work."""
        self.steps -= count
        if self.steps < 0:
            raise FeelEvaluationError(f"evaluation exceeded {MAX_STEPS} iteration steps")


Evaluator = Callable[[EvalContext], Any]
"""A compiled expression: evaluates in a context to a FEEL value."""


class CompilerLike(Protocol):
    """What the node compilers need from the compiler: recursion and the built-ins."""

    builtins: Mapping[str, FeelFunction]

    def compile(self, node: Any) -> Evaluator:
        """The evaluator of a node."""
        ...


def check_string(text: str) -> str:
    """Bound the size of built strings."""
    if len(text) > MAX_STRING_LENGTH:
        raise FeelEvaluationError(f"string longer than {MAX_STRING_LENGTH} characters")
    return text


class NamedArguments(list[Any]):
    """Arguments of a named call in parameter order, with the signature the names chose.

    Overloaded built-ins whose forms differ only by a parameter name (``key`` or ``keys``)
    read ``signature`` to tell them apart.
    """

    signature: tuple[str, ...] = ()


def _arrange(function: FeelFunction, args: Sequence[Any], names: Sequence[str]) -> list[Any]:
    signatures = function.signatures or (function.parameters,)
    for signature in signatures:
        if all(n in signature for n in names):
            slots: list[Any] = [MISSING] * len(signature)
            for n, v in zip(names, args, strict=True):
                slots[signature.index(n)] = v
            while slots and slots[-1] is MISSING:
                slots.pop()
            arranged = NamedArguments(None if v is MISSING else v for v in slots)
            arranged.signature = signature
            return arranged
    unknown = [n for n in names if n not in signatures[0]]
    raise FeelEvaluationError(
        f"function '{function.name}' has no parameter named '{unknown[0] if unknown else names[0]}'"
    )


def call_function(
    ctx: EvalContext, function: Any, args: Sequence[Any], names: Sequence[str] = ()
) -> Any:
    """Invoke a FEEL function value; failures become null with a warning."""
    if type(function) is not FeelFunction:
        ctx.warn(f"expected a function but found {type_name(function)}")
        return None
    try:
        if names:
            args = _arrange(function, args, names)
        result = function.invoker(args, ctx)
        if (type(result) is str or type(result) is list) and len(result) > LARGE:
            ctx.charge(len(result))
        return result
    except FeelEvaluationError as error:
        ctx.warn(str(error))
        return None
    except (ArithmeticError, ValueError, OverflowError) as error:
        ctx.warn(f"function '{function.name}' failed: {arithmetic_message(error)}")
        return None


def user_function(
    parameters: tuple[str, ...],
    body: Evaluator,
    captured: Scope,
    checks: tuple[Callable[[Any], bool] | None, ...],
    name: str = "anonymous",
) -> FeelFunction:
    """A FEEL-defined function closing over the scope it was defined in."""

    def invoke(args: Sequence[Any], ctx: EvalContext | None) -> Any:
        if ctx is None:
            ctx = EvalContext(captured)
        if len(args) != len(parameters):
            raise FeelEvaluationError(
                f"function '{name}' expects {len(parameters)} arguments but got {len(args)}"
            )
        for check, arg, param in zip(checks, args, parameters, strict=True):
            if check is not None and arg is not None and not check(arg):
                raise FeelEvaluationError(
                    f"function '{name}': parameter '{param}' does not accept {type_name(arg)}"
                )
        if ctx.depth >= MAX_CALL_DEPTH:
            raise FeelEvaluationError(f"function calls nested deeper than {MAX_CALL_DEPTH}")
        saved = ctx.scope
        ctx.scope = Scope(dict(zip(parameters, args, strict=True)), captured)
        ctx.depth += 1
        try:
            return body(ctx)
        finally:
            ctx.depth -= 1
            ctx.scope = saved

    return FeelFunction(parameters, invoke, name)


def arithmetic_message(error: Exception) -> str:
    """A readable warning for a decimal arithmetic failure (no Python class names)."""
    if isinstance(error, decimal.Overflow):
        return "arithmetic error: the result is too large for a FEEL number"
    if isinstance(error, decimal.DivisionByZero):
        return "arithmetic error: division by zero"
    if isinstance(error, decimal.InvalidOperation):
        return "arithmetic error: the operation has no numeric result"
    return f"arithmetic error: {error}"
