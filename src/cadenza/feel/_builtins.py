"""The built-in function registry and the argument checks the built-in modules share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._runtime import EvalContext, Scope
from cadenza.feel._types import FeelFunction
from cadenza.feel._values import is_integral, type_name

__all__ = [
    "BUILTINS",
    "as_bool",
    "as_int",
    "as_list",
    "as_number",
    "as_string",
    "builtin",
]

BUILTINS: dict[str, FeelFunction] = {}
"""Every built-in function by its FEEL name."""

F = TypeVar("F", bound=Callable[..., Any])


def builtin(
    name: str,
    *signatures: str,
    required: int | None = None,
    variadic: bool = False,
    context: bool = False,
) -> Callable[[F], F]:
    """Register a built-in under ``name``.

    Each signature is a comma-separated list of parameter names (the spec's names, used for
    named invocation). ``required`` makes trailing parameters of the signatures optional;
    ``variadic`` accepts any number of positional arguments; ``context`` passes the
    evaluation context first.
    """
    sigs = tuple(tuple(p.strip() for p in s.split(",")) if s else () for s in signatures)
    arities: set[int] = set()
    for sig in sigs:
        low = len(sig) if required is None else min(required, len(sig))
        arities.update(range(low, len(sig) + 1))

    def register(fn: F) -> F:
        def invoke(args: Sequence[Any], ctx: Any) -> Any:
            if not variadic and len(args) not in arities:
                expected = " or ".join(str(n) for n in sorted(arities))
                raise FeelEvaluationError(
                    f"function '{name}' expects {expected} arguments but got {len(args)}"
                )
            if context:
                if ctx is None:
                    ctx = EvalContext(Scope({}, None))
                return fn(ctx, *args)
            return fn(*args)

        BUILTINS[name] = FeelFunction(sigs[0] if sigs else (), invoke, name, sigs)
        return fn

    return register


def _bad(value: Any, expected: str) -> FeelEvaluationError:
    return FeelEvaluationError(f"expected {expected} but found {type_name(value)}")


def _single(value: Any) -> Any:
    # A list of one item stands for the item where a single value is expected (DMN 10.3.2.9.4).
    if type(value) is list and len(value) == 1:
        return value[0]
    return value


def as_number(value: Any) -> Decimal:
    """The argument as a number, or an evaluation error."""
    value = _single(value)
    if type(value) is Decimal:
        return value
    raise _bad(value, "number")


def as_int(value: Any) -> int:
    """The argument as an integral number."""
    value = _single(value)
    if type(value) is Decimal and value.is_finite() and is_integral(value):
        return int(value)
    raise _bad(value, "integer number")


def as_string(value: Any) -> str:
    """The argument as a string."""
    value = _single(value)
    if type(value) is str:
        return value
    raise _bad(value, "string")


def as_bool(value: Any) -> bool:
    """The argument as a boolean."""
    value = _single(value)
    if type(value) is bool:
        return value
    raise _bad(value, "boolean")


def as_list(value: Any) -> list[Any]:
    """The argument as a list; a single non-list value counts as a list of one (spec rule)."""
    if type(value) is list:
        return value
    if value is None:
        raise _bad(value, "list")
    return [value]


def list_args(args: tuple[Any, ...]) -> list[Any]:
    """Arguments of ``f(list)`` / ``f(a, b, c)`` style built-ins as one list."""
    if len(args) == 1 and type(args[0]) is list:
        return args[0]
    if not args:
        raise FeelEvaluationError("expected at least one argument")
    if len(args) == 1 and args[0] is None:
        raise _bad(None, "list")
    return list(args)
