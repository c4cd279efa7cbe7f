"""Numeric built-ins: rounding with scale, modulo, roots, logarithms, parity."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import Any

from cadenza.feel._builtins import as_number, builtin
from cadenza.feel._errors import FeelEvaluationError
from cadenza.feel._types import DECIMAL_CONTEXT, YearsMonthsDuration
from cadenza.feel._values import is_integral

__all__: list[str] = []

_C = DECIMAL_CONTEXT
# An absent scale means 0; an explicit null scale makes the result null.
_NO_SCALE = Decimal(0)


def _scale(scale: Any) -> int:
    number = as_number(scale)
    if not number.is_finite():
        raise FeelEvaluationError("scale must be a finite number")
    value = int(number)
    if not -6111 <= value <= 6176:
        raise FeelEvaluationError("scale must be between -6111 and 6176")
    return value


def _round(number: Any, scale: Any, mode: str) -> Decimal:
    n = as_number(number)
    s = _scale(scale)
    exponent = n.as_tuple().exponent
    if not n.is_finite() or (isinstance(exponent, int) and exponent >= -s):
        return n
    return _C.plus(n.quantize(Decimal(1).scaleb(-s, _C), rounding=mode, context=_C))


@builtin("decimal", "n, scale")
def _decimal(n: Any, scale: Any) -> Decimal:
    return _round(n, scale, decimal.ROUND_HALF_EVEN)


@builtin("floor", "n, scale", required=1)
def _floor(n: Any, scale: Any = _NO_SCALE) -> Decimal:
    return _round(n, scale, decimal.ROUND_FLOOR)


@builtin("ceiling", "n, scale", required=1)
def _ceiling(n: Any, scale: Any = _NO_SCALE) -> Decimal:
    return _round(n, scale, decimal.ROUND_CEILING)


@builtin("round up", "n, scale", required=1)
def _round_up(n: Any, scale: Any = _NO_SCALE) -> Decimal:
    return _round(n, scale, decimal.ROUND_UP)


@builtin("round down", "n, scale", required=1)
def _round_down(n: Any, scale: Any = _NO_SCALE) -> Decimal:
    return _round(n, scale, decimal.ROUND_DOWN)


@builtin("round half up", "n, scale", required=1)
def _round_half_up(n: Any, scale: Any = _NO_SCALE) -> Decimal:
    return _round(n, scale, decimal.ROUND_HALF_UP)


@builtin("round half down", "n, scale", required=1)
def _round_half_down(n: Any, scale: Any = _NO_SCALE) -> Decimal:
    return _round(n, scale, decimal.ROUND_HALF_DOWN)


@builtin("abs", "n")
def _abs(n: Any) -> Any:
    if type(n) is dt.timedelta:
        return abs(n)
    if type(n) is YearsMonthsDuration:
        return YearsMonthsDuration(abs(n.months))
    return _C.abs(as_number(n))


@builtin("modulo", "dividend, divisor")
def _modulo(dividend: Any, divisor: Any) -> Decimal:
    a = as_number(dividend)
    b = as_number(divisor)
    if not b:
        raise FeelEvaluationError("modulo by zero")
    # The result takes the divisor's sign: a - b * floor(a / b).
    quotient = _C.divide(a, b).to_integral_value(rounding=decimal.ROUND_FLOOR)
    return _C.subtract(a, _C.multiply(b, quotient))


@builtin("sqrt", "number")
def _sqrt(number: Any) -> Decimal:
    n = as_number(number)
    if n < 0:
        raise FeelEvaluationError("square root of a negative number")
    return _C.sqrt(n)


@builtin("log", "number")
def _log(number: Any) -> Decimal:
    n = as_number(number)
    if n <= 0:
        raise FeelEvaluationError("logarithm of a number that is not positive")
    return _C.ln(n)


@builtin("exp", "number")
def _exp(number: Any) -> Decimal:
    return _C.exp(as_number(number))


@builtin("odd", "number")
def _odd(number: Any) -> bool:
    n = as_number(number)
    if not is_integral(n):
        raise FeelEvaluationError("odd() expects an integer")
    return int(n) % 2 == 1


@builtin("even", "number")
def _even(number: Any) -> bool:
    n = as_number(number)
    if not is_integral(n):
        raise FeelEvaluationError("even() expects an integer")
    return int(n) % 2 == 0
